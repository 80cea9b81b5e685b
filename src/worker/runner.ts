// Takes tasks off the queue and drives each through a worker thread: locate inputs (uploads,
// avatars, URLs: tasks/inputs.ts), render, move the results into the media store, record the outcome, notify.
// Runs on the service's main thread but does no heavy work there.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DhError, toDhError, withoutServerPaths } from '../core/errors.js';
import type { FaceLandmarks, PhonemeEvent } from '../core/types.js';
import { VIDEO } from '../core/video.js';
import { faceSummary } from '../analyze/face/index.js';
import { planSegments } from '../pipeline/index.js';
import { sniffMedia } from '../media/sniff.js';
import type { FileUrls } from '../tasks/file-urls.js';
import { taskView } from '../tasks/view.js';
import type { FileRecord, JobQueue, Lease, MediaKind, MediaStore, SegmentPlan, TaskOutput, TaskRecord, TaskStore, TimingName } from '../store/ports.js';
import { locateInputs, type InputRef, type InputSources } from '../tasks/inputs.js';
import type { RenderJob, RenderJobResult, RenderPlanResult } from './render-job.js';
import { ThreadCrashed, type WorkerThread } from './thread.js';
import { deliverWebhook, type WebhookOptions } from './webhook.js';

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

/** What a segmented task's plan shares with its segments' workers (stored as the plan's data). */
interface SegmentedInputs {
  /** The face found once for all segments, its points as plain numbers (JSON has no Float32Array). */
  readonly face: Omit<FaceLandmarks, 'points'> & { readonly points: readonly number[] };
  readonly phonemes?: readonly PhonemeEvent[];
  readonly imageKey: string;
  readonly audioKey: string;
  /** What the client calls the inputs, for messages. */
  readonly imageLabel: string;
  readonly audioLabel: string;
  /** The inputs the finished task keeps as its own (downloaded or synthesized ones). */
  readonly keepImage: boolean;
  readonly keepAudio: boolean;
}

/** A task whose render died under it this many times is failed rather than retried again. */
export const MAX_CRASHES = 3;
/**
 * Restarts of the service never fail a task; only a task started this many times without ever
 * finishing (a service that keeps dying while it renders) is given up, so nothing loops forever.
 */
export const MAX_STARTS = 20;

export interface Runner {
  /** Aborts the task's render if it is in flight (the task was deleted). */
  cancel(taskId: number): void;
  /**
   * Re-enqueues what a previous run left queued or processing (a task already in a shared queue
   * is not added twice), and with `callbacks` resends the notifications it was still sending.
   */
  recover(opts?: { callbacks?: boolean }): Promise<number>;
  /** Stops now: renders in flight are abandoned and their jobs given back to the queue. */
  stop(): Promise<void>;
  /** Takes no new job, lets the renders in flight finish, then stops. */
  drain(): Promise<void>;
}

/**
 * How often a render checks that its task still exists: a task deleted through another process's
 * API is not cancelled by that process, so the worker notices on its own.
 */
const EXISTS_CHECK_MS = 5_000;


/**
 * Scratch entries (task folders, uploads in progress) that a previous run of the service left
 * when it was killed. Entries touched since `since` belong to work running now and stay.
 */
async function removeStaleScratch(root: string, since: number): Promise<number> {
  let names: string[];
  try { names = await fs.readdir(root); } catch { return 0; }
  let removed = 0;
  for (const name of names) {
    const p = path.join(root, name);
    const stat = await fs.stat(p).catch(() => null);
    if (stat && stat.mtimeMs < since) { await fs.rm(p, { recursive: true, force: true }); removed++; }
  }
  return removed;
}

