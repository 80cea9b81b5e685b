// Eyes of the picture's own size for faces the human face model did not lay out (marked points,
// a cat-face box). Those get the template's human eyes: almond-shaped and about a third as tall
// as wide, so a blink lowers a lid over only the middle of a cat's or a cartoon's round eye and
// the rest stays open. Where the picture shows a round eye around the point (its rim found along
// rays from the centre at about the same distance all round), the lids are laid on that circle
// instead, so they close over the whole eye. An eye that is not round is left as it was. Pure.
import { length, normalOf, normalize, sub } from '../../core/geometry.js';
import type { FaceLandmarks, Point, RgbImage } from '../../core/types.js';
import { eyeCentre, LM } from './landmarks.js';
import { lumaAt } from '../../core/image.js';

export const ROUND_EYES = Object.freeze({
  rays: 24,
  /** Where the rim is looked for, x the distance between the eyes. */
  minRadius: 0.07,
  maxRadius: 0.32,
  /** The middle half of the ray radii may spread this much (x their median) for the eye to count
   * as round: fur, lashes and highlights catch a few rays (measured 0.25-0.35 on round eyes). */
  maxSpread: 0.45,
  /** The rim's contrast must be at least this (levels of 255 per pixel step, mean over rays). */
  minEdge: 6,
  /** The lids are laid this far outside the rim, x its radius, so the lashes' edge is covered. */
  margin: 1.25,
});


/** The radius of the round eye around `c` (rim = strongest luminance step along each ray), or null. */
export function roundEyeRadius(img: RgbImage, c: Point, eyeDistance: number): number | null {
  const r0 = Math.max(2, ROUND_EYES.minRadius * eyeDistance), r1 = ROUND_EYES.maxRadius * eyeDistance;
  const radii: number[] = [];
  let edgeSum = 0;
  for (let k = 0; k < ROUND_EYES.rays; k++) {
    const a = (2 * Math.PI * k) / ROUND_EYES.rays, dx = Math.cos(a), dy = Math.sin(a);
    let best = 0, bestR = 0;
    for (let r = r0; r < r1; r += 1) {
      const step = Math.abs(lumaAt(img, c.x + dx * (r + 1), c.y + dy * (r + 1)) - lumaAt(img, c.x + dx * (r - 1), c.y + dy * (r - 1))) / 2;
      if (step > best) { best = step; bestR = r; }
    }
    radii.push(bestR);
    edgeSum += best;
  }
  const sorted = [...radii].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  const q1 = sorted[Math.floor(sorted.length * 0.25)], q3 = sorted[Math.floor(sorted.length * 0.75)];
  if (edgeSum / ROUND_EYES.rays < ROUND_EYES.minEdge) return null;
  if ((q3 - q1) / Math.max(median, 1e-6) > ROUND_EYES.maxSpread) return null;
  return median;
}

/**
 * The same face with each eye that the picture shows round laid out as a circle: lid contours
 * on its upper and lower halves (corners on the eye line), the iris points at its centre.
 */
export function withRoundEyes(face: FaceLandmarks, img: RgbImage): FaceLandmarks {
  const p = new Float32Array(face.points);
  const at = (i: number): Point => ({ x: p[2 * i], y: p[2 * i + 1] });
  const centres = LM.eyes.map((e) => eyeCentre(p, e));
  const iod = length(sub(centres[1], centres[0]));
  const axis = normalize(sub(centres[1], centres[0])), down = normalOf(axis);
  let changed = false;
  LM.eyes.forEach((e, n) => {
    const c = centres[n];
    const r = roundEyeRadius(img, c, iod);
    if (r === null) return;
    const R = r * ROUND_EYES.margin;
    // Lids run corner to corner; the k-th of m points sits at the angle that spreads them evenly.
    const lay = (idx: readonly number[], sign: number) => idx.forEach((i, k) => {
      const t = Math.PI * (1 - k / (idx.length - 1));
      const u = Math.cos(t) * R, v = -sign * Math.sin(t) * R;
      p[2 * i] = c.x + u * axis.x + v * down.x;
      p[2 * i + 1] = c.y + u * axis.y + v * down.y;
    });
    lay(e.upper, 1);
    lay(e.lower, -1);
    // The iris (if the mesh has one) at the centre, as big as the eye, so gaze moves little.
    const iris = LM.irisCenters.find((i) => 2 * i < p.length && length(sub(at(i), c)) < 0.45 * iod);
    if (iris !== undefined) {
      p[2 * iris] = c.x; p[2 * iris + 1] = c.y;
      for (let k = 1; k <= 4; k++) {
        const a = (Math.PI / 2) * k;
        p[2 * (iris + k)] = c.x + Math.cos(a) * 0.8 * r;
        p[2 * (iris + k) + 1] = c.y + Math.sin(a) * 0.8 * r;
      }
    }
    changed = true;
  });
  return changed ? { ...face, points: p } : face;
}
