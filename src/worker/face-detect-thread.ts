// Entry point of a one-detection thread (see face-detect-once.ts): the object detector first,
// then the face model given its objects, in one thread that ends with the detection. The object
// detector runs on an empty WebAssembly heap and the face model then fits in the space its
// activations freed (93 MB of heap for the suit portrait; face model first, 121 MB).
import { parentPort } from 'node:worker_threads';
import { toDhError } from '../core/errors.js';
import type { RgbImage } from '../core/types.js';
import { createHumanFaceDetector } from '../adapters/face-human.js';
import { createFallbackFaceDetector } from '../adapters/face-fallback.js';

export interface DetectRequest { readonly image: RgbImage }

const port = parentPort!;
port.once('message', async (req: DetectRequest) => {
  try {
    // Without the objects the faces are still found; only animals go unrecognised as such.
    const objects = await import('../adapters/objects-human.js').then((m) => m.findObjects(req.image)).catch(() => null);
    const detector = createFallbackFaceDetector(createHumanFaceDetector(), objects ? { findObjects: async () => [...objects] } : {});
    port.postMessage({ ok: true, value: await detector.detect(req.image) });
  } catch (err) {
    const e = toDhError(err);
    port.postMessage({ ok: false, error: { id: e.id, details: e.details } });
  }
});
