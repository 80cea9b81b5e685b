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
  apiKeys: {
    env: 'DH_API_KEYS', flag: '--api-keys', default: '', parse: text,
    description: 'Comma-separated API keys; each key is a tenant. Empty = no auth, loopback only.',
  },
  metricsToken: {
    env: 'DH_METRICS_TOKEN', flag: '--metrics-token', default: '', parse: text,
    description: 'Bearer token GET /metrics needs when API keys are set (empty = /metrics closed then; without keys it is open on loopback).',
  },
  publicUrl: {
    env: 'DH_PUBLIC_URL', flag: '--public-url', default: '', parse: text,
    description: 'Base URL clients reach the service at, used in the URLs it hands out (empty = the listen address).',
  },
  retentionDays: {
    env: 'DH_RETENTION_DAYS', flag: '--retention-days', default: 7, parse: integer(1, 3650),
    description: 'Days results and inputs are kept before they are deleted.',
  },
  allowPrivateUrls: {
    env: 'DH_ALLOW_PRIVATE_URLS', flag: '--allow-private-urls', default: 0, parse: integer(0, 1),
    description: '1 lets input and callback URLs reach loopback/private addresses (trusted networks only).',
  },
  maxUploadMb: {
    env: 'DH_MAX_UPLOAD_MB', flag: '--max-upload-mb', default: 200, parse: integer(1, 2048),
    description: 'Largest upload accepted, in MiB (images are further limited to 30 MiB).',
  },
  maxQueued: {
    env: 'DH_MAX_QUEUED', flag: '--max-queued', default: 100, parse: integer(1, 100000),
    description: 'Tasks allowed to wait in the queue before create answers 503.',
  },
  renderWorkers: {
    env: 'DH_RENDER_WORKERS', flag: '--render-workers', default: 1, parse: integer(1, 64),
    description: 'Videos rendered at the same time, each in its own worker thread.',
  },
  segmentSeconds: {
    env: 'DH_SEGMENT_SECONDS', flag: '--segment-seconds', default: 0, parse: integer(0, 600),
    description: 'Render videos longer than 1.5x this in segments of about this many seconds, which all workers take at once (0 = one piece; e.g. 25 with several workers).',
  },
  webhookSecret: {
    env: 'DH_WEBHOOK_SECRET', flag: '--webhook-secret', default: '', parse: text,
    description: 'HMAC-SHA256 key for callbackUrl signatures (empty = the calling tenant\'s API key).',
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
