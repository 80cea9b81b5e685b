// Wires the service: the task store, media store and queue (backends.ts picks them), render
// processes and a speech thread, the retention sweeper, and the HTTP routes on fastify.
import os from 'node:os';
import http from 'node:http';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { Config } from '../core/config.js';
import type { JobQueue } from '../store/ports.js';
import { DhError } from '../core/errors.js';
import { createSafeRequester } from '../adapters/safe-fetch.js';
import { createFileUrls, FILES_PREFIX } from '../tasks/file-urls.js';
import { scheduleRetention, sweepExpired } from '../worker/retention.js';
import { startRunner } from '../worker/runner.js';
import { createWorkerProcess, createWorkerThread } from '../worker/thread.js';
import { WEBHOOK_DEFAULTS } from '../worker/webhook.js';
import { createAuth, parseApiKeys } from './auth.js';
import { openBackends } from './backends.js';
import type { Handler, Service } from './context.js';
import { createConsoleStatic } from './console-static.js';
import { closeFaceCheck, FACE_CHECK_PATH, faceDetect } from './face-check.js';
import { discardBody, DRAIN_DEFAULTS, JSON_BODY_LIMIT, JSON_CONTENT_TYPE, parseJsonBody, sendError, toHttpError, type BodyRule, type DrainLimits } from './http.js';
import { Metrics } from './metrics.js';
import { MULTIPART_EXPECTED } from './multipart.js';
import * as avatars from './routes/avatars.js';
import * as files from './routes/files.js';
import * as meta from './routes/meta.js';
import * as tasks from './routes/tasks.js';
import * as voice from './routes/voice.js';

const API = '/api/2dvh/v1';

/**
 * Who may call a route: a tenant (an API key, checked before the body is read), the metrics
 * scraper, or anyone (downloads check their URL's signature themselves). `body` is what the
 * route reads; other Content-Types are refused with 415.
 */
interface Route {
  readonly handler: Handler;
  readonly access: 'tenant' | 'metrics' | 'open';
  readonly body?: 'json' | 'multipart';
}
const tenantJson = (handler: Handler): Route => ({ handler, access: 'tenant', body: 'json' });
const tenantGet = (handler: Handler): Route => ({ handler, access: 'tenant' });
const open = (handler: Handler): Route => ({ handler, access: 'open' });

/** Method and path of every route; a path ending in "/" is a prefix (the files under it). */
const ROUTES: Record<string, Route> = {
  [`POST ${API}/material/single/image/video/create`]: tenantJson(tasks.create),
  [`GET ${API}/material/single/image/video/detail`]: tenantGet(tasks.detail),
  [`GET ${API}/material/single/image/video/list`]: tenantGet(tasks.list),
  [`POST ${API}/material/single/image/video/delete`]: tenantJson(tasks.remove),
  [`GET ${API}/avatar/list`]: tenantGet(avatars.list),
  [`POST ${API}/avatar/delete`]: tenantJson(avatars.remove),
  [`POST ${API}/files/upload`]: { handler: files.upload, access: 'tenant', body: 'multipart' },
  [`POST ${API}/voice/synthesize`]: tenantJson(voice.synthesize),
  [`GET ${API}/voice/list`]: tenantGet(voice.voices),
  [`POST ${FACE_CHECK_PATH}`]: tenantJson(faceDetect),
  [`GET ${FILES_PREFIX}`]: open(files.download),
  'GET /healthz': open(meta.health),
  'GET /metrics': { handler: meta.metrics, access: 'metrics' },
  'GET /openapi.json': open(meta.openapiJson),
  'GET /docs': open(meta.docsPage),
};

const BODY_RULES: Record<NonNullable<Route['body']>, BodyRule> = {
  json: { contentType: JSON_CONTENT_TYPE },
  multipart: { contentType: MULTIPART_EXPECTED },
};

/** What app.ts keeps per route in fastify's route config. */
interface RouteTag {
  /** The ROUTES key, which is also the metrics label. */
  readonly key: string;
  readonly route: Route;
}
const tagOf = (req: FastifyRequest): RouteTag | undefined => (req.routeOptions?.config as { dh?: RouteTag } | undefined)?.dh;

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's tenant, set before the body is read on routes with access 'tenant'. */
    dhTenant: string;
    /** The web console answered this request itself (not counted as an API request). */
    dhConsole: boolean;
  }
}

/** Test seams: a fake clock, fast webhook retries, a sweep interval, another job queue. */
export interface AppOverrides {
  readonly clock?: () => number;
  /** Wraps the queue (a shared queue's behaviour under load, in tests). */
  readonly wrapQueue?: (queue: JobQueue) => JobQueue;
  readonly webhook?: { attempts: number; baseDelayMs: number };
  readonly sweepIntervalMs?: number;
  readonly log?: (line: string) => void;
  /** How much of an unwanted request body is discarded before answering (see DRAIN_DEFAULTS). */
  readonly drain?: DrainLimits;
}

export interface App {
  readonly service: Service;
  /** The fastify instance that routes requests (its `server` is the one passed to createApp). */
  readonly web: FastifyInstance;
  /** fastify's request listener, for the http.Server given to createApp. */
  readonly handle: http.RequestListener;
  /** Re-queues unfinished tasks and starts the retention sweeper. */
  start(): Promise<{ recovered: number }>;
  /** What runs where (store, media, queue), for the start-up notice. */
  readonly summary: string;
  /** Runs one retention sweep now (tests drive it with their clock). */
  sweep(): Promise<{ files: number; tasks: number }>;
  close(): Promise<void>;
}