export function startRunner(deps: RunnerDeps): Runner {
  const { store, media, queue, urls } = deps;
  const startedAt = Date.now();
  const inFlight = new Map<number, AbortController>();
  /** Aborts renders in flight (stop). */
  const stopping = new AbortController();
  /** Ends the taking of new jobs (stop and drain). */
  const noMore = new AbortController();

  /** A stored file, copied into the task's scratch folder (the store may be on another machine). */
  const sources: InputSources = { store, media, urls, allowPrivateUrls: deps.allowPrivateUrls, retentionDays: Math.round(deps.retentionMs / 86_400_000) };

  async function buildJob(task: TaskRecord): Promise<RenderJob> {
    const { inputs, spec, thumbnailUrl } = task.input;
    return {
      resolvedInputs: await locateInputs(sources, task.tenant, inputs, path.join(deps.scratchRoot, String(task.id)), spec.speakers),
      spec,
      run: {
        taskId: task.id,
        scratchDir: path.join(deps.scratchRoot, String(task.id)),
        thumbnail: !thumbnailUrl,
        allowPrivateUrls: deps.allowPrivateUrls,
        frameWorkers: frameWorkers(),
      },
    };
  }

  /** The machine's cores shared among the renders that may run at once. */
  const frameWorkers = () => Math.max(1, Math.round(os.availableParallelism() / deps.threads.length));
  const labelOf = (ref: InputRef) => ('url' in ref ? ref.url : ref.label);
  /** Inputs a task keeps as its own: downloaded or synthesized ones (uploads are kept already). */
  // A dialogue's tracks stay where they came from: the task's input lists their URLs.
  const inputsToKeep = (job: RenderJob) => ({ image: 'url' in job.resolvedInputs.image, audio: !job.spec.speakers && (!job.resolvedInputs.audio || 'url' in job.resolvedInputs.audio) });

  async function keep(task: TaskRecord, key: string, file: string, kind: MediaKind, now: number, expiresAt: number | null): Promise<FileRecord> {
    const head = Buffer.alloc(16);
    const fh = await fs.open(file, 'r');
    try { await fh.read(head, 0, 16, 0); } finally { await fh.close(); }
    const bytes = (await fs.stat(file)).size;
    await media.putFile(key, file);
    const contentType = kind === 'video' ? 'video/mp4' : kind === 'thumbnail' ? 'image/jpeg' : sniffMedia(head)?.contentType ?? 'application/octet-stream';
    const record = { key, tenant: task.tenant, kind, bytes, contentType, createdAt: now, expiresAt: expiresAt ?? Number.MAX_SAFE_INTEGER, taskId: expiresAt === null ? null : task.id };
    await store.putFile(record);
    return { ...record, deletedAt: null };
  }

  async function succeed(task: TaskRecord, scratchDir: string, r: RenderJobResult, inputs: { image: boolean; audio: boolean }, render: TaskOutput['render']): Promise<void> {
    const now = deps.clock();
    const expiresAt = now + deps.retentionMs;
    const dir = `${task.tenant}/tasks/${task.id}`;
    let avatarId: number | null = task.input.inputs.avatarId ?? null;
    if (task.input.isNewAvatar) {
      // The avatar outlives the task's retention: it is the tenant's asset until they delete it.
      const imageKey = `${task.tenant}/avatars/${randomUUID()}`;
      await fs.copyFile(r.image, path.join(scratchDir, 'avatar-image'));
      await keep(task, imageKey, path.join(scratchDir, 'avatar-image'), 'image', now, null);
      avatarId = (await store.createAvatar({ tenant: task.tenant, imageKey, face: r.face, ...(r.foundFaces.length ? { faces: r.foundFaces } : {}), createdAt: now })).id;
    }
    const videoKey = `${dir}/video.mp4`;
    await keep(task, videoKey, r.video, 'video', now, expiresAt);
    const thumbnailKey = r.thumbnail ? `${dir}/thumbnail.jpg` : undefined;
    if (r.thumbnail) await keep(task, thumbnailKey!, r.thumbnail, 'thumbnail', now, expiresAt);
    // Downloaded or synthesized inputs are kept with the task and deleted with it.
    if (inputs.image) await keep(task, `${dir}/input-image`, r.image, 'image', now, expiresAt);
    if (inputs.audio) await keep(task, `${dir}/input-audio`, r.audio, 'audio', now, expiresAt);
    const recorded = await store.finishTask(task.id, {
      output: { videoKey, thumbnailKey, width: r.width, height: r.height, durationSeconds: r.durationSeconds, timings: r.timings, face: r.face ? faceSummary(r.face) : undefined, faces: r.faces, render },
      avatarId, now, expiresAt, attempt: task.attempts,
    });
    if (!recorded) {
      // Another start of this task owns it now (this worker's lock lapsed): its result is the one
      // recorded, and the avatar this run made would be a second one.
      if (task.input.isNewAvatar && avatarId !== null) await store.deleteAvatar(task.tenant, avatarId);
      deps.log(`task ${task.id}: start ${task.attempts} finished after another start took the task over; its result was dropped`);
    }
  }

  /**
   * Sends the task's callback in the background. The outcome is recorded, so a callback still
   * being retried when the service stops is sent again by the next run (at least once: a
   * receiver may see a task's notification twice and should key on its id).
   */
  function notify(taskId: number): void {
    void (async () => {
      const task = await store.getTaskForWorker(taskId);
      if (!task?.input.callbackUrl) return;
      let delivered = false;
      try {
        await deliverWebhook(task.input.callbackUrl, { event: 'task.finished', data: taskView(task, urls) }, deps.webhookSecret(task.tenant), { ...deps.webhook, log: deps.log });
        delivered = true;
      } finally {
        if (!stopping.signal.aborted) await store.settleCallback(taskId, delivered);
      }
    })().catch((err: Error) => deps.log(err.message));
  }

  /** Records a failure; the message is the last gate before clients see it, so no server path passes. */
  async function fail(taskId: number, e: DhError): Promise<void> {
    const now = deps.clock();
    await store.failTask(taskId, { code: e.code, message: withoutServerPaths(e.message, [[deps.scratchRoot, 'the working folder']]), now, expiresAt: now + deps.retentionMs });
  }

  /**
   * Plans a long video as segments and queues them; answers false for a video short enough to
   * render whole. A task planned already (its job came back after a restart) keeps its plan and
   * queues again what is not done.
   */
  async function planInSegments(thread: WorkerThread, task: TaskRecord, job: RenderJob, signal: AbortSignal): Promise<boolean> {
    let plan = await store.getSegments(task.id);
    if (!plan) {
      const p = await thread.run<RenderPlanResult>({ kind: 'render', job: { ...job, part: { kind: 'plan' } } }, { signal });
      const ranges = planSegments(p.frameCount, Math.round(deps.segmentSeconds! * VIDEO.fps));
      if (ranges.length < 2) return false;
      // Workers share nothing but the stores: the inputs as fetched or synthesized go there.
      const now = deps.clock(), expiresAt = now + deps.retentionMs;
      const dir = `${task.tenant}/tasks/${task.id}/segments`;
      await keep(task, `${dir}/image`, p.image, 'image', now, expiresAt);
      await keep(task, `${dir}/audio`, p.audio, 'audio', now, expiresAt);
      const keepInputs = inputsToKeep(job);
      const data: SegmentedInputs = {
        face: { ...p.face, points: Array.from(p.face.points) }, ...(p.phonemes ? { phonemes: p.phonemes } : {}), imageKey: `${dir}/image`, audioKey: `${dir}/audio`,
        imageLabel: labelOf(job.resolvedInputs.image), audioLabel: job.resolvedInputs.audio ? labelOf(job.resolvedInputs.audio) : 'the synthesized speech',
        keepImage: keepInputs.image, keepAudio: keepInputs.audio,
      };
      plan = await store.planSegments(task.id, { frameCount: p.frameCount, data, ranges });
    }
    const left = plan.segments.filter((x) => !x.done);
    // All done already (the join was cut short): one segment job runs the join again.
    for (const x of left.length > 0 ? left : plan.segments.slice(-1)) await queue.enqueue({ taskId: task.id, segment: x.index });
    return true;
  }

  /**
   * One segment of a planned task: renders it unless done, records it, and the worker that
   * finishes the last one joins them and finishes the task. A segment whose render dies goes
   * back to the queue alone; the others' work stands.
   */
  async function runSegment(thread: WorkerThread, lease: Lease): Promise<void> {
    const { taskId } = lease.job;
    const index = lease.job.segment!;
    const task = await store.getTaskForWorker(taskId);
    const plan = task?.status === 'processing' ? await store.getSegments(taskId) : null;
    const segment = plan?.segments[index];
    if (!task || !plan || !segment) { await lease.complete(); return; } // finished, failed or deleted meanwhile
    const data = plan.data as SegmentedInputs;
    const scratchDir = path.join(deps.scratchRoot, `${taskId}-${index}`);
    const ac = new AbortController();
    inFlight.set(taskId, ac);
    const signal = AbortSignal.any([ac.signal, stopping.signal, lease.lost]);
    const started = performance.now();
    let giveBack = false;
    try {
      await fs.rm(scratchDir, { recursive: true, force: true });
      await fs.mkdir(scratchDir, { recursive: true });
      const [image, audio] = [path.join(scratchDir, 'stored-image'), path.join(scratchDir, 'stored-audio')];
      await Promise.all([media.download(data.imageKey, image), media.download(data.audioKey, audio)]);
      const job: RenderJob = {
        resolvedInputs: { image: { file: image, label: data.imageLabel }, audio: { file: audio, label: data.audioLabel }, face: { ...data.face, points: Float32Array.from(data.face.points) } },
        spec: { ...task.input.spec, duration: plan.frameCount / VIDEO.fps },
        run: { taskId, scratchDir, thumbnail: false, allowPrivateUrls: deps.allowPrivateUrls, frameWorkers: frameWorkers() },
        ...(data.phonemes ? { phonemes: data.phonemes } : {}),
      };
      let remaining = plan.segments.filter((x) => !x.done).length;
      if (!segment.done) {
        const r = await thread.run<RenderJobResult>({ kind: 'render', job: { ...job, part: { kind: 'segment', range: segment } } }, {
          signal, onProgress: (p) => { store.setSegmentProgress(taskId, index, p).catch((err: Error) => deps.log(`task ${taskId} segment ${index}: progress not recorded: ${err.message}`)); },
        });
        if (lease.lost.aborted) return;
        const key = `${task.tenant}/tasks/${taskId}/segments/${index}.mp4`;
        await media.putFile(key, r.video);
        ({ remaining } = await store.finishSegment(taskId, index, deps.workerId, key));
        await observe('segment', started);
      }
      if (remaining > 0) return;
      const joinStarted = performance.now();
      const done = (await store.getSegments(taskId))!;
      const files = await Promise.all(done.segments.map(async (x) => {
        const file = path.join(scratchDir, `segment-${x.index}.mp4`);
        await media.download(x.key!, file);
        return file;
      }));
      const r = await thread.run<RenderJobResult>({ kind: 'render', job: { ...job, run: { ...job.run, thumbnail: !task.input.thumbnailUrl }, part: { kind: 'join', segments: files, frameCount: plan.frameCount } } }, { signal });
      if (lease.lost.aborted || !(await store.getTaskForWorker(taskId))) return;
      const workers = [...new Set(done.segments.map((x) => x.worker!))].sort();
      await succeed(task, scratchDir, r, { image: data.keepImage, audio: data.keepAudio }, { segments: done.segments.length, workers });
      await dropSegments(task, done);
      await observe('join', joinStarted);
    } catch (err) {
      if (lease.lost.aborted) return; // another worker has the segment now
      if (stopping.signal.aborted) { giveBack = true; return; }
      if (ac.signal.aborted) return; // the task was deleted
      if (err instanceof ThreadCrashed) {
        const crashes = task.crashes + 1;
        deps.log(`task ${taskId} segment ${index}: ${err.message} (render death ${crashes} of at most ${MAX_CRASHES})`);
        if (crashes < MAX_CRASHES) { await store.countCrash(taskId); giveBack = true; return; }
        await fail(taskId, new DhError('WORKER_CRASHED', { attempts: crashes, reason: err.message }));
      } else {
        const e = toDhError(err);
        if (e.id === 'INTERNAL') deps.log(`task ${taskId} segment ${index}: ${(err as Error).stack ?? e.message}`);
        await fail(taskId, e);
      }
      await dropSegments(task, plan);
    } finally {
      inFlight.delete(taskId);
      if (!stopping.signal.aborted) await fs.rm(scratchDir, { recursive: true, force: true });
      if (!lease.lost.aborted) await (giveBack ? lease.release() : lease.complete());
    }
    const final = await store.getTaskForWorker(taskId);
    if (final && (final.status === 'succeeded' || final.status === 'failed')) {
      deps.onFinished?.(final, (performance.now() - started) / 1000);
      notify(taskId);
    }
  }

  /** Timings go to the shared queue for /metrics; a failure to record one only costs the figure. */
  async function observe(name: TimingName, since: number): Promise<void> {
    await queue.observe(name, (performance.now() - since) / 1000).catch((err: Error) => deps.log(`${name} timing not recorded: ${err.message}`));
  }

  /** Once the task is settled, its segments' videos and shared inputs go; who rendered them stays in its output. */
  async function dropSegments(task: TaskRecord, plan: SegmentPlan): Promise<void> {
    const data = plan.data as SegmentedInputs;
    const keys = [...plan.segments.flatMap((x) => (x.key ? [x.key] : [])), data.imageKey, data.audioKey];
    await Promise.all(keys.map((k) => media.remove(k)));
    await store.markFilesDeleted([data.imageKey, data.audioKey], deps.clock());
    await store.dropSegments(task.id);
  }

  async function runTask(thread: WorkerThread, lease: Lease): Promise<void> {
    const task = await store.startTask(lease.job.taskId, deps.clock());
    if (!task) { await lease.complete(); return; } // deleted, or finished by a run that died before it let go of the job
    // What a killed run of this task left behind (a partial video, downloads) is not reused.
    await fs.rm(path.join(deps.scratchRoot, String(task.id)), { recursive: true, force: true });
    if (task.attempts > MAX_STARTS) {
      await fail(task.id, new DhError('WORKER_CRASHED', { attempts: task.attempts - 1, reason: 'the service stopped during every one of them' }));
      await lease.complete();
      notify(task.id);
      return;
    }
    const ac = new AbortController();
    inFlight.set(task.id, ac);
    const signal = AbortSignal.any([ac.signal, stopping.signal, lease.lost]);
    const exists = setInterval(() => {
      store.getTaskForWorker(task.id).then((t) => { if (!t) ac.abort(); }, () => {});
    }, EXISTS_CHECK_MS);
    const started = performance.now();
    let job: RenderJob | null = null;
    /** What becomes of the job: given back (stopped, crashed) or done with. */
    let giveBack = false;
    try {
      job = await buildJob(task);
      // Segments queued: the task goes on in them, on whichever workers take them.
      // A video with several speakers renders in one piece: its mix and faces are not planned for segments.
      if (deps.segmentSeconds !== null && !job.spec.speakers && await planInSegments(thread, task, job, signal)) return;
      const result = await thread.run<RenderJobResult>({ kind: 'render', job }, {
        signal, onProgress: (p) => { lease.progress(p).catch((err: Error) => deps.log(`task ${task.id}: progress not recorded: ${err.message}`)); },
      });
      // Taken back from this worker (its lock lapsed), or deleted meanwhile: another run owns the
      // result, or nobody wants it; storing it would leave files no task points at.
      if (lease.lost.aborted || !(await store.getTaskForWorker(task.id))) return;
      await succeed(task, job.run.scratchDir, result, inputsToKeep(job), { segments: 1, workers: [deps.workerId] });
    } catch (err) {
      if (lease.lost.aborted) return; // another worker has the task now
      if (stopping.signal.aborted) { giveBack = true; return; } // left processing: the next worker picks it up
      if (ac.signal.aborted) return; // deleted by its owner
      if (err instanceof ThreadCrashed) {
        const crashes = task.crashes + 1;
        deps.log(`task ${task.id}: ${err.message} (render death ${crashes} of at most ${MAX_CRASHES})`);
        if (crashes < MAX_CRASHES) { await store.requeueAfterCrash(task.id); giveBack = true; return; }
        const e = new DhError('WORKER_CRASHED', { attempts: crashes, reason: err.message });
        await fail(task.id, e);
      } else {
        const e = toDhError(err);
        if (e.id === 'INTERNAL') deps.log(`task ${task.id}: ${(err as Error).stack ?? e.message}`);
        await fail(task.id, e);
      }
    } finally {
      clearInterval(exists);
      inFlight.delete(task.id);
      // Also when building the job failed part way, after copying stored inputs in.
      if (!stopping.signal.aborted) await fs.rm(job?.run.scratchDir ?? path.join(deps.scratchRoot, String(task.id)), { recursive: true, force: true });
      // A lost lease is the queue's already; ending it again would only be refused.
      if (!lease.lost.aborted) await (giveBack ? lease.release() : lease.complete());
    }
    const final = await store.getTaskForWorker(task.id);
    if (final && (final.status === 'succeeded' || final.status === 'failed')) {
      deps.onFinished?.(final, (performance.now() - started) / 1000);
      notify(task.id);
    }
  }

  const loops = deps.threads.map(async (thread) => {
    while (!noMore.signal.aborted) {
      const lease = await queue.take(noMore.signal);
      if (!lease) break;
      try {
        if (lease.job.segment !== undefined) await runSegment(thread, lease);
        else await runTask(thread, lease);
      } catch (err) {
        deps.log(`task ${lease.job.taskId}: ${(err as Error).stack ?? err}`);
        // The store could not be reached: the job goes back rather than being dropped.
        await lease.release().catch(() => {});
      }
    }
  });

  async function end(): Promise<void> {
    await Promise.allSettled(loops);
    await queue.close();
    await Promise.all(deps.threads.map((t) => t.close()));
  }

  return {
    cancel(taskId) { inFlight.get(taskId)?.abort(); },
    async recover(opts = {}) {
      const stale = await removeStaleScratch(deps.scratchRoot, startedAt);
      if (stale > 0) deps.log(`removed ${stale} scratch entr${stale === 1 ? 'y' : 'ies'} left by an earlier run`);
      const list = await store.unfinishedTasks();
      for (const t of list) await queue.enqueue({ taskId: t.id });
      if (opts.callbacks ?? true) for (const t of await store.pendingCallbacks()) notify(t.id);
      return list.length;
    },
    async stop() {
      noMore.abort();
      stopping.abort();
      // Ending the render processes makes the renders in flight fail fast; their jobs go back.
      await Promise.all(deps.threads.map((t) => t.close()));
      await end();
    },
    async drain() {
      noMore.abort();
      await end();
    },
  };
}
