// Renders frames on worker threads and yields them in order, so rendering runs on both cores
// while ffmpeg encodes. A fixed set of frame buffers circulates between the workers and the
// encoder: memory stays the same whatever the video's length.
import { Worker } from 'node:worker_threads';
import type { FaceRig, ParamTracks, RgbImage } from '../core/types.js';
import type { Overlay } from '../render/index.js';

/** Everything a worker needs to render any frame of one video (plain, structured-cloneable data). */
export interface FrameJob {
  readonly base: RgbImage;
  readonly rig: FaceRig;
  readonly overlays: readonly Overlay[];
  readonly tracks: ParamTracks;
  /** Further faces of a picture with several speakers (render/compose.ts), each with its own tracks. */
  readonly more?: readonly { readonly rig: FaceRig; readonly tracks: ParamTracks }[];
}

export interface FrameRequest { readonly frame: number; readonly buffer: ArrayBuffer }
export interface FrameReply {
  readonly frame: number;
  readonly buffer: ArrayBuffer;
  /** Wall time the frame took on its thread, and the thread's CPU time (NaN where unknown). */
  readonly renderMs: number;
  readonly renderCpuMs: number;
}

export interface FramePoolOptions {
  readonly workers: number;
  /** Frame buffers in circulation; more than workers so rendering never waits on one write. */
  readonly buffers: number;
}

export const FRAME_POOL_DEFAULTS: FramePoolOptions = Object.freeze({ workers: 2, buffers: 6 });

/** Frames start..end-1 of a video: all of it, or one segment of a video rendered in parts. */
export interface FrameRange { readonly start: number; readonly end: number }

/**
 * Renders the frames of `range` and calls `consume` with each (its index in the whole video), in order. `consume` resolves
 * when it no longer needs the buffer (written to ffmpeg). `background` is a finished frame
 * holding everything outside the moving region; every buffer starts as a copy of it.
 */
export async function renderFramesInOrder(
  job: FrameJob,
  background: Uint8Array,
  range: FrameRange,
  consume: (frame: number, data: Uint8Array) => Promise<void>,
  opts: FramePoolOptions = FRAME_POOL_DEFAULTS,
  signal?: AbortSignal,
): Promise<{ renderMs: number; renderCpuMs: number }> {
  const workerUrl = new URL('./frame-worker.js', import.meta.url);
  const workers = Array.from({ length: Math.max(1, Math.min(opts.workers, range.end - range.start)) }, () => new Worker(workerUrl, { workerData: job }));
  const free: ArrayBuffer[] = Array.from({ length: opts.buffers }, () => new Uint8Array(background).buffer);
  const ready = new Map<number, ArrayBuffer>();
  let renderMs = 0, renderCpuMs = 0;
  let next = range.start;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const poke = () => { const w = wake; wake = null; w?.(); };

  const dispatch = (w: Worker) => {
    if (next >= range.end || free.length === 0) return false;
    const buffer = free.pop()!;
    w.postMessage({ frame: next++, buffer } satisfies FrameRequest, [buffer]);
    return true;
  };
  const idle: Worker[] = [];
  for (const w of workers) {
    w.on('message', (r: FrameReply) => {
      renderMs += r.renderMs;
      renderCpuMs += r.renderCpuMs;
      ready.set(r.frame, r.buffer);
      if (!dispatch(w)) idle.push(w);
      poke();
    });
    w.on('error', (err) => { failure ??= err; poke(); });
    w.on('exit', (code) => { if (code !== 0) failure ??= new Error(`render worker exited with ${code}`); poke(); });
    if (!dispatch(w)) idle.push(w);
  }
  const onAbort = () => { failure ??= Object.assign(new Error('aborted'), { name: 'AbortError' }); poke(); };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (let f = range.start; f < range.end; f++) {
      while (!ready.has(f)) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => { wake = resolve; });
      }
      if (failure) throw failure;
      const buffer = ready.get(f)!;
      ready.delete(f);
      await consume(f, new Uint8Array(buffer));
      free.push(buffer);
      while (idle.length > 0 && dispatch(idle[idle.length - 1])) idle.pop();
    }
    return { renderMs, renderCpuMs };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
