// What every route handler gets: the parts of the service, wired once in app.ts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../core/config.js';
import type { FileUrls } from '../tasks/file-urls.js';
import type { JobQueue, MediaStore, TaskStore } from '../store/ports.js';
import type { Runner } from '../worker/runner.js';
import type { WorkerThread } from '../worker/thread.js';
import type { Auth } from './auth.js';
import type { Dependency } from './backends.js';
import type { Metrics } from './metrics.js';

export interface Service {
  readonly config: Config;
  readonly auth: Auth;
  readonly store: TaskStore;
  readonly media: MediaStore;
  readonly queue: JobQueue;
  readonly urls: FileUrls;
  readonly runner: Runner;
  /** The thread that runs speech synthesis for the voice endpoints. */
  readonly speechThread: WorkerThread;
  readonly clock: () => number;
  readonly retentionMs: number;
  readonly scratchRoot: string;
  readonly metrics: Metrics;
  readonly log: (line: string) => void;
  /** The servers and stores it needs, for /healthz. */
  readonly dependencies: readonly Dependency[];
}

export interface RouteContext {
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
  readonly url: URL;
  readonly svc: Service;
  /** The caller's tenant, on routes that require one (checked before the body is read). */
  readonly tenant: string;
}

export type Handler = (ctx: RouteContext) => Promise<void>;
