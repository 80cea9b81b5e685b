// A mouth the picture shows open, for faces laid out without the face model's lips (marked
// points, a cat-face box): those layouts take the lips as closed, so a panting dog's open mouth
// was left open in silence and the drawn interior opened below it. Where the picture shows a
// dark cavity reaching down from the line between the mouth corners, the lower lip is moved to
// the cavity's lower edge: the renderer then closes the mouth for silence, as it does for any
// open source mouth, and opens it from there. Pure.
import { dot, length, mid, normalOf, normalize, sub } from '../../core/geometry.js';
import type { FaceLandmarks, Point, RgbImage } from '../../core/types.js';
import { LM } from './landmarks.js';
import { lumaAt } from '../../core/image.js';

export const OPEN_MOUTH = Object.freeze({
  /** Darker than this share of the mouth area's median luma counts as cavity. */
  dark: 0.55,
  /** Columns looked at, spread over this share of the mouth width around its middle. */
  columns: 9,
  span: 0.5,
  /** A cavity must start within this distance of the corner line (x mouth width)... */
  startWithin: 0.12,
  /** ...and reach this far below it to count as an open mouth (x mouth width). */
  minDepth: 0.12,
  /** Deepest opening looked for, x mouth width. */
  maxDepth: 0.9,
});


/**
 * How far below the line between the mouth corners the picture's mouth is open, px (0 when
 * closed): the median over central columns of the dark run that starts at the line.
 */
export function openMouthDepth(img: RgbImage, left: Point, right: Point): number {
  const W = length(sub(right, left));
  if (W < 4) return 0;
  const axis = normalize(sub(right, left)), down = normalOf(axis), c = mid(left, right);
  const at = (u: number, v: number) => lumaAt(img, c.x + u * axis.x + v * down.x, c.y + u * axis.y + v * down.y);
  const around: number[] = [];
  for (let v = -0.5 * W; v <= 0.9 * W; v += Math.max(1, W / 30)) for (let u = -0.8 * W; u <= 0.8 * W; u += Math.max(1, W / 30)) around.push(at(u, v));
  around.sort((a, b) => a - b);
  const threshold = OPEN_MOUTH.dark * around[around.length >> 1];
  const depths: number[] = [];
  for (let k = 0; k < OPEN_MOUTH.columns; k++) {
    const u = (k / (OPEN_MOUTH.columns - 1) - 0.5) * OPEN_MOUTH.span * W;
    let v = -OPEN_MOUTH.startWithin * W;
    // The run must start near the line...
    while (v < OPEN_MOUTH.startWithin * W && at(u, v) >= threshold) v += 1;
    if (v >= OPEN_MOUTH.startWithin * W) { depths.push(0); continue; }
    // ...and its end (two light pixels in a row, so a highlight on a wet lip does not end it) is the lower lip.
    while (v < OPEN_MOUTH.maxDepth * W && (at(u, v) < threshold || at(u, v + 1) < threshold)) v += 1;
    depths.push(Math.max(0, v));
  }
  depths.sort((a, b) => a - b);
  const depth = depths[depths.length >> 1];
  return depth >= OPEN_MOUTH.minDepth * W ? depth : 0;
}

/** The face with its lower lip on the open mouth's lower edge, when the picture shows one open. */
export function withOpenMouth(face: FaceLandmarks, img: RgbImage): FaceLandmarks {
  const p = face.points;
  const pt = (i: number): Point => ({ x: p[2 * i], y: p[2 * i + 1] });
  const left = pt(LM.mouthCornerLeft), right = pt(LM.mouthCornerRight);
  const depth = openMouthDepth(img, left, right);
  if (depth === 0) return face;
  const W = length(sub(right, left));
  const axis = normalize(sub(right, left)), down = normalOf(axis), c = mid(left, right);
  const out = new Float32Array(p);
  // The lower lip's inner edge bows down to the cavity's depth in the middle, back to the
  // corners at the ends; the lip below it (its outer edge) moves with it.
  for (const i of [...LM.innerLower, LM.lowerLipBottom]) {
    const u = dot(sub(pt(i), c), axis) / (W / 2);
    const drop = depth * Math.max(0, 1 - u * u);
    out[2 * i] += drop * down.x;
    out[2 * i + 1] += drop * down.y;
  }
  return { ...face, points: out };
}
