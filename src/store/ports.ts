// The task service's infrastructure interfaces. The embedded default implements them with SQLite,
// a local folder and an in-process queue; a scale-out deployment swaps in PostgreSQL, S3 and
// Redis behind the same shapes. Each interface has one conformance suite in test/store that
// every implementation must pass. All methods are async so networked stores fit.
import type { Readable } from 'node:stream';
import type { FaceLandmarks, FaceSummary, NumberedFace } from '../core/types.js';
import type { RenderSpec } from '../spec/index.js';

export type TaskStatus = 'queued' | 'processing' | 'succeeded' | 'failed' | 'expired';
export const TASK_STATUSES: readonly TaskStatus[] = ['queued', 'processing', 'succeeded', 'failed', 'expired'];

/** Where a task's picture and speech come from, as the client named them. */
export interface TaskInputs {
  readonly imageUrl?: string;
  readonly audioUrl?: string;
  /**
   * Media keys when imageUrl/audioUrl name this service's own files, resolved at create time:
   * the service's address may differ after a restart, the key does not.
   */
  readonly imageKey?: string;
  readonly audioKey?: string;
  /** Avatar whose stored image and face analysis this task reuses. */
  readonly avatarId?: number;
  /** Media keys of the spec's speakers' audioUrl, in its order, when they name our files (else null). */
  readonly speakerAudioKeys?: readonly (string | null)[];
}

/**
 * What the client asked for, after validation: enough to (re)run the task from scratch. The
 * spec is the validated render specification, carried unchanged to the renderer. Rows written
 * before it existed have another shape: read them with readTaskInput (store/task-input.ts).
 */
export interface TaskInput {
  readonly inputs: TaskInputs;
  readonly spec: RenderSpec;
  /** Keep the analysed face as an avatar. */
  readonly isNewAvatar: boolean;
  readonly callbackUrl?: string;
  readonly thumbnailUrl?: string;
}

export interface TaskOutput {
  readonly videoKey: string;
  readonly thumbnailKey?: string;
  readonly width: number;
  readonly height: number;
  readonly durationSeconds: number;
  readonly timings: Readonly<Record<string, number>>;
  /** How the face was found and its points (absent on tasks finished before faces were reported). */
  readonly face?: FaceSummary;
  /** How a video rendered in segments was made: how many, and the workers that rendered them. */
  readonly render?: { readonly segments: number; readonly workers: readonly string[] };
  /** Every face in the picture, numbered left to right (absent on tasks finished before faces were listed). */
  readonly faces?: readonly NumberedFace[];
}

export interface TaskRecord {
  readonly id: number;
  readonly tenant: string;
  readonly videoName: string;
  readonly status: TaskStatus;
  /** 0-100. */
  readonly progress: number;
  readonly input: TaskInput;
  readonly output: TaskOutput | null;
  /** Avatar created by (isNewAvatar) or used by this task. */
  readonly avatarId: number | null;
  readonly errorCode: number | null;
  readonly errorMessage: string | null;
  readonly warnings: readonly string[];
  /** Times a worker started it (restarts of the service included). */
  readonly attempts: number;
  /** Times its render died under it (a crash or kill of the render process, not of the service). */
  readonly crashes: number;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly expiresAt: number | null;
}

export interface NewTask {
  readonly tenant: string;
  readonly videoName: string;
  readonly input: TaskInput;
  readonly warnings?: readonly string[];
  readonly createdAt: number;
}

export interface AvatarRecord {
  readonly id: number;
  readonly tenant: string;
  /** Media key of the source image the landmarks belong to. */
  readonly imageKey: string;
  /** Landmarks in that image's pixel coordinates; null when no face was found. */
  readonly face: FaceLandmarks | null;
  /**
   * Every face found in the image, numbered left to right (the numbers speakers name), so that a
   * task with speakers reuses them without looking again; absent on avatars stored before faces
   * were kept, or made from a face marked by points.
   */
  readonly faces?: readonly FaceLandmarks[];
  readonly createdAt: number;
}

export type MediaKind = 'image' | 'audio' | 'video' | 'thumbnail';

/** A file the service handed out a URL for (uploads, inputs, results). */
export interface FileRecord {
  readonly key: string;
  readonly tenant: string;
  readonly kind: MediaKind;
  readonly bytes: number;
  readonly contentType: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** Set when retention deleted the bytes; the record stays so downloads can answer 410. */
  readonly deletedAt: number | null;
  readonly taskId: number | null;
}

export interface ListQuery {
  readonly status?: TaskStatus;
  readonly offset: number;
  readonly limit: number;
}

// The task store's contract comes in three sections, as BullMQ groups its queue backend's
// (jobs, queue state, ...): each section is a small interface a reader can take in at once, each
// has its own part of the conformance suite (test/store/conformance/), and code that needs one
// section can ask for just that. An implementation provides all three over one database, so a
// task and its files and avatar stay consistent.

