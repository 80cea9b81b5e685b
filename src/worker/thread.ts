// The service's handle on one worker: runs one piece of work at a time, relays progress, cancels
// on abort, and replaces the worker if it dies (a crash fails only the work in flight). The
// worker is a thread (speech, quick and small) or a child process (renders): a render that
// crashes or runs out of memory then dies alone, the service sees it die and can count it,
// and the process runs at a lower CPU priority so the API stays responsive while it renders.
import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DhError } from '../core/errors.js';
import { NODE_ONLY_ENV } from '../adapters/ffmpeg.js';
import type { ThreadReply, ThreadRequest, ThreadWork } from './thread-protocol.js';

const THREAD_ENTRY = new URL('./render-thread.js', import.meta.url);
const PROCESS_ENTRY = new URL('./render-process.js', import.meta.url);

/**
 * Niceness of render processes (and of the ffmpeg and frame threads they start): on a busy
 * machine the kernel runs the API first, so health checks and creates answer in milliseconds.
 */
export const RENDER_NICENESS = 10;

/**
 * glibc's malloc settings for render processes. Each render starts threads (frames, speech
 * analysis, face detection) and ends them. With glibc's defaults (an arena per thread, big blocks
 * kept for reuse) their freed memory stayed in the process: it grew from 230 to 450 MB over five
 * renders. Two arenas, and blocks from 128 KiB up (pictures, frames, model tensors, audio) mapped
 * on their own and so returned when freed, keep an idle render process at about 120 MB and a
 * rendering one near 220 MB (330 MB idle since the next detection's thread waits in it with its
 * models warmed, face-detect-once.ts).
 */
export const RENDER_PROCESS_MALLOC: Readonly<Record<string, string>> = Object.freeze({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' });

/**
 * A render process's environment: `env` with RENDER_PROCESS_MALLOC where `env` does not set those
 * itself, marked as Node's alone so that the ffmpeg it runs does not inherit them (adapters/ffmpeg.ts).
 */
export function renderProcessEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const added = Object.keys(RENDER_PROCESS_MALLOC).filter((k) => env[k] === undefined);
  return { ...RENDER_PROCESS_MALLOC, ...env, ...(added.length > 0 ? { [NODE_ONLY_ENV]: added.join(',') } : {}) };
}

export interface WorkerThread {
  run<T>(work: ThreadWork, opts?: { signal?: AbortSignal; onProgress?: (percent: number) => void }): Promise<T>;
  close(): Promise<void>;
}

/** Thrown when the worker itself died (out of memory, native crash, killed), not the work's own error. */
export class ThreadCrashed extends Error {}

/** What the handle needs of a thread or a child process. */
interface Channel {
  post(m: ThreadRequest): void;
  onMessage(fn: (m: ThreadReply) => void): void;
  onDeath(fn: (reason: string) => void): void;
  /** Whether an idle worker may let the service exit. */
  hold(busy: boolean): void;
  stop(): Promise<void>;
}

function threadChannel(maxOldGenerationMb?: number): Channel {
  const w = new Worker(THREAD_ENTRY, { resourceLimits: maxOldGenerationMb ? { maxOldGenerationSizeMb: maxOldGenerationMb } : undefined });
  return {
    post: (m) => w.postMessage(m),
    onMessage: (fn) => w.on('message', fn),
    onDeath: (fn) => { w.on('error', (err) => fn(err.message)); w.on('exit', (code) => fn(`worker thread exited with code ${code}`)); },
    hold: (busy) => (busy ? w.ref() : w.unref()),
    stop: async () => { await w.terminate(); },
  };
}

function processChannel(): Channel {
  // `nice` from the start, so every thread the process ever makes inherits the priority.
  const child: ChildProcess = spawnChild('nice', ['-n', String(RENDER_NICENESS), process.execPath, fileURLToPath(PROCESS_ENTRY)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
    env: renderProcessEnv(),
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    post: (m) => { if (child.connected) child.send(m); },
    onMessage: (fn) => child.on('message', (m) => fn(m as ThreadReply)),
    onDeath: (fn) => {
      child.on('error', (err) => fn(err.message));
      child.on('exit', (code, signal) => fn(signal ? `render process was killed (${signal})` : `render process exited with code ${code}`));
    },
    hold: (busy) => {
      const channel = child.channel as { ref(): void; unref(): void } | undefined;
      if (busy) { child.ref(); channel?.ref(); } else { child.unref(); channel?.unref(); }
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // Waiting for the exit must keep the service's event loop alive, idle or not.
      child.ref();
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function createWorker(open: () => Channel): WorkerThread {
  let worker: Channel | null = null;
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; onProgress?: (p: number) => void }>();

  const spawn = (): Channel => {
    const w = open();
    w.onMessage((m) => {
      const p = pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') { p.onProgress?.(m.percent); return; }
      pending.delete(m.id);
      if (m.type === 'done') p.resolve(m.value);
      else p.reject(new DhError(m.error.id, m.error.details));
    });
    w.onDeath((reason) => {
      if (worker === w) worker = null;
      for (const [id, p] of pending) { pending.delete(id); p.reject(new ThreadCrashed(reason)); }
    });
    w.hold(false);
    return w;
  };

  return {
    run<T>(work: ThreadWork, o: { signal?: AbortSignal; onProgress?: (p: number) => void } = {}): Promise<T> {
      if (closed) return Promise.reject(new DhError('CANCELLED'));
      if (o.signal?.aborted) return Promise.reject(new DhError('CANCELLED'));
      worker ??= spawn();
      const w = worker;
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => w.post({ type: 'cancel', id });
        o.signal?.addEventListener('abort', onAbort, { once: true });
        const done = () => o.signal?.removeEventListener('abort', onAbort);
        pending.set(id, {
          resolve: (v) => { done(); resolve(v as T); },
          reject: (e) => { done(); reject(e); },
          onProgress: o.onProgress,
        });
        w.hold(true);
        w.post({ type: 'run', id, work });
      }).finally(() => { if (pending.size === 0) w.hold(false); });
    },
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      if (w) await w.stop();
    },
  };
}

export const createWorkerThread = (opts: { maxOldGenerationMb?: number } = {}): WorkerThread => createWorker(() => threadChannel(opts.maxOldGenerationMb));

/** A worker in a child process of its own, at RENDER_NICENESS. */
export const createWorkerProcess = (): WorkerThread => createWorker(processChannel);
