// Render threads for one video. The first starts before the video's inputs are even read: its
// start-up (module loading) overlaps the decoding, the speech is animated on a thread of its own
// while this thread looks for the face, and then the threads render frames in order, so rendering
// runs beside ffmpeg's encoding. The first thread prepares its renderer alone, on an otherwise idle
// machine, and starts rendering; the others start then, prepare theirs while it renders the first
// frames, and take frames once ready (one thread keeps ahead of x264 at first; the others keep it fed
// over a long video). A fixed set of frame buffers circulates between the threads and the encoder:
// memory stays the same whatever the video's length.
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
  /** The base's and the background's yuv420p, converted once for every thread (render/index.ts RendererOptions). */
  readonly yuv?: { readonly base: Uint8Array; readonly background: Uint8Array };
  /** Further faces of a picture with several speakers (render/compose.ts), each with its own tracks. */
  readonly more?: readonly { readonly rig: FaceRig; readonly tracks: ParamTracks }[];
}

/**
 * What a render thread is sent: the video's job, a frame to render into the buffer lent with it,
 * to drop its job (kept for another video: FrameThreadKeeper), or to end.
 */
export type ThreadRequest =
  | { readonly kind: 'job'; readonly job: FrameJob }
  | { readonly kind: 'frame'; readonly frame: number; readonly buffer: ArrayBuffer }
  | { readonly kind: 'release' }
  | { readonly kind: 'stop' };
/** A frame rendered into the buffer lent with it; or, once after the job, that the thread is ready for frames. */
export type ThreadReply = FrameReply | { readonly kind: 'ready' };
export interface FrameReply {
  readonly kind: 'frame';
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

/**
 * Threads beyond the first start only for at least this many frames: one costs about a third of
 * a second of CPU to start and prepare, which a short video would not earn back.
 */
export const EXTRA_THREAD_MIN_FRAMES = 125;

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
   * starts as a copy of it. Once per pool. Answers the threads' time and how many threads drew frames.
   */
  render(job: FrameJob, background: Uint8Array, range: FrameRange, consume: (frame: number, data: Uint8Array) => Promise<void>, signal?: AbortSignal): Promise<{ renderMs: number; renderCpuMs: number; threads: number }>;
  /** Stops the threads; call it whatever happened. */
  close(): Promise<void>;
}

/**
 * Render threads kept from one video to the next (a render process's, between its tasks): a
 * thread started afresh loads its modules and compiles its code (0.13-0.17 s of CPU), and
 * prepares its first renderer and draws its first frames in code not yet optimised (about twice
 * as long), on a machine whose start of a video is CPU-bound. A pool takes kept threads before it
 * starts any, and gives back only those that ended its video ready and idle, its job dropped.
 */
export interface FrameThreadKeeper {
  /** A kept thread, or null: the pool starts one. */
  take(): Worker | null;
  give(w: Worker): void;
  /** Ends the kept threads. */
  close(): Promise<void>;
}

/** Asks `w` to end, and terminates it if it has not within STOP_GRACE_MS (see thread-answer.ts). */
async function stopThread(w: Worker, ended: Promise<unknown>): Promise<void> {
  w.postMessage({ kind: 'stop' } satisfies ThreadRequest);
  const timer = setTimeout(() => void w.terminate(), STOP_GRACE_MS);
  await ended;
  clearTimeout(timer);
}

export function keepFrameThreads(): FrameThreadKeeper {
  const idle: Worker[] = [];
  const endings = new Map<Worker, Promise<void>>();
  return {
    take() {
      const w = idle.pop() ?? null;
      w?.ref();
      return w;
    },
    give(w) {
      if (!endings.has(w)) {
        // A kept thread that fails or ends (killed, out of memory) is not handed out again; its
        // error, with no pool listening, must not be thrown in the process.
        w.on('error', () => {});
        endings.set(w, new Promise<void>((resolve) => w.once('exit', () => {
          const i = idle.indexOf(w);
          if (i >= 0) idle.splice(i, 1);
          endings.delete(w);
          resolve();
        })));
      }
      // An idle thread does not keep its process alive.
      w.unref();
      idle.push(w);
    },
    async close() {
      await Promise.all(idle.splice(0).map((w) => stopThread(w, endings.get(w) ?? Promise.resolve())));
    },
  };
}

/**
 * The pool's render threads, started one at a time (or taken from `keeper`), and what the frame
 * loop waits on: the next frame, or the first failure of any thread.
 */
interface Threads {
  readonly all: readonly Worker[];
  spawn(): Worker;
  readonly failure: () => unknown;
  fail(err: unknown): void;
  /** Resolves at the next poke() (a frame came back) or failure. */
  next(): Promise<void>;
  poke(): void;
  /** `busy`: the threads sent a job that did not end it ready and idle (renderRange). */
  stop(busy: ReadonlySet<Worker>): Promise<void>;
}

