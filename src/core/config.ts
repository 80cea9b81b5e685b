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
/** A server's URL with one of `protocols`; the value is kept as given (it may hold a password). */
const serverUrl = (protocols: readonly string[], example: string) => (raw: string, name: string): string => {
  let url: URL | null = null;
  try { url = new URL(raw); } catch { /* reported below */ }
  if (!url || !protocols.includes(url.protocol) || !url.hostname) {
    throw invalidArgument(name, `${envOf(name)} is not a ${protocols[0].slice(0, -1)} URL`, `Set it like ${example}, or leave it unset for the embedded default.`);
  }
  return raw;
};
const envOf = (name: string): string => (OPTIONS as Record<string, OptionDef<unknown>>)[name]?.env ?? name;

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
  webhookSecret: {
    env: 'DH_WEBHOOK_SECRET', flag: '--webhook-secret', default: '', parse: text,
    description: 'HMAC-SHA256 key for callbackUrl signatures (empty = the calling tenant\'s API key).',
  },
  // Scale-out backends: each unset one keeps the embedded default (SQLite in the data folder,
  // media files there, renders in this process).
  databaseUrl: {
    env: 'DH_DATABASE_URL', flag: '--database-url', default: '', parse: serverUrl(['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/database'),
    description: 'PostgreSQL for tasks, avatars and file records, shared by API and worker processes (empty = SQLite in the data folder).',
  },
  redisUrl: {
    env: 'DH_REDIS_URL', flag: '--redis-url', default: '', parse: serverUrl(['redis:', 'rediss:'], 'redis://[:password@]host:6379'),
    description: 'Redis for the render queue shared by API and worker processes (empty = an in-process queue).',
  },
  lockSeconds: {
    env: 'DH_LOCK_SECONDS', flag: '--lock-seconds', default: 30, parse: integer(2, 3600),
    description: 'With DH_REDIS_URL: how long a render holds its queue lock between renewals; the task of a worker that died is taken up again within about 1.5 times this.',
  },
  s3Endpoint: {
    env: 'DH_S3_ENDPOINT', flag: '--s3-endpoint', default: '', parse: serverUrl(['http:', 'https:'], 'https://s3.example.com'),
    description: 'S3 endpoint for uploads and results (empty = files in the data folder).',
  },
  s3Region: {
    env: 'DH_S3_REGION', flag: '--s3-region', default: 'us-east-1', parse: text,
    description: 'S3 region the endpoint signs for.',
  },
  s3Bucket: {
    env: 'DH_S3_BUCKET', flag: '--s3-bucket', default: 'image-digital-human', parse: text,
    description: 'S3 bucket for media (created when missing).',
  },
  s3AccessKey: {
    env: 'DH_S3_ACCESS_KEY', flag: '--s3-access-key', default: '', parse: text,
    description: 'S3 access key id.',
  },
  s3SecretKey: {
    env: 'DH_S3_SECRET_KEY', flag: '--s3-secret-key', default: '', parse: text,
    description: 'S3 secret access key.',
  },
  workers: {
    env: 'DH_WORKERS', flag: '--workers', default: 1, parse: integer(0, 1),
    description: '0: `dh serve` runs the API only and `dh worker` processes render; 1: it renders too (DH_RENDER_WORKERS at a time).',
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
  if (out.workers === 0 && out.redisUrl === '') {
    throw invalidArgument('DH_WORKERS', 'is 0 but DH_REDIS_URL is not set, so no process would render', 'Set DH_REDIS_URL on this service and on `dh worker` processes, or let the service render (DH_WORKERS=1).');
  }
  // S3 is on as soon as any of its settings is; it needs both keys then.
  const s3 = (['s3Endpoint', 's3AccessKey', 's3SecretKey'] as const).filter((k) => out[k] !== '');
  for (const k of ['s3AccessKey', 's3SecretKey'] as const) {
    if (s3.length > 0 && out[k] === '') throw invalidArgument(OPTIONS[k].env, `is not set, but ${s3.map((x) => OPTIONS[x].env).join(', ')} is`, `Set ${OPTIONS[k].env} to the key the service uses for the bucket, or unset the DH_S3_ settings to keep files in DH_DATA_DIR/media.`);
  }
  return Object.freeze(out) as Config;
}

/** Whether media goes to S3 (any DH_S3_ endpoint or key set) rather than DH_DATA_DIR/media. */
export const usesS3 = (c: Config): boolean => Boolean(c.s3Endpoint || c.s3AccessKey || c.s3SecretKey);

/** Text for `--help`: every option with its flag, variable and default. */
export function describeOptions(): string {
  return Object.values(OPTIONS as Record<string, OptionDef<unknown>>)
    .map((d) => `  ${d.flag.padEnd(12)} ${d.env.padEnd(12)} ${d.description} (default ${String(d.default)})`)
    .join('\n');
}
