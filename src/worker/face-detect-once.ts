// The face detector a render process uses: each detection in a thread of its own that ends with
// it (face-detect-thread.ts: the object detector, then the face model). The models' WebAssembly
// memory (about 95 MB of heap, which a wasm heap never gives back) is then held only for the
// second or so detection takes, not for the whole render: two renders fit in the memory one used
// to need. One thread for both models rather than one each: the second reuses the first's
// WebAssembly backend, heap and warmed kernels (suit portrait: 1.2 s against 0.9 + 0.8 s).
// Between renders the next detection's thread waits ready (prepareDetection): its models loaded
// and warmed on a picture while the process is idle, a task's detection costs what a second
// picture's does (about 0.3 s against 1.2 s of CPU) at the start of every render but a process's first.
import { Worker } from 'node:worker_threads';
import { DhError } from '../core/errors.js';
import type { FaceDetector } from '../core/ports.js';
import type { FaceLandmarks, RgbImage } from '../core/types.js';
import type { DetectRequest } from './face-detect-thread.js';
import { threadAnswer } from '../pipeline/thread-answer.js';

const ENTRY = new URL('./face-detect-thread.js', import.meta.url);

type Reply<T> = { ok: true; value: T } | { ok: false; error: { id: DhError['id']; details: DhError['details'] } };

/** The detection thread started ahead of its picture, if one is waiting. */
let standby: Worker | null = null;

/**
 * Starts the next detection's thread now, warming its models on `picture`, unless one waits
 * already. It holds the models' memory (about 150 MB) until a detection takes it or
 * dropDetection ends it, and does not keep the process alive.
 */
export function prepareDetection(picture: RgbImage): void {
  if (standby) return;
  const w = new Worker(ENTRY);
  w.unref();
  w.once('exit', () => { if (standby === w) standby = null; });
  // A thread that fails while waiting is replaced by a fresh one when a detection comes.
  w.once('error', () => { if (standby === w) standby = null; });
  w.postMessage({ kind: 'warm', image: picture } satisfies DetectRequest);
  standby = w;
}

/** Ends the waiting thread, if any (a render that detects nothing need not hold its models). */
export function dropDetection(): void {
  const w = standby;
  standby = null;
  // Asked, not terminated: it ends by itself once its warm-up is done (pipeline/thread-answer.ts says why).
  w?.postMessage({ kind: 'stop' } satisfies DetectRequest);
}

async function inThread<T>(image: RgbImage): Promise<T> {
  const w = standby ?? new Worker(ENTRY);
  standby = null;
  w.ref();
  // The thread ends by itself once it has answered (pipeline/thread-answer.ts says why it is not terminated).
  const answer = threadAnswer<Reply<T>>(w, (reason, cause) => new DhError('FACE_MODEL_FAILED', { reason: `the detection thread: ${reason}` }, { cause }));
  w.postMessage({ kind: 'detect', image } satisfies DetectRequest);
  const r = await answer;
  if (!r.ok) throw new DhError(r.error.id, r.error.details);
  return r.value;
}

export function createOneShotFaceDetector(): FaceDetector {
  return { detect: (image: RgbImage): Promise<FaceLandmarks[]> => inThread<FaceLandmarks[]>(image) };
}
