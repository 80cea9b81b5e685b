// The face detector a render process uses: each detection in a thread of its own that ends with
// it. The model's WebAssembly memory (about 140 MB, which a wasm heap never gives back) is then
// held only for the fraction of a second detection takes, not for the whole render, so two
// renders fit in the memory one used to need. Loading the model costs about 0.3 s per task.
import { Worker } from 'node:worker_threads';
import { DhError } from '../core/errors.js';
import type { FaceDetector } from '../core/ports.js';
import type { FaceLandmarks, RgbImage } from '../core/types.js';

const ENTRY = new URL('./face-detect-thread.js', import.meta.url);

type Reply = { ok: true; faces: FaceLandmarks[] } | { ok: false; error: { id: DhError['id']; details: DhError['details'] } };

export function createOneShotFaceDetector(): FaceDetector {
  return {
    async detect(image: RgbImage): Promise<FaceLandmarks[]> {
      const w = new Worker(ENTRY);
      try {
        return await new Promise<FaceLandmarks[]>((resolve, reject) => {
          w.once('message', (r: Reply) => (r.ok ? resolve(r.faces) : reject(new DhError(r.error.id, r.error.details))));
          w.once('error', (err) => reject(new DhError('FACE_MODEL_FAILED', { reason: err.message }, { cause: err })));
          w.once('exit', (code) => reject(new DhError('FACE_MODEL_FAILED', { reason: `the detection thread exited with code ${code}` })));
          w.postMessage(image);
        });
      } finally {
        await w.terminate();
      }
    },
  };
}
