// Entry point of a one-detection thread (see face-detect-once.ts). Two kinds, each run in a
// thread of its own that ends with it, one after the other, so the object detector's and the
// face model's WebAssembly memory are never held at once: 'objects' finds what the picture
// shows (people, animals); 'faces' finds the faces, given those objects.
import { parentPort } from 'node:worker_threads';
import { toDhError } from '../core/errors.js';
import type { RgbImage } from '../core/types.js';
import { createHumanFaceDetector } from '../adapters/face-human.js';
import { createFallbackFaceDetector } from '../adapters/face-fallback.js';
import type { ObjectBox } from '../adapters/objects-human.js';

export type DetectRequest =
  | { readonly kind: 'objects'; readonly image: RgbImage }
  | { readonly kind: 'faces'; readonly image: RgbImage; readonly objects: readonly ObjectBox[] | null };

const port = parentPort!;
port.once('message', (req: DetectRequest) => {
  const work = req.kind === 'objects'
    ? import('../adapters/objects-human.js').then((m) => m.findObjects(req.image))
    : createFallbackFaceDetector(createHumanFaceDetector(), req.objects ? { findObjects: async () => [...req.objects!] } : {}).detect(req.image);
  work
    .then((value) => port.postMessage({ ok: true, value }))
    .catch((err: unknown) => {
      const e = toDhError(err);
      port.postMessage({ ok: false, error: { id: e.id, details: e.details } });
    });
});
