// Entry point of the face-check worker thread: decodes one uploaded image, finds its faces and
// plans both output frames, off the HTTP event loop (the face model runs tfjs on WebAssembly,
// which would otherwise block every other request for the length of a detection).
// Messages in: {id, file}; out: {id, ok: true, value} | {id, ok: false, error}.
import { parentPort } from 'node:worker_threads';
import { toDhError } from '../core/errors.js';
import { faceList, faceSummary, numberFaces, pickMainFace } from '../analyze/face/index.js';
import { createHumanFaceDetector } from '../adapters/face-human.js';
import { createFallbackFaceDetector } from '../adapters/face-fallback.js';
import { sharpImageCodec } from '../adapters/image-sharp.js';
import { loadImage } from '../ingest/index.js';
import { planLayout } from '../render/layout.js';
import type { FrameLayout } from '../core/types.js';
import type { FaceCheckResult } from './face-check-protocol.js';

const port = parentPort!;
const detector = createFallbackFaceDetector(createHumanFaceDetector());

async function check(file: string): Promise<FaceCheckResult> {
  const image = await loadImage(file, sharpImageCodec);
  const faces = numberFaces(await detector.detect(image));
  const main = pickMainFace(faces, image.width, image.height);
  const strip = (l: FrameLayout) => ({ width: l.width, height: l.height, crop: { ...l.crop }, padded: l.padded });
  const adaptive = strip(planLayout(image.width, image.height, main?.box ?? null, 'adaptive'));
  let fixedMinSide: FaceCheckResult['layouts']['fixedMinSide'] = null;
  let fixedMinSideError: FaceCheckResult['fixedMinSideError'] = null;
  try {
    fixedMinSide = strip(planLayout(image.width, image.height, main?.box ?? null, 'fixedMinSide'));
  } catch (err) {
    const e = toDhError(err);
    fixedMinSideError = { code: e.code, message: e.message };
  }
  return {
    found: main !== null,
    box: main ? { ...main.box } : null,
    face: main ? faceSummary(main) : null,
    faces: faceList(faces).map((f, i) => ({ ...f, box: { ...faces[i].box }, score: Math.round(faces[i].score * 1000) / 1000 })),
    main: main ? faces.indexOf(main) : null,
    width: image.width,
    height: image.height,
    layouts: { adaptive, fixedMinSide },
    fixedMinSideError,
  };
}

port.on('message', (m: { id: number; file: string }) => {
  check(m.file)
    .then((value) => port.postMessage({ id: m.id, ok: true, value }))
    .catch((err: unknown) => {
      const e = toDhError(err);
      port.postMessage({ id: m.id, ok: false, error: { id: e.id, details: e.details } });
    });
});