/** Tasks: creation with the queue's admission limit, the worker's lifecycle, retention, callbacks. */
export interface TaskSection {
  /** Records a queued task. */
  createTask(task: NewTask): Promise<TaskRecord>;
  /**
   * The queue's admission: records a queued task only while fewer than `limit` tasks are queued,
   * counted and inserted in one transaction so that concurrent creators, in any number of
   * processes, cannot pass the limit together. Null when the limit is reached.
   */
  admitTask(task: NewTask, limit: number): Promise<TaskRecord | null>;
  /** Only the tenant's own tasks are visible. */
  getTask(tenant: string, id: number): Promise<TaskRecord | null>;
  /** Newest first. */
  listTasks(tenant: string, query: ListQuery): Promise<{ items: TaskRecord[]; total: number }>;
  /** Removes the task and answers whether it existed for this tenant. */
  deleteTask(tenant: string, id: number): Promise<boolean>;
  /** Any tenant's task, for the worker. */
  getTaskForWorker(id: number): Promise<TaskRecord | null>;
  /** queued|processing -> processing, attempts + 1; null when the task is gone or finished. */
  startTask(id: number, now: number): Promise<TaskRecord | null>;
  setProgress(id: number, progress: number): Promise<void>;
  /**
   * Records success. With `attempt` (the start the caller runs, TaskRecord.attempts as startTask
   * answered it), only while the task is processing in that start: a worker whose job was taken
   * over (its lock lapsed) cannot finish the task a second time. Answers whether it recorded.
   */
  finishTask(id: number, outcome: { output: TaskOutput; avatarId: number | null; now: number; expiresAt: number; attempt?: number }): Promise<boolean>;
  failTask(id: number, error: { code: number; message: string; now: number; expiresAt: number }): Promise<void>;
  /** Back to queued after its render died: crashes + 1, attempts kept. */
  requeueAfterCrash(id: number): Promise<void>;
  /** Tasks a previous run left queued or processing, oldest first: the restart recovery list. */
  unfinishedTasks(): Promise<TaskRecord[]>;
  /**
   * Finished tasks whose storage period ended: marks them expired and returns them. Each task is
   * returned by one call only, also when several processes sweep at once.
   */
  expireTasks(now: number): Promise<TaskRecord[]>;
  /**
   * Succeeded or failed tasks with a callbackUrl whose notification is not settled yet, oldest
   * first: the callbacks a previous run was still sending when it stopped.
   */
  pendingCallbacks(): Promise<TaskRecord[]>;
  /** Records that the task's callback was delivered, or given up on after its retries. */
  settleCallback(id: number, delivered: boolean): Promise<void>;
  /** Counts for health and metrics. */
  countByStatus(): Promise<Record<TaskStatus, number>>;
}

/** Avatars: a portrait and its face analysis, reused by later tasks of the same tenant. */
export interface AvatarSection {
  createAvatar(avatar: Omit<AvatarRecord, 'id'>): Promise<AvatarRecord>;
  getAvatar(tenant: string, id: number): Promise<AvatarRecord | null>;
  /** The tenant's avatars, newest first. */
  listAvatars(tenant: string, query: Omit<ListQuery, 'status'>): Promise<{ items: AvatarRecord[]; total: number }>;
  /** Removes the avatar and answers whether it existed for this tenant. */
  deleteAvatar(tenant: string, id: number): Promise<boolean>;
}

/** Files: the records behind the URLs the service hands out, kept as tombstones after retention. */
export interface FileSection {
  putFile(file: Omit<FileRecord, 'deletedAt'>): Promise<void>;
  getFile(key: string): Promise<FileRecord | null>;
  /**
   * Files past their expiry and not yet deleted: marks them deleted and returns them, each to one
   * call only.
   */
  expireFiles(now: number): Promise<FileRecord[]>;
  /** Files of one task (inputs and outputs), for deletion with the task. */
  filesOfTask(taskId: number): Promise<FileRecord[]>;
  /** Marks files deleted now (their bytes are gone); downloads then answer 410. */
  markFilesDeleted(keys: readonly string[], now: number): Promise<void>;
}

