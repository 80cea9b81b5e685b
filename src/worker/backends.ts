// The service's infrastructure, chosen by configuration: the embedded default (SQLite, a local
// media folder, a queue inside the process) or the scale-out servers (Redis/BullMQ for the queue,
// S3 for media). Each server is checked as it opens, so a misconfiguration stops the process at
// start with an error naming the setting. Heavy clients load only when configured.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../core/config.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { createLocalMediaStore } from '../store/local-media-store.js';
import { openTaskStore, redactUrl } from '../store/open-task-store.js';
import type { JobQueue, MediaStore, TaskStore } from '../store/ports.js';

export interface Backends {
  readonly store: TaskStore;
  readonly media: MediaStore;
  readonly queue: JobQueue;
  /** The key that signs file URLs: every process of one installation must share it. */
  readonly fileSecret: Buffer;
  /** One line saying what runs where, for the start-up notice. */
  readonly summary: string;
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
  const parts: string[] = [];
  try {
    let media: MediaStore;
    if (config.s3Bucket) {
      const { openS3MediaStore } = await import('../store/s3-media-store.js');
      const s3 = await openS3MediaStore({ endpoint: config.s3Endpoint, region: config.s3Region, bucket: config.s3Bucket, accessKey: config.s3AccessKey, secretKey: config.s3SecretKey });
      closers.push(() => s3.client.destroy());
      media = s3;
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
    parts.unshift(config.databaseUrl ? `tasks in PostgreSQL ${redactUrl(config.databaseUrl)}` : `tasks in ${path.join(config.dataDir, 'tasks.db')}`);
    return {
      store, media, queue: wrapQueue(queue), fileSecret, summary: parts.join('; '),
      async close() { for (const c of closers) await c(); },
    };
  } catch (err) {
    for (const c of closers) await Promise.resolve(c()).catch(() => {});
    throw err;
  }
}
