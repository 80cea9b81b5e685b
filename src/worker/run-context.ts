// What a job's run (a whole task or one segment of it) shares with the runner that took it:
// the runner's dependencies, its signals, and the steps that record an outcome.
import type { FileRecord, JobQueue, MediaKind, MediaStore, TaskOutput, TaskRecord, TaskStore, TimingName } from '../store/ports.js';
import type { FileUrls } from '../tasks/file-urls.js';
import type { RenderJob, RenderJobResult } from './render-job.js';
import type { WorkerThread } from './thread.js';
import type { WebhookOptions } from './webhook.js';

export interface RunnerDeps {
  readonly store: TaskStore;
  readonly media: MediaStore;
  readonly queue: JobQueue;
  readonly threads: readonly WorkerThread[];
  readonly urls: FileUrls;
  readonly clock: () => number;
  readonly retentionMs: number;
  readonly allowPrivateUrls: boolean;
  /** Local scratch space for renders in flight. */
  readonly scratchRoot: string;
  readonly webhookSecret: (tenant: string) => string | null;
  readonly webhook: Omit<WebhookOptions, 'log'>;
  readonly onFinished?: (task: TaskRecord, seconds: number) => void;
  readonly log: (line: string) => void;
  /**
   * Render videos longer than about one and a half of these in segments of this many seconds,
   * which any workers take from the queue at once; null = every video in one piece.
   */
  readonly segmentSeconds: number | null;
  /** Names this process in segment records (the task detail lists who rendered a video). */
  readonly workerId: string;
}

/** How a render that threw ends for its job. */
export type Settled =
  /** Nobody wants the job any more: another worker holds it, or its task was deleted. */
  | 'gone'
  /** Back to the queue: the service is stopping, or the render died and may be retried. */
  | 'give-back'
  /** The task is failed and recorded so. */
  | 'failed';

export interface RunContext {
  readonly deps: RunnerDeps;
  /** Aborted when the service stops: renders in flight are abandoned and their jobs given back. */
  readonly stopping: AbortSignal;
  /** Renders in flight by task, aborted when their task is deleted. */
  readonly inFlight: Map<number, AbortController>;
  /** The machine's cores shared among the renders that may run at once. */
  frameWorkers(): number;
  /** Moves a file into the media store and records it. `expiresAt` null keeps it until deleted. */
  keep(task: TaskRecord, key: string, file: string, kind: MediaKind, now: number, expiresAt: number | null): Promise<FileRecord>;
  /** Stores a finished render's files and records the task succeeded (unless another start owns it). */
  succeed(task: TaskRecord, scratchDir: string, r: RenderJobResult, inputs: { image: boolean; audio: boolean }, render: TaskOutput['render']): Promise<void>;
  /** Decides and records what an error thrown by a render means; `retry` counts a render's death. */
  settleError(err: unknown, task: TaskRecord, what: string, signals: { lost: AbortSignal; deleted: AbortSignal }, retry: () => Promise<void>): Promise<Settled>;
  observe(name: TimingName, since: number): Promise<void>;
  /** Once a task has succeeded or failed: its duration figure and its callback. */
  reportIfFinished(taskId: number, started: number): Promise<void>;
}

/** Inputs a task keeps as its own: downloaded or synthesized ones (uploads are kept already). */
// A dialogue's tracks stay where they came from: the task's input lists their URLs.
export const inputsToKeep = (job: RenderJob): { image: boolean; audio: boolean } =>
  ({ image: 'url' in job.resolvedInputs.image, audio: !job.spec.speakers && (!job.resolvedInputs.audio || 'url' in job.resolvedInputs.audio) });