export interface TaskStore extends TaskSection, AvatarSection, FileSection, SegmentSection {
  /** Which implementation this is, for /healthz. */
  readonly backend: string;
  /** Resolves when the database answers; throws when it does not (for /healthz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface ByteRange { readonly start: number; readonly end: number }

/** Bytes by key. Keys are relative, slash-separated, and never contain "..". */
export interface MediaStore {
  put(key: string, data: Uint8Array): Promise<void>;
  /** Moves a finished local file into the store (the render worker writes to local scratch). */
  putFile(key: string, file: string): Promise<void>;
  /** Size in bytes, or null when absent. */
  size(key: string): Promise<number | null>;
  /** The bytes, or an inclusive byte range of them. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /**
   * Writes the bytes to a local file (a worker's scratch, for ffmpeg and the face model); the
   * caller deletes it. The file may share its storage with the stored one: it must not be written.
   */
  download(key: string, file: string): Promise<void>;
  /** Deletes; absent keys are fine. */
  remove(key: string): Promise<void>;
}

/** A task to run, or one segment of a task rendered in segments. */
export interface Job { readonly taskId: number; readonly segment?: number }

/** What identifies a job in a queue: a task has at most one job, and each of its segments one. */
export const jobKey = (job: Job): string => (job.segment === undefined ? `${job.taskId}` : `${job.taskId}.${job.segment}`);

/**
 * A job a worker has taken. It stays the worker's until completed or released; a queue shared
 * between processes keeps it under a lock the lease renews, so the job of a worker that died
 * goes back to the queue once the lock lapses.
 */
export interface Lease {
  readonly job: Job;
  /**
   * Aborts when the queue took the job back from this worker (its lock lapsed): another worker
   * may be running it now, so this one must stop and not record a result.
   */
  readonly lost: AbortSignal;
  /** The render's progress, 0-100; every process reads it through `active()`. */
  progress(percent: number): Promise<void>;
  /** The job is done with (the task finished, failed or is gone): it leaves the queue. */
  complete(): Promise<void>;
  /** Gives the job back, to be taken again by any worker. */
  release(): Promise<void>;
}

/** A job a worker holds right now. */
export interface ActiveJob {
  readonly taskId: number;
  /** The segment held, for a task rendered in segments. */
  readonly segment?: number;
  /** Who holds it: the worker's id (host and process). */
  readonly worker: string;
  /** 0-100 as last reported through the lease. */
  readonly progress: number;
}

/** Durations the workers record: one segment's render (inputs fetched to video stored), and a join. */
export type TimingName = 'segment' | 'join';

/** Upper bounds (seconds) of the timing histograms' buckets. */
export const TIMING_BUCKETS: readonly number[] = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];

export interface Timings {
  /** How many observations were at most TIMING_BUCKETS[i] (cumulative, as Prometheus has it). */
  readonly buckets: readonly number[];
  readonly sum: number;
  readonly count: number;
}

/**
 * Work waiting for a render worker. Delivery is at least once: a task may be started twice (the
 * task store's state decides whether it still needs running). A task has at most one job: adding
 * one for a task (or segment) already waiting or held is a no-op.
 */
export interface JobQueue {
  /**
   * Adds the job; with `limit`, only while fewer than `limit` jobs are waiting, checked and added
   * in one step so concurrent callers (in any process) cannot pass it together. Answers whether
   * the task's job is now in the queue.
   */
  enqueue(job: Job, limit?: number): Promise<boolean>;
  /** Waits for the next job; null once the queue is closed or `signal` aborts. */
  take(signal?: AbortSignal): Promise<Lease | null>;
  /** Jobs waiting (not the ones being worked on). */
  waiting(): Promise<number>;
  /** Jobs held by workers, in every process sharing the queue. */
  active(): Promise<ActiveJob[]>;
  /**
   * Adds one duration to a histogram kept with the queue, so every process sharing it adds to
   * the same one and the API's /metrics shows the workers' timings.
   */
  observe(name: TimingName, seconds: number): Promise<void>;
  /** The histogram as all processes left it (zeros when nothing was observed). */
  timings(name: TimingName): Promise<Timings>;
  /**
   * Takes no more jobs and gives back those delivered but not taken. Callers end their leases
   * (complete or release) first: a shared queue waits for them.
   */
  close(): Promise<void>;
}

/** One frame range of a task rendered in parallel segments. */
export interface SegmentRecord {
  readonly index: number;
  readonly start: number;
  readonly end: number;
  /** 0-100. */
  readonly progress: number;
  readonly done: boolean;
  /** The worker that finished it, and where its video is. */
  readonly worker: string | null;
  readonly key: string | null;
}

export interface SegmentPlan {
  readonly taskId: number;
  readonly frameCount: number;
  /** What every segment's render shares (the face, the inputs' keys, phonemes): opaque JSON here. */
  readonly data: unknown;
  readonly segments: readonly SegmentRecord[];
}

/**
 * The ledger of a task rendered in segments by several workers at once. Each call is one atomic
 * step, so two workers finishing the last two segments together see exactly one "none left".
 */
export interface SegmentSection {
  /** Records the plan; a task planned already keeps its first plan (a re-delivered job re-plans). */
  planSegments(taskId: number, plan: { readonly frameCount: number; readonly data: unknown; readonly ranges: readonly { start: number; end: number }[] }): Promise<SegmentPlan>;
  getSegments(taskId: number): Promise<SegmentPlan | null>;
  /** A segment's progress; the task's progress becomes the frame-weighted mean of its segments. */
  setSegmentProgress(taskId: number, index: number, percent: number): Promise<void>;
  /** Marks a segment done (the first finisher's record stays) and answers how many are not. */
  finishSegment(taskId: number, index: number, worker: string, key: string): Promise<{ remaining: number }>;
  /** A segment's render died: the task's crashes + 1, its status unchanged (its other segments go on). */
  countCrash(taskId: number): Promise<void>;
  /** Forgets the plan (the task finished, failed or was deleted). */
  dropSegments(taskId: number): Promise<void>;
}
