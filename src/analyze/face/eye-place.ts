// An eye the face mesh laid where the picture shows none, moved onto the iris beside it. On a
// turned or painted face FaceMesh can fit the far half of its mesh a good way off (Pearl Earring:
// her left eye half an eye's width down, on the cheek), and a blink then closes a lid over the
// cheek while the real eye stares on. An eye is left alone where the picture shows an iris at
// its place (every face whose eyes are right keeps its landmarks exactly); otherwise, when a
// dark round iris with brighter surroundings lies near it, at about the other eye's distance,
// the eye (lids and iris) is moved onto it. Pure.
import { lumaAt } from '../../core/image.js';
import type { FaceLandmarks, Point, RgbImage } from '../../core/types.js';
import { LM, eyeCentre } from './landmarks.js';

export const EYE_PLACE = Object.freeze({
  /** The iris is looked for this far (x the eye's width) across and up / down from the eye's place. */
  across: 0.7,
  up: 1.0,
  down: 0.6,
  /** Iris radius at least this share of the eye's width (the mesh's own iris when larger). */
  irisRadius: 0.15,
  /** The darkest iris found must be at least this many levels below the skin around... */
  darkLevels: 50,
  /** ...while the eye's own place is darker than the skin by less than this share of that. */
  placeShare: 0.4,
  /** Three of the four sides of a found iris are brighter by this share of its depth: an iris, not hair or a shadow. */
  ringShare: 0.25,
  /** ...and its width to either side it is already lighter by this share: round, not the end of a band. */
  compactShare: 0.15,
  /** Moves shorter than this (x the eye's width) are not made: the mesh is close enough. */
  minMove: 0.2,
  /** After the move the eyes are this close to their old distance apart (ratio either way). */
  distanceRatio: 1.35,
});

interface Grid {
  readonly x0: number;
  readonly y0: number;
  readonly w: number;
  readonly h: number;
  /** Summed-area table of luma, (w + 1) x (h + 1). */
  readonly sum: Float64Array;
}

function lumaGrid(img: RgbImage, x0: number, y0: number, x1: number, y1: number): Grid {
  const w = Math.max(1, x1 - x0), h = Math.max(1, y1 - y0);
  const sum = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += lumaAt(img, x0 + x, y0 + y);
      sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + row;
    }
  }
  return { x0, y0, w, h, sum };
}

/** Mean luma of the square of half-side r around (x, y), clipped to the grid; NaN when empty. */
function boxMean(g: Grid, x: number, y: number, r: number): number {
  const a = Math.max(0, Math.round(x - r - g.x0)), b = Math.min(g.w, Math.round(x + r - g.x0) + 1);
  const c = Math.max(0, Math.round(y - r - g.y0)), d = Math.min(g.h, Math.round(y + r - g.y0) + 1);
  if (b <= a || d <= c) return NaN;
  const W = g.w + 1;
  return (g.sum[d * W + b] - g.sum[c * W + b] - g.sum[d * W + a] + g.sum[c * W + a]) / ((b - a) * (d - c));
}

/**
 * How many of the four sides of a dark spot (beside it, above, below, 2 radii out) are brighter
 * than it by `by`: an iris has sclera or skin on at least three (dark lashes may lie on the
 * fourth), where hair, a brow or a shadow's edge continues on two or more.
 */
function brighterSides(g: Grid, x: number, y: number, r: number, l: number, by: number): number {
  const s = Math.max(1, Math.round(0.7 * r)), d = 2 * r;
  return [[-d, 0], [d, 0], [0, -d], [0, d]].filter(([dx, dy]) => boxMean(g, x + dx, y + dy, s) - l >= by).length;
}

const pt = (p: Float32Array, i: number): Point => ({ x: p[2 * i], y: p[2 * i + 1] });

/** The iris points (centre and four rim points) nearest an eye, and their radius. */
function irisOf(p: Float32Array, c: Point): { first: number; centre: Point; radius: number } | null {
  if (p.length < 478 * 2) return null;
  const first = LM.irisCenters.reduce((best, i) => (Math.hypot(p[2 * i] - c.x, p[2 * i + 1] - c.y) < Math.hypot(p[2 * best] - c.x, p[2 * best + 1] - c.y) ? i : best));
  const centre = pt(p, first);
  const radius = [1, 2, 3, 4].reduce((s, k) => s + Math.hypot(p[2 * (first + k)] - centre.x, p[2 * (first + k) + 1] - centre.y), 0) / 4;
  return { first, centre, radius };
}

