// The five points of a cat's face from a cat-face cascade box, so a cat the face model cannot fit
// still talks (through landmarksFromPoints). Pure.
import { lumaAt } from '../../core/image.js';
import type { FacePoints, Point, RgbImage } from '../../core/types.js';
import { viewToSource } from './view.js';

/**
 * Where a cat's features sit in the cascade's square, as fractions of its side from its top-left
 * corner, with the picture turned so the box is upright. Measured on test/fixtures/images/
 * animal-cat.jpg (box centre 532,488, side 526, turned 18 degrees; eyes 414,480 and 630,416,
 * mouth corners 540,630 and 612,630): eyes at (0.29, 0.42) and (0.72, 0.43), mouth corners at
 * (0.43, 0.76) and (0.56, 0.80); made symmetric. The cascades were trained on boxes drawn the
 * same way (ears to chin), so other cats' features land near these.
 */
export const CAT_FACE = {
  leftEye: { x: 0.29, y: 0.42 },
  rightEye: { x: 0.71, y: 0.42 },
  mouthLeft: { x: 0.43, y: 0.78 },
  mouthRight: { x: 0.57, y: 0.78 },
} as const;

/** Points of the cat face in the square at `center` of side `side`, upright when turned by `angle` degrees (ViewSpec). */
export function catFacePoints(box: { center: Point; side: number; angle: number }): FacePoints {
  const spec = { center: box.center, side: box.side, angle: box.angle, size: 1 };
  const at = (q: Point) => viewToSource(spec, q);
  return { leftEye: at(CAT_FACE.leftEye), rightEye: at(CAT_FACE.rightEye), mouthLeft: at(CAT_FACE.mouthLeft), mouthRight: at(CAT_FACE.mouthRight) };
}

/** Where the nose line is looked for: turns (degrees) and offsets (x mouth width) either side. */
export const NOSE_LINE = Object.freeze({ maxTurn: 24, turnStep: 3, maxShift: 0.6, minGain: 0.15 });

/**
 * Mirror difference of luma about the line through `p` going `down` (unit), over the band from
 * `above` px above p to `below` px below it and `reach` px either side, relative to how much the
 * band varies: 0 for a mirror image, about 1 for unrelated sides, and high for a band with
 * nothing in it (plain fur beside the face is symmetric about any line, and says nothing).
 */
function asymmetry(image: RgbImage, p: Point, down: Point, above: number, below: number, reach: number): number {
  const n = { x: down.y, y: -down.x };
  const pairs: number[] = [];
  const step = Math.max(1, reach / 16), tStep = Math.max(1, (above + below) / 24);
  for (let t = -above; t <= below; t += tStep) {
    const cx = p.x + t * down.x, cy = p.y + t * down.y;
    for (let d = step; d <= reach; d += step) pairs.push(lumaAt(image, cx + d * n.x, cy + d * n.y), lumaAt(image, cx - d * n.x, cy - d * n.y));
  }
  if (!pairs.length) return Infinity;
  const mean = pairs.reduce((sum, l) => sum + l, 0) / pairs.length;
  let diff = 0, spread = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    diff += Math.abs(pairs[i] - pairs[i + 1]);
    spread += Math.abs(pairs[i] - mean) + Math.abs(pairs[i + 1] - mean);
  }
  // A few grey levels of spread per sample are noise, not features.
  return diff / (spread + 2 * pairs.length);
}

/**
 * The mouth put on the cat's nose line. The cascade's box places the mouth by the eyes, and on a
 * head turned a little the eyes' middle is not above the nose: the mouth sat beside the philtrum,
 * tilted with the eyes. Here the line the nose pad and philtrum are mirror-symmetric about (the
 * most symmetric of lines turned up to NOSE_LINE.maxTurn and shifted up to maxShift mouth widths)
 * gives the mouth's centre and, square to it, its axis. Kept as it was unless that line is
 * clearly more symmetric (by minGain) than the one through the mouth's centre square to it.
 */
export function mouthOnNoseLine(points: FacePoints, image: RgbImage): FacePoints {
  const m = { x: (points.mouthLeft.x + points.mouthRight.x) / 2, y: (points.mouthLeft.y + points.mouthRight.y) / 2 };
  const W = Math.hypot(points.mouthRight.x - points.mouthLeft.x, points.mouthRight.y - points.mouthLeft.y);
  const E = Math.hypot(points.rightEye.x - points.leftEye.x, points.rightEye.y - points.leftEye.y);
  if (W < 4 || E < 4) return points;
  const base = Math.atan2(points.mouthRight.y - points.mouthLeft.y, points.mouthRight.x - points.mouthLeft.x);
  // The nose pad and philtrum lie above the mouth: the band reaches 0.6 of the eye distance up, and as wide as the nose pad.
  const above = 0.6 * E, below = 0.1 * E, reach = 0.35 * E;
  const at = (angle: number, shift: number) => {
    const axis = { x: Math.cos(angle), y: Math.sin(angle) };
    const down = { x: -axis.y, y: axis.x };
    return { centre: { x: m.x + shift * axis.x, y: m.y + shift * axis.y }, axis, down };
  };
  const start = at(base, 0);
  const before = asymmetry(image, start.centre, start.down, above, below, reach);
  let best = { score: before, angle: base, shift: 0 };
  for (let turn = -NOSE_LINE.maxTurn; turn <= NOSE_LINE.maxTurn; turn += NOSE_LINE.turnStep) {
    const angle = base + (turn * Math.PI) / 180;
    for (let shift = -NOSE_LINE.maxShift * W; shift <= NOSE_LINE.maxShift * W; shift += Math.max(1, W / 40)) {
      const c = at(angle, shift);
      const score = asymmetry(image, c.centre, c.down, above, below, reach);
      if (score < best.score) best = { score, angle, shift };
    }
  }
  if (best.score > (1 - NOSE_LINE.minGain) * before) return points;
  const { centre, axis } = at(best.angle, best.shift);
  return {
    ...points,
    mouthLeft: { x: centre.x - (W / 2) * axis.x, y: centre.y - (W / 2) * axis.y },
    mouthRight: { x: centre.x + (W / 2) * axis.x, y: centre.y + (W / 2) * axis.y },
  };
}
