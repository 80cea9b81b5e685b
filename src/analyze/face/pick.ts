import type { FaceLandmarks } from '../../core/types.js';

/**
 * The face to animate when several are found: the largest, weighted towards the image centre,
 * since the subject of a portrait is the big face in the middle.
 */
export function pickMainFace(faces: readonly FaceLandmarks[], imageWidth: number, imageHeight: number): FaceLandmarks | null {
  let best: FaceLandmarks | null = null;
  let bestScore = -Infinity;
  for (const f of faces) {
    const cx = (f.box.x + f.box.width / 2) / imageWidth - 0.5;
    const cy = (f.box.y + f.box.height / 2) / imageHeight - 0.5;
    const score = f.box.width * f.box.height * (1 - 0.5 * Math.hypot(cx, cy)) * Math.min(1, f.score + 0.3);
    if (score > bestScore) { best = f; bestScore = score; }
  }
  return best;
}
