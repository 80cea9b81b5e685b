// A long video rendered in segments: the worker that takes the task plans it (the face found and
// the speech analysed once) and queues one job per segment; any workers render them at once, and
// the one that finishes the last segment joins them and finishes the task.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FaceLandmarks, PhonemeEvent } from '../core/types.js';
import { VIDEO } from '../core/video.js';
import { planSegments } from '../pipeline/index.js';
import type { Lease, SegmentPlan, TaskRecord } from '../store/ports.js';
import type { InputRef } from '../tasks/inputs.js';
import type { RenderJob, RenderJobResult, RenderPlanResult } from './render-job.js';
import { inputsToKeep, type RunContext } from './run-context.js';
import type { WorkerThread } from './thread.js';

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

const labelOf = (ref: InputRef) => ('url' in ref ? ref.url : ref.label);

/**
 * Plans a long video as segments and queues them; answers false for a video short enough to
 * render whole. A task planned already (its job came back after a restart) keeps its plan and
 * queues again what is not done.
 */
export async function planInSegments(ctx: RunContext, thread: WorkerThread, task: TaskRecord, job: RenderJob, signal: AbortSignal): Promise<boolean> {
  const { store, queue } = ctx.deps;
  let plan = await store.getSegments(task.id);
  if (!plan) {
    const p = await thread.run<RenderPlanResult>({ kind: 'render', job: { ...job, part: { kind: 'plan' } } }, { signal });
    const ranges = planSegments(p.frameCount, Math.round(ctx.deps.segmentSeconds! * VIDEO.fps));
    if (ranges.length < 2) return false;
    // Workers share nothing but the stores: the inputs as fetched or synthesized go there.
    const now = ctx.deps.clock(), expiresAt = now + ctx.deps.retentionMs;
    const dir = `${task.tenant}/tasks/${task.id}/segments`;
    await ctx.keep(task, `${dir}/image`, p.image, 'image', now, expiresAt);
    await ctx.keep(task, `${dir}/audio`, p.audio, 'audio', now, expiresAt);
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

/** The render job of one segment, its inputs downloaded from the stores into `scratchDir`. */
async function segmentJob(ctx: RunContext, task: TaskRecord, plan: SegmentPlan, scratchDir: string): Promise<RenderJob> {
  const data = plan.data as SegmentedInputs;
  const [image, audio] = [path.join(scratchDir, 'stored-image'), path.join(scratchDir, 'stored-audio')];
  await Promise.all([ctx.deps.media.download(data.imageKey, image), ctx.deps.media.download(data.audioKey, audio)]);
  return {
    resolvedInputs: { image: { file: image, label: data.imageLabel }, audio: { file: audio, label: data.audioLabel }, face: { ...data.face, points: Float32Array.from(data.face.points) } },
    spec: { ...task.input.spec, duration: plan.frameCount / VIDEO.fps },
    run: { taskId: task.id, scratchDir, thumbnail: false, allowPrivateUrls: ctx.deps.allowPrivateUrls, frameWorkers: ctx.frameWorkers() },
    ...(data.phonemes ? { phonemes: data.phonemes } : {}),
  };
}

/** Joins the finished segments into the task's video and finishes the task; false when the result was dropped. */
async function joinSegments(ctx: RunContext, thread: WorkerThread, task: TaskRecord, job: RenderJob, lease: Lease, signal: AbortSignal): Promise<boolean> {
  const { store, media } = ctx.deps;
  const joinStarted = performance.now();
  const done = (await store.getSegments(task.id))!;
  const files = await Promise.all(done.segments.map(async (x) => {
    const file = path.join(job.run.scratchDir, `segment-${x.index}.mp4`);
    await media.download(x.key!, file);
    return file;
  }));
  const r = await thread.run<RenderJobResult>({ kind: 'render', job: { ...job, run: { ...job.run, thumbnail: !task.input.thumbnailUrl }, part: { kind: 'join', segments: files, frameCount: done.frameCount } } }, { signal });
  const current = await store.getTaskForWorker(task.id);
  if (lease.lost.aborted || !current) return false;
  const data = done.data as SegmentedInputs;
  const workers = [...new Set(done.segments.map((x) => x.worker!))].sort();
  // A service that restarted meanwhile queued the planned task again and counted a start on it;
  // the last segment's lease is what makes this worker the one to join, so it finishes the task
  // as its latest start (the record read when the segment began may be a start behind).
  await ctx.succeed(current, job.run.scratchDir, r, { image: data.keepImage, audio: data.keepAudio }, { segments: done.segments.length, workers });
  await dropSegments(ctx, task, done);
  await ctx.observe('join', joinStarted);
  return true;
}

/**
 * One segment of a planned task: renders it unless done, records it, and the worker that
 * finishes the last one joins them and finishes the task. A segment whose render dies goes
 * back to the queue alone; the others' work stands.
 */
export async function runSegment(ctx: RunContext, thread: WorkerThread, lease: Lease): Promise<void> {
  const { store, media } = ctx.deps;
  const { taskId } = lease.job;
  const index = lease.job.segment!;
  const task = await store.getTaskForWorker(taskId);
  const plan = task?.status === 'processing' ? await store.getSegments(taskId) : null;
  const segment = plan?.segments[index];
  if (!task || !plan || !segment) { await lease.complete(); return; } // finished, failed or deleted meanwhile
  const scratchDir = path.join(ctx.deps.scratchRoot, `${taskId}-${index}`);
  const ac = new AbortController();
  ctx.inFlight.set(taskId, ac);
  const signal = AbortSignal.any([ac.signal, ctx.stopping, lease.lost]);
  const started = performance.now();
  let giveBack = false;
  try {
    await fs.rm(scratchDir, { recursive: true, force: true });
    await fs.mkdir(scratchDir, { recursive: true });
    const job = await segmentJob(ctx, task, plan, scratchDir);
    let remaining = plan.segments.filter((x) => !x.done).length;
    if (!segment.done) {
      const r = await thread.run<RenderJobResult>({ kind: 'render', job: { ...job, part: { kind: 'segment', range: segment } } }, {
        signal, onProgress: (p) => { store.setSegmentProgress(taskId, index, p).catch((err: Error) => ctx.deps.log(`task ${taskId} segment ${index}: progress not recorded: ${err.message}`)); },
      });
      if (lease.lost.aborted) return;
      const key = `${task.tenant}/tasks/${taskId}/segments/${index}.mp4`;
      await media.putFile(key, r.video);
      ({ remaining } = await store.finishSegment(taskId, index, ctx.deps.workerId, key));
      await ctx.observe('segment', started);
    }
    if (remaining > 0 || !(await joinSegments(ctx, thread, task, job, lease, signal))) return;
  } catch (err) {
    const settled = await ctx.settleError(err, task, `task ${taskId} segment ${index}`, { lost: lease.lost, deleted: ac.signal }, () => store.countCrash(taskId));
    giveBack = settled === 'give-back';
    if (settled !== 'failed') return;
    await dropSegments(ctx, task, plan);
  } finally {
    ctx.inFlight.delete(taskId);
    if (!ctx.stopping.aborted) await fs.rm(scratchDir, { recursive: true, force: true });
    if (!lease.lost.aborted) await (giveBack ? lease.release() : lease.complete());
  }
  await ctx.reportIfFinished(taskId, started);
}

/** Once the task is settled, its segments' videos and shared inputs go; who rendered them stays in its output. */
async function dropSegments(ctx: RunContext, task: TaskRecord, plan: SegmentPlan): Promise<void> {
  const { store, media } = ctx.deps;
  const data = plan.data as SegmentedInputs;
  const keys = [...plan.segments.flatMap((x) => (x.key ? [x.key] : [])), data.imageKey, data.audioKey];
  await Promise.all(keys.map((k) => media.remove(k)));
  await store.markFilesDeleted([data.imageKey, data.audioKey], ctx.deps.clock());
  await store.dropSegments(task.id);
}
