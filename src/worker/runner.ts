// Takes tasks off the queue and drives each through a worker thread: locate inputs (uploads,
// avatars, URLs: tasks/inputs.ts), render, move the results into the media store, record the outcome, notify.
// Runs on the service's main thread but does no heavy work there.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DhError, toDhError, withoutServerPaths } from '../core/errors.js';
import { faceSummary } from '../analyze/face/index.js';
import { sniffMedia } from '../media/sniff.js';
import { taskView } from '../tasks/view.js';
import type { FileRecord, Lease, MediaKind, TaskOutput, TaskRecord, TimingName } from '../store/ports.js';
import { locateInputs, type InputSources } from '../tasks/inputs.js';
import type { RenderJob, RenderJobResult } from './render-job.js';
import { inputsToKeep, type RunContext, type RunnerDeps, type Settled } from './run-context.js';
import { planInSegments, runSegment } from './segments.js';
import { ThreadCrashed, type WorkerThread } from './thread.js';
import { deliverWebhook } from './webhook.js';

export type { RunnerDeps } from './run-context.js';

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

  const frameWorkers = () => Math.max(1, Math.round(os.availableParallelism() / deps.threads.length));

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

  /** Timings go to the shared queue for /metrics; a failure to record one only costs the figure. */
  async function observe(name: TimingName, since: number): Promise<void> {
    await queue.observe(name, (performance.now() - since) / 1000).catch((err: Error) => deps.log(`${name} timing not recorded: ${err.message}`));
  }

  /**
   * What an error thrown by a render means for its job. A death of the render process is retried
   * up to MAX_CRASHES (`retry` counts it); any other error fails the task with its message.
   */
  async function settleError(err: unknown, task: TaskRecord, what: string, signals: { lost: AbortSignal; deleted: AbortSignal }, retry: () => Promise<void>): Promise<Settled> {
    if (signals.lost.aborted) return 'gone'; // another worker has the job now
    if (stopping.signal.aborted) return 'give-back'; // left processing: the next worker picks it up
    if (signals.deleted.aborted) return 'gone'; // deleted by its owner
    if (err instanceof ThreadCrashed) {
      const crashes = task.crashes + 1;
      deps.log(`${what}: ${err.message} (render death ${crashes} of at most ${MAX_CRASHES})`);
      if (crashes < MAX_CRASHES) { await retry(); return 'give-back'; }
      await fail(task.id, new DhError('WORKER_CRASHED', { attempts: crashes, reason: err.message }));
    } else {
      const e = toDhError(err);
      if (e.id === 'INTERNAL') deps.log(`${what}: ${(err as Error).stack ?? e.message}`);
      await fail(task.id, e);
    }
    return 'failed';
  }

  async function reportIfFinished(taskId: number, started: number): Promise<void> {
    const final = await store.getTaskForWorker(taskId);
    if (final && (final.status === 'succeeded' || final.status === 'failed')) {
      deps.onFinished?.(final, (performance.now() - started) / 1000);
      notify(taskId);
    }
  }

  const ctx: RunContext = { deps, stopping: stopping.signal, inFlight, frameWorkers, keep, succeed, settleError, observe, reportIfFinished };

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
      if (deps.segmentSeconds !== null && !job.spec.speakers && await planInSegments(ctx, thread, task, job, signal)) return;
      const result = await thread.run<RenderJobResult>({ kind: 'render', job }, {
        signal, onProgress: (p) => { lease.progress(p).catch((err: Error) => deps.log(`task ${task.id}: progress not recorded: ${err.message}`)); },
      });
      // Taken back from this worker (its lock lapsed), or deleted meanwhile: another run owns the
      // result, or nobody wants it; storing it would leave files no task points at.
      if (lease.lost.aborted || !(await store.getTaskForWorker(task.id))) return;
      await succeed(task, job.run.scratchDir, result, inputsToKeep(job), { segments: 1, workers: [deps.workerId] });
    } catch (err) {
      const settled = await settleError(err, task, `task ${task.id}`, { lost: lease.lost, deleted: ac.signal }, () => store.requeueAfterCrash(task.id));
      giveBack = settled === 'give-back';
      if (settled !== 'failed') return;
    } finally {
      clearInterval(exists);
      inFlight.delete(task.id);
      // Also when building the job failed part way, after copying stored inputs in.
      if (!stopping.signal.aborted) await fs.rm(job?.run.scratchDir ?? path.join(deps.scratchRoot, String(task.id)), { recursive: true, force: true });
      // A lost lease is the queue's already; ending it again would only be refused.
      if (!lease.lost.aborted) await (giveBack ? lease.release() : lease.complete());
    }
    await reportIfFinished(task.id, started);
  }

  const loops = deps.threads.map(async (thread) => {
    while (!noMore.signal.aborted) {
      const lease = await queue.take(noMore.signal);
      if (!lease) break;
      try {
        if (lease.job.segment !== undefined) await runSegment(ctx, thread, lease);
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