function renderThreads(keeper?: FrameThreadKeeper): Threads {
  const workerUrl = new URL('./frame-worker.js', import.meta.url);
  const all: Worker[] = [], endings: Promise<void>[] = [], exited: boolean[] = [], offs: (() => void)[] = [];
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const poke = () => { const w = wake; wake = null; w?.(); };
  const fail = (err: unknown) => { failure ??= err; poke(); };
  return {
    all,
    spawn() {
      const w = keeper?.take() ?? new Worker(workerUrl), i = all.length;
      all.push(w);
      exited.push(false);
      let ended = () => {};
      endings.push(new Promise<void>((resolve) => { ended = resolve; }));
      const onExit = (code: number) => { exited[i] = true; ended(); if (code !== 0) fail(new Error(`render thread exited with ${code}`)); };
      w.on('error', fail);
      w.on('exit', onExit);
      offs.push(() => { w.off('error', fail); w.off('exit', onExit); });
      return w;
    },
    failure: () => failure,
    fail,
    next: () => new Promise<void>((resolve) => { wake = resolve; }),
    poke,
    async stop(busy) {
      await Promise.all(all.map(async (w, i) => {
        if (exited[i]) return;
        // A thread kept for the next video drops this one's job; one that failed, was cut off
        // mid-frame or never got ready ends, its state unknown.
        if (keeper && !failure && !busy.has(w)) {
          offs[i]();
          w.postMessage({ kind: 'release' } satisfies ThreadRequest);
          keeper.give(w);
          return;
        }
        await stopThread(w, endings[i]);
      }));
    },
  };
}

/**
 * FramePool.render on `threads`, up to `max` of them. `busy` holds the threads sent the job, less
 * those ready and idle once every frame came back (which a keeper may take back).
 */
async function renderRange(threads: Threads, max: number, buffers: number, job: FrameJob, background: Uint8Array, range: FrameRange,
  consume: (frame: number, data: Uint8Array) => Promise<void>, signal: AbortSignal | undefined, busy: Set<Worker>): Promise<{ renderMs: number; renderCpuMs: number; threads: number }> {
  const wanted = range.end - range.start >= EXTRA_THREAD_MIN_FRAMES ? max : 1;
  const free: ArrayBuffer[] = Array.from({ length: buffers }, () => new Uint8Array(background).buffer);
  const ready = new Map<number, ArrayBuffer>();
  const idle: Worker[] = [], drew = new Set<Worker>(), listeners: (() => void)[] = [];
  let renderMs = 0, renderCpuMs = 0;
  let next = range.start;

  const dispatch = (w: Worker) => {
    if (next >= range.end || free.length === 0) return false;
    const buffer = free.pop()!;
    w.postMessage({ kind: 'frame', frame: next++, buffer } satisfies ThreadRequest, [buffer]);
    return true;
  };
  // A thread is given the job, and frames once it says it is ready; the first to be ready
  // brings in the others.
  const enlist = (w: Worker) => {
    const onMessage = (r: ThreadReply) => {
      if (r.kind === 'ready') {
        while (threads.all.length < wanted) enlist(threads.spawn());
      } else {
        renderMs += r.renderMs;
        renderCpuMs += r.renderCpuMs;
        ready.set(r.frame, r.buffer);
        drew.add(w);
      }
      if (!dispatch(w)) idle.push(w);
      threads.poke();
    };
    w.on('message', onMessage);
    listeners.push(() => w.off('message', onMessage));
    busy.add(w);
    w.postMessage({ kind: 'job', job } satisfies ThreadRequest);
  };
  enlist(threads.all[0] ?? threads.spawn());
  const onAbort = () => threads.fail(Object.assign(new Error('aborted'), { name: 'AbortError' }));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (let f = range.start; f < range.end; f++) {
      while (!ready.has(f)) {
        if (threads.failure()) throw threads.failure();
        await threads.next();
      }
      if (threads.failure()) throw threads.failure();
      const buffer = ready.get(f)!;
      ready.delete(f);
      await consume(f, new Uint8Array(buffer));
      free.push(buffer);
      // The thread idle longest first: taken last-in-first-out, the first thread, back from each
      // frame before the encoder freed a buffer, took every frame and a thread that joined later
      // none.
      while (idle.length > 0 && dispatch(idle[0])) idle.shift();
    }
    // Every frame came back, so a thread not idle now is one still preparing the job.
    for (const w of idle) busy.delete(w);
    return { renderMs, renderCpuMs, threads: drew.size };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const off of listeners) off();
  }
}

/** `keeper`: threads to take, and give back after the video (a render process's); none: the pool's own, ended with it. */
export function startFramePool(opts: FramePoolOptions = FRAME_POOL_DEFAULTS, keeper?: FrameThreadKeeper): FramePool {
  const animateUrl = new URL('./animate-worker.js', import.meta.url);
  const threads = renderThreads(keeper);
  const busy = new Set<Worker>();
  // The first thread loads its modules while the inputs decode.
  threads.spawn();
  return {
    async animate(input) {
      // The samples are handed over, not copied: the caller has no more use for them, and two
      // copies of three minutes of audio at once showed in the peak memory.
      const w = new Worker(animateUrl, { workerData: input, transferList: [input.audio.samples.buffer as ArrayBuffer] });
      return threadAnswer<ParamTracks>(w, (reason, cause) => new Error(`animation thread: ${reason}`, { cause }));
    },
    render: (job, background, range, consume, signal) => renderRange(threads, Math.max(1, opts.workers), opts.buffers, job, background, range, consume, signal, busy),
    close: () => threads.stop(busy),
  };
}