/** Where an eye's iris is in the picture, when its mesh place shows none: the offset to move the eye by, or null. */
export function irisOffset(face: FaceLandmarks, image: RgbImage, k: 0 | 1): Point | null {
  const p = face.points, E = EYE_PLACE;
  const eye = LM.eyes[k];
  const a = pt(p, eye.upper[0]), b = pt(p, eye.upper[eye.upper.length - 1]);
  const W = Math.hypot(b.x - a.x, b.y - a.y);
  if (W < 6) return null;
  const c = eyeCentre(p, eye);
  const iris = irisOf(p, c);
  const here = iris && Math.hypot(iris.centre.x - c.x, iris.centre.y - c.y) < 0.45 * W ? iris.centre : c;
  const r = Math.max(1, Math.round(Math.max(E.irisRadius * W, iris ? iris.radius : 0)));
  const x0 = Math.max(0, Math.floor(c.x - E.across * W - 3 * r)), x1 = Math.min(image.width, Math.ceil(c.x + E.across * W + 3 * r));
  const y0 = Math.max(0, Math.floor(c.y - E.up * W - 3 * r)), y1 = Math.min(image.height, Math.ceil(c.y + E.down * W + 3 * r));
  const g = lumaGrid(image, x0, y0, x1, y1);
  // The skin around: the brighter part of the area looked in.
  const all: number[] = [];
  for (let y = 0; y < g.h; y += 2) for (let x = 0; x < g.w; x += 2) all.push(boxMean(g, x0 + x, y0 + y, 0));
  all.sort((u, v) => u - v);
  const skin = all[Math.floor(0.75 * (all.length - 1))];
  const atPlace = boxMean(g, here.x, here.y, r);
  let best = { l: Infinity, x: 0, y: 0 };
  const step = Math.max(1, Math.round(r / 3));
  for (let y = Math.round(c.y - E.up * W); y <= c.y + E.down * W; y += step) {
    for (let x = Math.round(c.x - E.across * W); x <= c.x + E.across * W; x += step) {
      const l = boxMean(g, x, y, r);
      if (!(l < best.l)) continue;
      // An iris: brighter around it (sclera, lids, skin), not the edge of hair or a shadow.
      // Round: a width aside, either way, it is lighter already (a band's end is not).
      const half = E.compactShare * (skin - l);
      if (boxMean(g, x - 2 * r, y, r) - l < half || boxMean(g, x + 2 * r, y, r) - l < half) continue;
      if (brighterSides(g, x, y, r, l, E.ringShare * (skin - l)) < 3) continue;
      best = { l, x, y };
    }
  }
  const depth = skin - best.l;
  if (!Number.isFinite(best.l) || depth < E.darkLevels || skin - atPlace >= E.placeShare * depth) return null;
  const move = { x: best.x - here.x, y: best.y - here.y };
  if (Math.hypot(move.x, move.y) < E.minMove * W) return null;
  // Still a pair of eyes: about as far from the other eye as before.
  const other = eyeCentre(p, LM.eyes[1 - k]);
  const before = Math.hypot(c.x - other.x, c.y - other.y), after = Math.hypot(c.x + move.x - other.x, c.y + move.y - other.y);
  if (after > before * E.distanceRatio || after * E.distanceRatio < before) return null;
  return move;
}

/**
 * The face with each eye the mesh put where the picture shows no iris moved onto the iris near
 * it (lids and iris points together); the same object when both eyes are in place. Only for a
 * face mesh: eyes laid out from points or found as dark round eyes are measured elsewhere.
 */
export function withEyesOnIrises(face: FaceLandmarks, image: RgbImage): FaceLandmarks {
  if ((face.method ?? 'facemesh') !== 'facemesh' && face.method !== 'facemesh-crop') return face;
  if (face.animal) return face;
  const moves = ([0, 1] as const).map((k) => irisOffset(face, image, k));
  if (!moves[0] && !moves[1]) return face;
  const points = Float32Array.from(face.points);
  moves.forEach((m, k) => {
    if (!m) return;
    const eye = LM.eyes[k];
    const iris = irisOf(face.points, eyeCentre(face.points, eye));
    const idx = new Set<number>([...eye.upper, ...eye.lower]);
    if (iris) for (let j = 0; j < 5; j++) idx.add(iris.first + j);
    for (const i of idx) { points[2 * i] += m.x; points[2 * i + 1] += m.y; }
  });
  return { ...face, points };
}
