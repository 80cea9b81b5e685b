// The face detector a render process uses: each detection in threads of their own that end with
// it. The models' WebAssembly memory (about 140 MB for the face model, 75 MB more for the object
// detector, which a wasm heap never gives back) is then held only for the fraction of a second
// detection takes, not for the whole render, and the two models one after the other, never
// together: two renders fit in the memory one used to need. Loading costs about 0.5 s a task.
import { Worker } from 'node:worker_threads';
import { DhError } from '../core/errors.js';
import type { FaceDetector } from '../core/ports.js';
import type { FaceLandmarks, RgbImage } from '../core/types.js';
import type { ObjectBox } from '../adapters/objects-human.js';
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
  return {
    async detect(image: RgbImage): Promise<FaceLandmarks[]> {
      // Without the objects the faces are still found; only animals go unrecognised as such.
      const objects = await inThread<ObjectBox[]>({ kind: 'objects', image }).catch(() => null);
      return inThread<FaceLandmarks[]>({ kind: 'faces', image, objects });
    },
  };
}
