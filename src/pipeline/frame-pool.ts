// Render threads for one video, started before its inputs are even read: their start-up (module
// loading) overlaps the decoding, the speech is animated on a thread of its own while this thread
// looks for the face, and then they render frames in order, so rendering runs on both cores while ffmpeg
// encodes. A fixed set of frame buffers circulates between the threads and the encoder: memory
// stays the same whatever the video's length.
import { Worker } from 'node:worker_threads';
import type { FaceRig, ParamTracks, RgbImage } from '../core/types.js';
import type { AnimateInput } from '../animate/index.js';
import type { Overlay } from '../render/index.js';
import { threadAnswer } from './thread-answer.js';

/** Everything a thread needs to render any frame of one video (plain, structured-cloneable data). */
export interface FrameJob {
  readonly base: RgbImage;
  readonly rig: FaceRig;
  readonly overlays: readonly Overlay[];
  readonly tracks: ParamTracks;
  /** Further faces of a picture with several speakers (render/compose.ts), each with its own tracks. */
  readonly more?: readonly { readonly rig: FaceRig; readonly tracks: ParamTracks }[];
}

/** What a render thread is sent: the video's job, or a frame to render into the buffer lent with it. */
export type ThreadRequest =
  | { readonly kind: 'job'; readonly job: FrameJob }
  | { readonly kind: 'frame'; readonly frame: number; readonly buffer: ArrayBuffer }
  | { readonly kind: 'stop' };
export interface ThreadReply {
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

/** How much lower than their process the render threads run (see frame-worker.ts). */
export const FRAME_THREAD_NICENESS = 10;

/** How long a render thread asked to end may take before it is terminated. */
const STOP_GRACE_MS = 2000;

/** Frames start..end-1 of a video: all of it, or one segment of a video rendered in parts. */
export interface FrameRange { readonly start: number; readonly end: number }

export interface FramePool {
  /**
   * The speech's tracks (animate/index.ts animate), computed on a thread of their own. Takes the
   * audio samples' buffer: `input.audio.samples` is unusable here afterwards.
   */
  animate(input: AnimateInput): Promise<ParamTracks>;
  /**
   * Renders the frames of `range` and calls `consume` with each (its index in the whole video),
   * in order. `consume` resolves when it no longer needs the buffer (written to ffmpeg).
   * `background` is a finished frame holding everything outside the moving region; every buffer
   * starts as a copy of it. Once per pool.
   */
  render(job: FrameJob, background: Uint8Array, range: FrameRange, consume: (frame: number, data: Uint8Array) => Promise<void>, signal?: AbortSignal): Promise<{ renderMs: number; renderCpuMs: number }>;
  /** Stops the threads; call it whatever happened. */
  close(): Promise<void>;
}

export function startFramePool(opts: FramePoolOptions = FRAME_POOL_DEFAULTS): FramePool {
  const workerUrl = new URL('./frame-worker.js', import.meta.url);
  const animateUrl = new URL('./animate-worker.js', import.meta.url);
  const workers = Array.from({ length: Math.max(1, opts.workers) }, () => new Worker(workerUrl));
  let failure: unknown = null;
  // The frame loop waits here for its next frame, and is woken too when a thread fails.
  let wake: (() => void) | null = null;
  const poke = () => { const w = wake; wake = null; w?.(); };
  const fail = (err: unknown) => { failure ??= err; poke(); };
  const exited = workers.map(() => false);
  const endings = workers.map((w, i) => new Promise<void>((resolve) => w.once('exit', () => { exited[i] = true; resolve(); })));
  for (const w of workers) {
    w.on('error', fail);
    w.on('exit', (code) => { if (code !== 0) fail(new Error(`render thread exited with ${code}`)); });
  }
  return {
    async animate(input) {
      // The samples are handed over, not copied: the caller has no more use for them, and two
      // copies of three minutes of audio at once showed in the peak memory.
      const w = new Worker(animateUrl, { workerData: input, transferList: [input.audio.samples.buffer as ArrayBuffer] });
      return threadAnswer<ParamTracks>(w, (reason, cause) => new Error(`animation thread: ${reason}`, { cause }));
    },

    async render(job, background, range, consume, signal) {
      const busy = workers.slice(0, Math.max(1, Math.min(workers.length, range.end - range.start)));
      for (const w of busy) w.postMessage({ kind: 'job', job } satisfies ThreadRequest);
      const free: ArrayBuffer[] = Array.from({ length: opts.buffers }, () => new Uint8Array(background).buffer);
      const ready = new Map<number, ArrayBuffer>();
      let renderMs = 0, renderCpuMs = 0;
      let next = range.start;

      const dispatch = (w: Worker) => {
        if (next >= range.end || free.length === 0) return false;
        const buffer = free.pop()!;
        w.postMessage({ kind: 'frame', frame: next++, buffer } satisfies ThreadRequest, [buffer]);
        return true;
      };
      const idle: Worker[] = [];
      const listeners = busy.map((w) => {
        const onMessage = (r: ThreadReply) => {
          renderMs += r.renderMs;
          renderCpuMs += r.renderCpuMs;
          ready.set(r.frame, r.buffer);
          if (!dispatch(w)) idle.push(w);
          poke();
        };
        w.on('message', onMessage);
        if (!dispatch(w)) idle.push(w);
        return () => w.off('message', onMessage);
      });
      const onAbort = () => fail(Object.assign(new Error('aborted'), { name: 'AbortError' }));
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
        for (const off of listeners) off();
      }
    },

    async close() {
      // Asked to end rather than terminated (see thread-answer.ts); terminated if one does not.
      await Promise.all(workers.map(async (w, i) => {
        if (exited[i]) return;
        w.postMessage({ kind: 'stop' } satisfies ThreadRequest);
        const timer = setTimeout(() => void w.terminate(), STOP_GRACE_MS);
        await endings[i];
        clearTimeout(timer);
      }));
    },
  };
}