/**
 * Builds the service and its routes. `server` is the http.Server the routes will serve on;
 * the caller listens and attaches `handle` (startServer in index.ts).
 */
export async function createApp(config: Config, publicUrl: string, o: AppOverrides = {}, server: http.Server = http.createServer()): Promise<App> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = o.clock ?? Date.now;
  const auth = createAuth(parseApiKeys(config.apiKeys), config.metricsToken);
  const backends = await openBackends(config, log, o.wrapQueue);
  const { store, media, queue } = backends;
  const urls = createFileUrls(backends.fileSecret, publicUrl);
  const scratchRoot = path.join(config.dataDir, 'work');
  const retentionMs = config.retentionDays * 86_400_000;
  const metrics = new Metrics();
  // DH_WORKERS=0: the API only; `dh worker` processes render.
  const threads = Array.from({ length: config.workers === 0 ? 0 : config.renderWorkers }, () => createWorkerProcess());
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
  const service: Service = { config, auth, store, media, queue, urls, runner, speechThread: createWorkerThread(), clock, retentionMs, scratchRoot, metrics, log, dependencies: backends.dependencies };
  let stopSweeps = () => {};
  const sweep = () => sweepExpired(store, media, clock());
  const web = await createWeb(service, server, o.drain ?? DRAIN_DEFAULTS);

  return {
    service,
    web: web.instance,
    handle: web.handle,
    summary: backends.summary,
    async start() {
      const recovered = await runner.recover();
      stopSweeps = scheduleRetention(sweep, o.sweepIntervalMs ?? 10 * 60_000, log);
      return { recovered };
    },
    sweep,
    async close() {
      stopSweeps();
      await web.instance.close();
      await runner.stop();
      await service.speechThread.close();
      await closeFaceCheck(service);
      await backends.close();
    },
  };
}

/** The routes on fastify, with the envelope for every error and bounded body discarding. */
async function createWeb(svc: Service, server: http.Server, drain: DrainLimits): Promise<{ instance: FastifyInstance; handle: http.RequestListener }> {
  let handle: http.RequestListener | null = null;
  const serverDirs = [svc.config.dataDir, svc.scratchRoot, os.tmpdir()];
  const report = (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const tag = tagOf(req);
    const e = toHttpError(err, req, tag?.route.body ? BODY_RULES[tag.route.body] : undefined);
    if (e.id === 'INTERNAL') svc.log(`${tag?.key ?? `${req.method} (unmatched)`}: ${(err as Error)?.stack ?? err}`);
    sendError(reply, e, serverDirs);
  };
  const web = Fastify({
    logger: false,
    // The caller owns the server (it listens before the app exists, to learn its own URL).
    serverFactory: (handler) => { handle = handler; return server; },
    bodyLimit: JSON_BODY_LIMIT,
    frameworkErrors: (err, req, reply) => report(err, req, reply),
    exposeHeadRoutes: false,
  });
  web.decorateRequest('dhTenant', '');
  web.decorateRequest('dhConsole', false);
  // Bodies are read only where a route reads them (the JSON and upload scopes below); elsewhere
  // they are left unread, and discarded within bounds before the answer.
  web.removeAllContentTypeParsers();
  web.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));

  web.addHook('onRequest', async (req) => {
    const route = tagOf(req)?.route;
    if (route?.access === 'tenant') req.dhTenant = svc.auth.tenantOf(req.raw);
    else if (route?.access === 'metrics') svc.auth.checkMetrics(req.raw);
  });
  web.addHook('onSend', async (req, reply, payload) => {
    if (!req.raw.complete && !(await discardBody(req.raw, drain))) reply.header('connection', 'close');
    return payload;
  });
  web.addHook('onResponse', async (req, reply) => {
    if (req.dhConsole) return;
    svc.metrics.count('dh_http_requests_total', { route: tagOf(req)?.key ?? 'unmatched', status: String(reply.statusCode) });
  });
  web.setErrorHandler((err, req, reply) => report(err, req, reply));

  // The web console (index.html and its assets) answers where no API route does.
  const serveConsole = createConsoleStatic();
  web.setNotFoundHandler(async (req, reply) => {
    if (serveConsole(req.raw, reply.raw)) {
      req.dhConsole = true;
      reply.hijack();
      return reply;
    }
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const pathname = new URL(req.url, 'http://service.invalid').pathname;
    throw new DhError('ROUTE_NOT_FOUND', { method, path: pathname.slice(0, 200) });
  });

  const add = (scope: FastifyInstance, keys: readonly string[]) => {
    for (const key of keys) {
      const route = ROUTES[key];
      const [method, url] = key.split(' ');
      scope.route({
        // HEAD is the GET without its body, as its own route: fastify's automatic HEAD route would
        // read a download's whole stream and send Content-Length: 0.
        method: method === 'GET' ? ['GET', 'HEAD'] : method,
        url: url.endsWith('/') ? `${url}*` : url,
        config: { dh: { key, route } },
        handler: async (req, reply) => {
          await route.handler({ req, reply, svc, url: new URL(req.url, 'http://service.invalid'), tenant: req.dhTenant });
          return reply;
        },
      });
    }
  };
  const keysWith = (body: Route['body']) => Object.keys(ROUTES).filter((k) => ROUTES[k].body === body);
  add(web, keysWith(undefined));
  await web.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: JSON_BODY_LIMIT }, parseJsonBody);
    add(scope, keysWith('json'));
  });
  await web.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    await scope.register(multipart);
    add(scope, keysWith('multipart'));
  });
  await web.ready();
  if (!handle) throw new Error('fastify did not hand over its request listener');
  return { instance: web, handle };
}
