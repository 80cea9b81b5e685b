// Which implementation backs each infrastructure port (task store, media store, job queue), chosen by configuration: the embedded
// default when a setting is unset, the scale-out server when it is set. A configured server that
// cannot be reached or refuses the login stops the start with an error naming the setting, not
// the first task. Scale-out adapters load lazily, so the embedded service never loads `pg`.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { usesS3, type Config } from '../core/config.js';
import { DhError } from '../core/errors.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { createLocalMediaStore } from '../store/local-media-store.js';
import { openSqliteTaskStore } from '../store/sqlite-task-store.js';
import type { JobQueue, MediaStore, TaskStore } from '../store/ports.js';

/** Something the service needs to answer requests, as /healthz reports it. */
export interface Dependency {
  /** What it is for: "database", "queue", "media". */
  readonly name: string;
  /** Which implementation: "sqlite", "postgresql", ... */
  readonly backend: string;
  /** Resolves when it answers; throws when it does not. */
  check(): Promise<void>;
}

/** A server URL with its password masked, for messages and logs. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** node-postgres' and the socket's errors as a reason a reader can act on. */
function pgReason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED': return 'connection refused (is PostgreSQL running and listening on that host and port?)';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'the host name does not resolve';
    case 'ETIMEDOUT': return 'the connection timed out';
    case '28P01': return 'password authentication failed (wrong user or password)';
    case '28000': return 'the server refused the login (no pg_hba.conf entry for this user, host or database)';
    case '3D000': return `${e.message} (create it, or name an existing database in the URL)`;
    case '42501': return `${e.message} (the user may not create the task tables: grant it CREATE on the database)`;
    default: return e.message ?? String(err);
  }
}

/** The task store the configuration asks for, migrated and reachable. */
export async function openTaskStore(config: Config): Promise<TaskStore> {
  if (!config.databaseUrl) return openSqliteTaskStore(path.join(config.dataDir, 'tasks.db'));
  const { openPgTaskStore } = await import('../adapters/pg-task-store.js');
  try {
    return await openPgTaskStore(config.databaseUrl);
  } catch (err) {
    throw new DhError('BACKEND_UNAVAILABLE', { setting: 'DH_DATABASE_URL', target: redactUrl(config.databaseUrl), reason: pgReason(err) }, { cause: err });
  }
}

export const storeDependency = (store: TaskStore): Dependency => ({ name: 'database', backend: store.backend, check: () => store.ping() });

export interface DependencyState { readonly backend: string; readonly ok: boolean; readonly ms: number; readonly error?: string }

/** Checks every dependency at once, each within `timeoutMs`. */
export async function checkDependencies(deps: readonly Dependency[], timeoutMs = 2000): Promise<Record<string, DependencyState>> {
  const entries = await Promise.all(deps.map(async (d): Promise<[string, DependencyState]> => {
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([d.check(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs); })]);
      return [d.name, { backend: d.backend, ok: true, ms: Math.round(performance.now() - t0) }];
    } catch (err) {
      return [d.name, { backend: d.backend, ok: false, ms: Math.round(performance.now() - t0), error: (err as Error).message ?? String(err) }];
    } finally {
      clearTimeout(timer);
    }
  }));
  return Object.fromEntries(entries);
}

export interface Backends {
  readonly store: TaskStore;
  readonly media: MediaStore;
  readonly queue: JobQueue;
  /** The key that signs file URLs: every process of one installation must share it. */
  readonly fileSecret: Buffer;
  /** One line saying what runs where, for the start-up notice. */
  readonly summary: string;
  /** What /healthz checks. */
  readonly dependencies: readonly Dependency[];
  /** Closes the store and the connections (the queue is closed by its runner). */
  close(): Promise<void>;
}

/** A per-installation secret for file URL signatures in the data folder, created on first start. */
function localSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, 'file-url.key');
  try {
    return fs.readFileSync(file);
  } catch {
    const key = randomBytes(32);
    try {
      fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
      return key;
    } catch {
      return fs.readFileSync(file); // another process of this installation wrote it first
    }
  }
}

export async function openBackends(config: Config, log: (line: string) => void, wrapQueue: (q: JobQueue) => JobQueue = (q) => q): Promise<Backends> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const closers: (() => Promise<void> | void)[] = [];
  const dependencies: Dependency[] = [];
  const parts: string[] = [];
  try {
    let media: MediaStore;
    if (usesS3(config)) {
      const { openS3MediaStore } = await import('../store/s3-media-store.js');
      const s3 = await openS3MediaStore({ endpoint: config.s3Endpoint, region: config.s3Region, bucket: config.s3Bucket, accessKey: config.s3AccessKey, secretKey: config.s3SecretKey });
      closers.push(() => s3.client.destroy());
      media = s3;
      dependencies.push({ name: 'media', backend: 's3', check: async () => { await s3.size('.dh-health'); } });
      parts.push(`media in S3 bucket ${config.s3Bucket}${config.s3Endpoint ? ` at ${config.s3Endpoint}` : ''}`);
    } else {
      media = createLocalMediaStore(path.join(config.dataDir, 'media'));
      parts.push(`media in ${path.join(config.dataDir, 'media')}`);
    }
    let queue: JobQueue;
    let fileSecret: Buffer;
    if (config.redisUrl) {
      const [{ openRedis, withoutPassword }, { createBullQueue }] = await Promise.all([import('../queue/redis.js'), import('../queue/bull-queue.js')]);
      const redis = await openRedis(config.redisUrl);
      closers.push(() => { redis.disconnect(); });
      dependencies.push({ name: 'queue', backend: 'redis', check: async () => { await redis.ping(); } });
      // The first process to start picks the key; the others read it (SET NX is atomic).
      await redis.set('dh:file-url-key', randomBytes(32).toString('base64'), 'NX');
      fileSecret = Buffer.from((await redis.get('dh:file-url-key'))!, 'base64');
      queue = createBullQueue({ redis, lockMs: config.lockSeconds * 1000, log });
      parts.push(`queue on Redis ${withoutPassword(config.redisUrl)} (lock ${config.lockSeconds} s)`);
    } else {
      queue = createMemoryQueue();
      fileSecret = localSecret(config.dataDir);
      parts.push('queue in this process');
    }
    const store = await openTaskStore(config);
    closers.unshift(() => store.close());
    dependencies.unshift(storeDependency(store));
    parts.unshift(config.databaseUrl ? `tasks in PostgreSQL at ${redactUrl(config.databaseUrl)}` : `tasks in ${path.join(config.dataDir, 'tasks.db')}`);
    return {
      store, media, queue: wrapQueue(queue), fileSecret, summary: parts.join('; '), dependencies,
      async close() { for (const c of closers) await c(); },
    };
  } catch (err) {
    for (const c of closers) await Promise.resolve(c()).catch(() => {});
    throw err;
  }
}
