// Entry point of a one-detection thread (see face-detect-once.ts): finds the faces in the
// picture it is sent, answers, and is terminated, taking the face model's memory with it.
import { parentPort } from 'node:worker_threads';
import { toDhError } from '../core/errors.js';
import type { RgbImage } from '../core/types.js';
import { createHumanFaceDetector } from '../adapters/face-human.js';
import { createFallbackFaceDetector } from '../adapters/face-fallback.js';

const port = parentPort!;
port.once('message', (image: RgbImage) => {
  createFallbackFaceDetector(createHumanFaceDetector()).detect(image)
    .then((faces) => port.postMessage({ ok: true, faces }))
    .catch((err: unknown) => {
      const e = toDhError(err);
      port.postMessage({ ok: false, error: { id: e.id, details: e.details } });
    });
});
