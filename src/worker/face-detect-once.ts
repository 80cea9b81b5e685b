// The face detector a render process uses: each detection in a thread of its own that ends with
// it (face-detect-thread.ts: the object detector, then the face model). The models' WebAssembly
// memory (about 95 MB of heap, which a wasm heap never gives back) is then held only for the
// second or so detection takes, not for the whole render: two renders fit in the memory one used
// to need. One thread for both models rather than one each: the second reuses the first's
// WebAssembly backend, heap and warmed kernels (suit portrait: 1.2 s against 0.9 + 0.8 s).
import { Worker } from 'node:worker_threads';
import { DhError } from '../core/errors.js';
import type { FaceDetector } from '../core/ports.js';
import type { FaceLandmarks, RgbImage } from '../core/types.js';
import type { DetectRequest } from './face-detect-thread.js';
import { threadAnswer } from '../pipeline/thread-answer.js';

const ENTRY = new URL('./face-detect-thread.js', import.meta.url);

type Reply<T> = { ok: true; value: T } | { ok: false; error: { id: DhError['id']; details: DhError['details'] } };

async function inThread<T>(req: DetectRequest): Promise<T> {
  const w = new Worker(ENTRY);
  // The thread ends by itself once it has answered (pipeline/thread-answer.ts says why it is not terminated).
  const answer = threadAnswer<Reply<T>>(w, (reason, cause) => new DhError('FACE_MODEL_FAILED', { reason: `the detection thread: ${reason}` }, { cause }));
  w.postMessage(req);
  const r = await answer;
  if (!r.ok) throw new DhError(r.error.id, r.error.details);
  return r.value;
}

export function createOneShotFaceDetector(): FaceDetector {
  return { detect: (image: RgbImage): Promise<FaceLandmarks[]> => inThread<FaceLandmarks[]>({ image }) };
}
