// Every setting of the service is defined here once: its name, environment variable, command-line
// flag, default and description. Config is parsed and validated at start-up, then frozen; inner
// code receives complete options and never reads process.env itself.

import path from 'node:path';
import { invalidArgument } from './errors.js';

interface OptionDef<T> {
  readonly env: string;
  readonly flag: string;
  readonly description: string;
  readonly default: T;
  readonly parse: (raw: string, name: string) => T;
}

const integer = (min: number, max: number) => (raw: string, name: string): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalidArgument(name, `"${raw}" is not a whole number from ${min} to ${max}`, `Set ${name} to a value in that range.`);
  }
  return n;
};
const text = (raw: string): string => raw;

export const OPTIONS = {
  port: {
    env: 'DH_PORT', flag: '--port', default: 8080, parse: integer(0, 65535),
    description: 'TCP port the service listens on (0 picks a free one).',
  },
  host: {
    env: 'DH_HOST', flag: '--host', default: '127.0.0.1', parse: text,
    description: 'Address the service binds to.',
  },
  dataDir: {
    env: 'DH_DATA_DIR', flag: '--data-dir', default: './data', parse: (raw: string) => path.resolve(raw),
    description: 'Folder for the task database, uploads and rendered videos.',
  },
} as const satisfies Record<string, OptionDef<unknown>>;

type Options = typeof OPTIONS;
export type Config = { readonly [K in keyof Options]: Options[K]['default'] extends number ? number : string };

/** Builds the frozen config: flag beats environment beats default. */
export function loadConfig(flags: Record<string, string | undefined>, env: NodeJS.ProcessEnv): Config {
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(OPTIONS) as [keyof Options, OptionDef<unknown>][]) {
    const raw = flags[def.flag] ?? env[def.env];
    out[name] = raw === undefined || raw === '' ? def.default : def.parse(raw, name);
  }
  if (typeof out.dataDir === 'string') out.dataDir = path.resolve(out.dataDir);
  return Object.freeze(out) as Config;
}

/** Text for `--help`: every option with its flag, variable and default. */
export function describeOptions(): string {
  return Object.values(OPTIONS as Record<string, OptionDef<unknown>>)
    .map((d) => `  ${d.flag.padEnd(12)} ${d.env.padEnd(12)} ${d.description} (default ${String(d.default)})`)
    .join('\n');
}
