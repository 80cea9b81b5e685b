// Entry point of a one-detection thread (see face-detect-once.ts): the object detector first,
// then the face model given its objects, in one thread that ends with the detection. The object
// detector runs on an empty WebAssembly heap and the face model then fits in the space its
// activations freed (93 MB of heap for the suit portrait; face model first, 121 MB).
// A thread started ahead of its picture (a standby) is first sent a picture to warm up on: both
// models load and run once (each model's first picture costs 0.5-0.7 s of CPU more than the next,
// XNNPACK packing its weights), so the detection it is later sent runs as a second picture would.
// Messages in: warm (any number, first), then detect (answered once; the thread then ends) or
// stop (the thread ends unused).
import { parentPort } from 'node:worker_threads';
import { toDhError } from '../core/errors.js';
import type { FaceLandmarks, RgbImage } from '../core/types.js';
import { createHumanFaceDetector } from '../adapters/face-human.js';
import { createFallbackFaceDetector } from '../adapters/face-fallback.js';

export type DetectRequest =
  | { readonly kind: 'warm' | 'detect'; readonly image: RgbImage }
  | { readonly kind: 'stop' };

async function detect(image: RgbImage): Promise<FaceLandmarks[]> {
  // Without the objects the faces are still found; only animals go unrecognised as such.
  const objects = await import('../adapters/objects-human.js').then((m) => m.findObjects(image)).catch(() => null);
  const detector = createFallbackFaceDetector(createHumanFaceDetector(), objects ? { findObjects: async () => [...objects] } : {});
  return detector.detect(image);
}

const port = parentPort!;
// A warm-up that fails is no answer: the detection itself reports what is wrong.
let warming: Promise<unknown> = Promise.resolve();
const onMessage = (req: DetectRequest): void => {
  if (req.kind === 'warm') { warming = warming.then(() => detect(req.image)).catch(() => {}); return; }
  // One detection (or none) per thread: without a listener it ends once its work is done.
  port.off('message', onMessage);
  if (req.kind === 'stop') return;
  void warming.then(() => detect(req.image)).then(
    (value) => port.postMessage({ ok: true, value }),
    (err: unknown) => {
      const e = toDhError(err);
      port.postMessage({ ok: false, error: { id: e.id, details: e.details } });
    });
};
port.on('message', onMessage);
