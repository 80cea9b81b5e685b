// Wires the embedded service: SQLite task store, local media folder, in-process queue, worker
// threads for rendering and speech, the retention sweeper, and the HTTP routes.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Config } from '../core/config.js';
import type { JobQueue } from '../store/ports.js';
import { DhError } from '../core/errors.js';
import { createSafeRequester } from '../adapters/safe-fetch.js';
import { createMemoryQueue } from '../queue/memory-queue.js';
import { createLocalMediaStore } from '../store/local-media-store.js';
import { openSqliteTaskStore } from '../store/sqlite-task-store.js';
import { createFileUrls, FILES_PREFIX } from '../tasks/file-urls.js';
import { scheduleRetention, sweepExpired } from '../worker/retention.js';
import { startRunner } from '../worker/runner.js';
import { createWorkerProcess, createWorkerThread } from '../worker/thread.js';
import { WEBHOOK_DEFAULTS } from '../worker/webhook.js';
import { createAuth, parseApiKeys } from './auth.js';
import type { Handler, RouteContext, Service } from './context.js';
import { createConsoleStatic } from './console-static.js';
import { closeFaceCheck, FACE_CHECK_PATH, faceDetect } from './face-check.js';
import { sendError } from './http.js';
import { Metrics } from './metrics.js';
import * as avatars from './routes/avatars.js';
import * as files from './routes/files.js';
import * as meta from './routes/meta.js';
import * as tasks from './routes/tasks.js';
import * as voice from './routes/voice.js';

const API = '/api/2dvh/v1';
const ROUTES: Record<string, Handler> = {
  [`POST ${API}/material/single/image/video/create`]: tasks.create,
  [`GET ${API}/material/single/image/video/detail`]: tasks.detail,
  [`GET ${API}/material/single/image/video/list`]: tasks.list,
  [`POST ${API}/material/single/image/video/delete`]: tasks.remove,
  [`GET ${API}/avatar/list`]: avatars.list,
  [`POST ${API}/avatar/delete`]: avatars.remove,
  [`POST ${API}/files/upload`]: files.upload,
  [`POST ${API}/voice/synthesize`]: voice.synthesize,
  [`GET ${API}/voice/list`]: voice.voices,
  [`POST ${FACE_CHECK_PATH}`]: faceDetect,
  'GET /healthz': meta.health,
  'GET /metrics': meta.metrics,
  'GET /openapi.json': meta.openapiJson,
  'GET /docs': meta.docsPage,
};

/** Test seams: a fake clock, fast webhook retries, a sweep interval, another job queue. */
export interface AppOverrides {
  readonly clock?: () => number;
  /** Wraps the queue (a shared queue's behaviour under load, in tests). */
  readonly wrapQueue?: (queue: JobQueue) => JobQueue;
  readonly webhook?: { attempts: number; baseDelayMs: number };
  readonly sweepIntervalMs?: number;
  readonly log?: (line: string) => void;
}

export interface App {
  readonly service: Service;
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Re-queues unfinished tasks and starts the retention sweeper. */
  start(): Promise<{ recovered: number }>;
  /** Runs one retention sweep now (tests drive it with their clock). */
  sweep(): Promise<{ files: number; tasks: number }>;
  close(): Promise<void>;
}

/** A per-installation secret for file URL signatures, created on first start. */
function fileSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, 'file-url.key');
  try {
    return fs.readFileSync(file);
  } catch {
    const key = randomBytes(32);
    fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    return key;
  }
}

export function createApp(config: Config, publicUrl: string, o: AppOverrides = {}): App {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = o.clock ?? Date.now;
  const auth = createAuth(parseApiKeys(config.apiKeys));
  const store = openSqliteTaskStore(path.join(config.dataDir, 'tasks.db'));
  const media = createLocalMediaStore(path.join(config.dataDir, 'media'));
  const queue = (o.wrapQueue ?? ((q: JobQueue) => q))(createMemoryQueue());
  const urls = createFileUrls(fileSecret(config.dataDir), publicUrl);
  const scratchRoot = path.join(config.dataDir, 'work');
  const retentionMs = config.retentionDays * 86_400_000;
  const metrics = new Metrics();
  const threads = Array.from({ length: config.renderWorkers }, () => createWorkerProcess());
  const runner = startRunner({
    store, media, queue, threads, urls, clock, retentionMs, scratchRoot, log,
    allowPrivateUrls: config.allowPrivateUrls === 1,
    webhookSecret: (tenant) => config.webhookSecret || auth.keyOf(tenant),
    webhook: { ...(o.webhook ?? WEBHOOK_DEFAULTS), request: createSafeRequester({ allowPrivate: config.allowPrivateUrls === 1, timeoutMs: 10_000 }) },
    onFinished: (task, seconds) => {
      metrics.count('dh_tasks_finished_total', { status: task.status });
      if (task.status === 'succeeded') metrics.observeRender(seconds);
    },
  });
  const service: Service = { config, auth, store, media, queue, urls, runner, speechThread: createWorkerThread(), clock, retentionMs, scratchRoot, metrics, log };
  let stopSweeps = () => {};
  const serveConsole = createConsoleStatic();
  const sweep = () => sweepExpired(store, media, clock());

  return {
    service,
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://service.invalid');
      const method = req.method === 'HEAD' ? 'GET' : req.method ?? 'GET';
      const isFile = method === 'GET' && url.pathname.startsWith(FILES_PREFIX);
      const route = isFile ? 'GET /files/' : `${method} ${url.pathname}`;
      const known = isFile || Object.hasOwn(ROUTES, route);
      const handler: Handler | undefined = isFile ? files.download : known ? ROUTES[route] : undefined;
      // The web console (index.html and its assets) answers where no API route does.
      if (!handler && serveConsole(req, res)) return;
      const ctx: RouteContext = { req, res, url, svc: service };
      const run = handler ?? (async () => { req.resume(); throw new DhError('ROUTE_NOT_FOUND', { method, path: url.pathname.slice(0, 200) }); });
      run(ctx).catch((err: unknown) => {
        const e = sendError(res, err);
        if (e.id === 'INTERNAL') log(`${route}: ${(err as Error).stack ?? err}`);
      }).finally(() => {
        metrics.count('dh_http_requests_total', { route: known ? route : 'unmatched', status: String(res.statusCode) });
      });
    },
    async start() {
      const recovered = await runner.recover();
      stopSweeps = scheduleRetention(sweep, o.sweepIntervalMs ?? 10 * 60_000, log);
      return { recovered };
    },
    sweep,
    async close() {
      stopSweeps();
      await runner.stop();
      await service.speechThread.close();
      await closeFaceCheck(service);
      await store.close();
    },
  };
}
