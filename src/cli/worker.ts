// `dh worker`: render workers without the API. They share the task store, media store and queue
// with `dh serve` (which then runs with DH_WORKERS=0, or renders too), through the servers the
// configuration names. SIGTERM drains: the renders in flight finish, no new one starts.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../core/config.js';
import { DhError } from '../core/errors.js';
import { createFileUrls } from '../tasks/file-urls.js';
import { createSafeRequester } from '../adapters/safe-fetch.js';
import { createAuth, parseApiKeys } from '../server/auth.js';
import { openBackends } from '../server/backends.js';
import { startRunner } from '../worker/runner.js';
import { createWorkerProcess } from '../worker/thread.js';
import { WEBHOOK_DEFAULTS } from '../worker/webhook.js';

export interface Workers {
  readonly summary: string;
  readonly workers: number;
  /** Lets the renders in flight finish, takes no new one, then closes. */
  drain(): Promise<void>;
  /** Stops now; renders in flight go back to the queue for another worker. */
  stop(): Promise<void>;
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; } };

/**
 * Each worker process has a scratch folder of its own (`worker-scratch/<pid>`), so processes
 * sharing a data folder never clean each other's renders away; those of processes that are gone
 * are removed at start.
 */
async function scratchFolder(dataDir: string): Promise<string> {
  const root = path.join(dataDir, 'worker-scratch');
  await fs.mkdir(root, { recursive: true });
  for (const name of await fs.readdir(root)) {
    if (/^\d+$/.test(name) && Number(name) !== process.pid && !alive(Number(name))) await fs.rm(path.join(root, name), { recursive: true, force: true });
  }
  const own = path.join(root, String(process.pid));
  await fs.rm(own, { recursive: true, force: true });
  return own;
}

export async function startWorkers(config: Config, log: (line: string) => void): Promise<Workers> {
  if (!config.redisUrl) {
    throw new DhError('INVALID_ARGUMENT', { field: 'DH_REDIS_URL', problem: 'is not set; `dh worker` takes its tasks from a queue shared with `dh serve`', fix: 'Set DH_REDIS_URL (and the same DH_DATABASE_URL / DH_S3_* as the API) on every process, or run `dh serve` alone.' });
  }
  const workers = config.renderWorkers;
  const backends = await openBackends(config, log);
  const auth = createAuth(parseApiKeys(config.apiKeys));
  // Callback payloads carry file URLs: they must name the API's address, not this process's.
  const urls = createFileUrls(backends.fileSecret, config.publicUrl || `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}/`);
  if (!config.publicUrl) log(`DH_PUBLIC_URL is not set: file URLs in callbacks will name ${urls.urlFor('x').replace(/files\/x.*$/, '')}`);
  const runner = startRunner({
    store: backends.store, media: backends.media, queue: backends.queue, urls, log,
    threads: Array.from({ length: workers }, () => createWorkerProcess()),
    clock: Date.now,
    retentionMs: config.retentionDays * 86_400_000,
    allowPrivateUrls: config.allowPrivateUrls === 1,
    scratchRoot: await scratchFolder(config.dataDir),
    webhookSecret: (tenant) => config.webhookSecret || auth.keyOf(tenant),
    webhook: { ...WEBHOOK_DEFAULTS, request: createSafeRequester({ allowPrivate: config.allowPrivateUrls === 1, timeoutMs: 10_000 }) },
  });
  // The API resends callbacks a stopped process left; a worker only requeues.
  await runner.recover({ callbacks: false });
  let ended: Promise<void> | null = null;
  const finish = (how: () => Promise<void>) => (ended ??= how().finally(() => backends.close()));
  return {
    summary: backends.summary,
    workers,
    drain: () => finish(() => runner.drain()),
    stop: () => finish(() => runner.stop()),
  };
}
