// A dark eye found in the picture: round animal and cartoon eyes without white, which the face
// mesh lays out as a smaller (often shifted) human eye, refitted to what the picture shows so a
// closing lid covers all of it. Pure.
import { clamp } from '../core/geometry.js';
import { lumaAt } from '../core/image.js';
import type { EyeRig, RgbImage } from '../core/types.js';
import { profileAt } from './sample.js';
import { yuvOf } from './yuv.js';

export const DARK_EYE = Object.freeze({
  /**
   * An eye that is dark all across (an animal's, a drawing's) is found in the picture when the
   * mesh laid a smaller or shifted human eye on it: the dark area around the rig that is at least
   * `wide` x its width wide, where the picture is darker than `level` of the way from the eye's
   * darkest to the skin around it, looked for up to `reach` x the width from its centre. The
   * lids then run `rim` (x its width) outside that area, over its rim, on to corners `taper` beyond it.
   */
  wide: 0.8,
  level: 0.5,
  reach: 1.2,
  rim: 0.03,
  taper: 0.12,
  /**
   * An animal's iris (irisColour): its colour read irisDepth px outside the dark pupil along
   * irisRays rays, at least irisApart (Cb, Cr) from the fur's; the eye is then what lies
   * irisNear of the way from the fur's colour towards it or beyond, and what is darker than
   * irisDark of the way to `level` (the pupil and rim: a stricter dark that runs less into fur).
   */
  irisRays: 16,
  irisDepth: 2,
  irisApart: 12,
  irisNear: 0.5,
  irisDark: 0.6,
  /** An animal's eye is cut to the ellipse of its own moments grown by leakSlack, leakPasses times (trimLeaks). */
  leakSlack: 1.02,
  leakPasses: 5,
  /**
   * Above this share of the opening as bright as the skin (sclera), it is a human eye: left as
   * rigged (pale fur running on out of the area looked in is not sclera: paleJoiningOut).
   */
  sclera: 0.12,
  /** A dark eye's core: darker than this share of the way from its darkest to `level`; grown by edgeGrow x its width (darkCore). */
  core: 0.5,
  edgeGrow: 0.05,
  /** An eye the rig mostly covers: its lower lid moves down over the rest by at most this x its width (coverArea). */
  coverBelow: 0.25,
  /** ...unless the eye runs on past the rig's ends by more than this x its width: then the lids are laid round the eye (lidsAroundArea). */
  pastEnds: 0.06,
  /** The dark area must reach this share of itself outside the rigged opening for the rig to be refitted. */
  outside: 0.25,
});

/** The picture around an eye on a grid in eye coordinates (u across, v down), 1 px apart, R each side of the centre. */
export interface EyeGrid {
  readonly R: number;
  readonly side: number;
  readonly luma: Float32Array;
  /** Luma at eye coordinates, nearest grid point. */
  at(u: number, v: number): number;
  /** Colour (limited-range Y, Cb, Cr) at eye coordinates, nearest pixel. */
  yuvAt(u: number, v: number): readonly number[];
}

export function eyeGrid(img: RgbImage, { center: c, axis: a }: EyeRig, R: number): EyeGrid {
  const side = 2 * R + 1;
  const luma = new Float32Array(side * side);
  for (let j = 0; j < side; j++) for (let i = 0; i < side; i++) {
    const u = i - R, v = j - R;
    luma[j * side + i] = lumaAt(img, c.x + u * a.x - v * a.y, c.y + u * a.y + v * a.x);
  }
  return {
    R, side, luma,
    at: (u, v) => luma[(Math.round(v) + R) * side + Math.round(u) + R],
    yuvAt: (u, v) => {
      const x = clamp(Math.round(c.x + u * a.x - v * a.y), 0, img.width - 1), y = clamp(Math.round(c.y + u * a.y + v * a.x), 0, img.height - 1);
      const i = (y * img.width + x) * 3;
      return yuvOf(img.data[i], img.data[i + 1], img.data[i + 2]);
    },
  };
}

/** A lid profile smoothed by `passes` of [1 2 1] / 4, its two ends (the corners) held. */
export function smoothLid(p: Float32Array, passes: number): Float32Array {
  const n = p.length;
  let out = p;
  for (let pass = 0; pass < passes; pass++) {
    const prev = out;
    out = prev.map((v, k) => (k === 0 || k === n - 1 ? v : (prev[k - 1] + 2 * v + prev[k + 1]) / 4));
  }
  return out;
}

/** The skin (or fur) around: the brighter part of the area looked in, where the eye is a minority; its luma and chroma. */
export function skinAround(g: EyeGrid): { luma: number; chroma: number } {
  const sorted = Float32Array.from(g.luma).sort();
  const luma = sorted[Math.floor(0.75 * (sorted.length - 1))];
  const hue: number[] = [];
  for (let j = 0; j < g.side; j += 2) for (let i = 0; i < g.side; i += 2) {
    if (g.luma[j * g.side + i] < luma * 0.9) continue;
    const [, cb, cr] = g.yuvAt(i - g.R, j - g.R);
    hue.push(Math.hypot(cb - 128, cr - 128));
  }
  hue.sort((x, y) => x - y);
  return { luma, chroma: hue[hue.length >> 1] ?? 0 };
}

/**
 * The darkest point of the opening as rigged, near its middle; null when the opening shows
 * sclera (a human eye: about as bright as the skin but nearly white, where skin or fur the rig
 * strays onto keeps its colour) or nothing dark. An animal's white fur, taken in by a rig laid
 * out larger than its eye, is not sclera (paleJoiningOut); a drawing's pale skin may run on into
 * the white of its eye at the corners, and that still is.
 */
function darkestInOpening(g: EyeGrid, rig: EyeRig, skin: { luma: number; chroma: number }, animal: boolean): { l: number; u: number; v: number } | null {
  const n = rig.upperLid.length, W = rig.width;
  const pale = (u: number, v: number) => {
    if (g.at(u, v) <= 0.6 * skin.luma) return false;
    const [, cb, cr] = g.yuvAt(u, v);
    return Math.hypot(cb - 128, cr - 128) < 0.5 * skin.chroma + 2;
  };
  const marks = animal ? paleJoiningOut(g, pale) : null;
  let bright = 0, inside = 0, darkest = 255, du = 0, dv = 0;
  for (let k = 0; k < n; k++) {
    const u = (k / (n - 1) - 0.5) * W;
    for (let v = rig.upperLid[k]; v <= rig.lowerLid[k]; v += 1) {
      const l = g.at(u, v);
      inside++;
      if (marks ? marks[(Math.round(v) + g.R) * g.side + Math.round(u) + g.R] === 1 : pale(u, v)) bright++;
      if (Math.abs(u) < 0.3 * W && l < darkest) { darkest = l; du = u; dv = v; }
    }
  }
  if (inside === 0 || bright > DARK_EYE.sclera * inside || darkest > 0.5 * skin.luma) return null;
  return { l: darkest, u: du, v: dv };
}

/**
 * Grid points `pale` says are white or nearly (sclera, or white fur): 1, or 2 where they join the
 * pale at the edge of the area looked in (white fur round an animal's eye that the rig, laid out
 * larger, takes in is not a human eye's white, which lids and corners enclose).
 */
function paleJoiningOut(g: EyeGrid, pale: (u: number, v: number) => boolean): Uint8Array {
  const { side, R } = g;
  const mark = new Uint8Array(side * side);
  const stack: number[] = [];
  for (let p = 0; p < side * side; p++) {
    const i = p % side, j = (p - i) / side;
    if (!pale(i - R, j - R)) continue;
    const border = i === 0 || j === 0 || i === side - 1 || j === side - 1;
    mark[p] = border ? 2 : 1;
    if (border) stack.push(p);
  }
  while (stack.length) {
    const p = stack.pop()!;
    const i = p % side;
    for (const q of [i > 0 ? p - 1 : -1, i < side - 1 ? p + 1 : -1, p - side, p + side]) {
      if (q >= 0 && q < side * side && mark[q] === 1) { mark[q] = 2; stack.push(q); }
    }
  }
  return mark;
}

/** The area of grid points `inside` says are the eye's grown from (u, v) (4-connected); null when it runs off the grid (into hair or shadow). */
function growArea(g: EyeGrid, u: number, v: number, inside: (p: number) => boolean): { inArea: Uint8Array; count: number } | null {
  const { side, R } = g;
  const inArea = new Uint8Array(side * side);
  const stack = [(Math.round(v) + R) * side + Math.round(u) + R];
  inArea[stack[0]] = 1;
  let count = 0;
  while (stack.length) {
    const p = stack.pop()!;
    count++;
    const i = p % side, j = (p - i) / side;
    if (i === 0 || j === 0 || i === side - 1 || j === side - 1) return null;
    for (const q of [p - 1, p + 1, p - side, p + side]) {
      if (!inArea[q] && inside(q)) { inArea[q] = 1; stack.push(q); }
    }
  }
  return { inArea, count };
}

/**
 * An animal's dark eye without an iris of its own colour: the dark area below `level` round the
 * darkest point, but only its core, darker than `core` of the way from the darkest to `level`,
 * grown by its soft edge (edgeGrow x the width, within `level`); the whole area where the core
 * is narrower than an eye. Below `level` alone, an eye took in the brown shadow painted round it,
 * and its lid closed along the shadow's edge, in a slant. (Not a drawn human eye's: its iris's
 * lighter half fell outside the core and showed under the shut lid.)
 */
function darkCore(g: EyeGrid, dark: { l: number; u: number; v: number }, level: number, W: number): { inArea: Uint8Array; count: number } | null {
  const core = growArea(g, dark.u, dark.v, (p) => g.luma[p] < dark.l + DARK_EYE.core * (level - dark.l));
  const whole = () => growArea(g, dark.u, dark.v, (p) => g.luma[p] < level);
  if (!core) return whole();
  const { side } = g;
  let i0 = side, i1 = -1;
  for (let p = 0; p < side * side; p++) if (core.inArea[p]) { i0 = Math.min(i0, p % side); i1 = Math.max(i1, p % side); }
  if (i1 - i0 + 1 < DARK_EYE.wide * W) return whole();
  const inArea = core.inArea;
  let count = core.count;
  for (let step = Math.max(1, Math.round(DARK_EYE.edgeGrow * W)); step > 0; step--) {
    const was = Uint8Array.from(inArea);
    for (let p = side; p < side * (side - 1); p++) {
      const i = p % side;
      if (was[p] || i === 0 || i === side - 1 || g.luma[p] >= level) continue;
      if (was[p - 1] || was[p + 1] || was[p - side] || was[p + side]) { inArea[p] = 1; count++; }
    }
  }
  return { inArea, count };
}

/**
 * Which grid points are an animal's eye where its iris has a colour of its own (a cat's amber,
 * green or blue) round the pupil, as bright as the fur or brighter, which the dark area alone
 * left out (it was the pupil and the rim above it, the eye's lower half uncovered by the lid).
 * The iris's colour is read just outside the dark pupil along rays from its darkest point (u, v),
 * the fur's as the grid's median. Null where the iris is not of a colour of its own (a brown eye
 * in brown fur): the dark area below `level` is all there is to go by.
 */
function irisColour(g: EyeGrid, u: number, v: number, dark: number, level: number): ((p: number) => boolean) | null {
  const { side, R, luma } = g;
  const cb = new Float32Array(side * side), cr = new Float32Array(side * side);
  for (let p = 0; p < side * side; p++) { const c = g.yuvAt((p % side) - R, Math.floor(p / side) - R); cb[p] = c[1]; cr[p] = c[2]; }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const irisCb: number[] = [], irisCr: number[] = [];
  for (let k = 0; k < DARK_EYE.irisRays; k++) {
    const a = (2 * Math.PI * k) / DARK_EYE.irisRays, du = Math.cos(a), dv = Math.sin(a);
    for (let r = 1; r < R; r++) {
      const i = Math.round(u + (r + DARK_EYE.irisDepth) * du) + R, j = Math.round(v + (r + DARK_EYE.irisDepth) * dv) + R;
      if (i < 0 || j < 0 || i >= side || j >= side) break;
      if (luma[(Math.round(v + r * dv) + R) * side + Math.round(u + r * du) + R] < level) continue;
      irisCb.push(cb[j * side + i]); irisCr.push(cr[j * side + i]);
      break;
    }
  }
  if (irisCb.length < DARK_EYE.irisRays / 2) return null;
  const ib = median(irisCb), ir = median(irisCr);
  const fb = median(Array.from(cb)), fr = median(Array.from(cr));
  const apart = Math.hypot(ib - fb, ir - fr);
  if (apart < DARK_EYE.irisApart) return null;
  // Towards the iris's colour from the fur's at least irisNear of the way: the iris's more
  // saturated rim too, which the probe just outside the pupil reads paler.
  const db = (ib - fb) / apart, dr = (ir - fr) / apart, near = DARK_EYE.irisNear * apart;
  const pupil = dark + DARK_EYE.irisDark * (level - dark);
  return (p) => luma[p] < pupil || (cb[p] - fb) * db + (cr[p] - fr) * dr > near;
}

/**
 * The dark area without what leaked out of the eye into dark fur or shadow beside it (the cat's
 * eye ran on into the grey fur at its outer corner and above it): an eye is about an ellipse, so
 * the area is cut to the ellipse of its own second moments (a filled ellipse's semi-axes are twice
 * its standard deviations along them) grown by `leakSlack`, `leakPasses` times over, each pass
 * fitting what the last kept. An area that was an ellipse loses nothing.
 */
function trimLeaks(g: EyeGrid, area: { inArea: Uint8Array; count: number }): { inArea: Uint8Array; count: number } {
  const { side } = g;
  let inArea = area.inArea, count = area.count;
  for (let pass = 0; pass < DARK_EYE.leakPasses; pass++) {
    let su = 0, sv = 0;
    for (let p = 0; p < side * side; p++) if (inArea[p]) { su += p % side; sv += Math.floor(p / side); }
    const mu = su / count, mv = sv / count;
    let cuu = 0, cvv = 0, cuv = 0;
    for (let p = 0; p < side * side; p++) {
      if (!inArea[p]) continue;
      const du = (p % side) - mu, dv = Math.floor(p / side) - mv;
      cuu += du * du; cvv += dv * dv; cuv += du * dv;
    }
    cuu /= count; cvv /= count; cuv /= count;
    // Eigenvalues and the first axis of the 2x2 covariance.
    const mean = (cuu + cvv) / 2, diff = Math.hypot((cuu - cvv) / 2, cuv);
    const l1 = mean + diff, l2 = Math.max(1e-6, mean - diff);
    const angle = 0.5 * Math.atan2(2 * cuv, cuu - cvv), ex = Math.cos(angle), ey = Math.sin(angle);
    const a2 = 4 * l1 * DARK_EYE.leakSlack ** 2, b2 = 4 * l2 * DARK_EYE.leakSlack ** 2;
    const kept = new Uint8Array(side * side);
    let n = 0;
    for (let p = 0; p < side * side; p++) {
      if (!inArea[p]) continue;
      const du = (p % side) - mu, dv = Math.floor(p / side) - mv;
      const along = du * ex + dv * ey, across = dv * ex - du * ey;
      if ((along * along) / a2 + (across * across) / b2 <= 1) { kept[p] = 1; n++; }
    }
    if (n === 0 || n === count) break;
    inArea = kept; count = n;
  }
  return { inArea, count };
}

/**
 * Lids around the dark area: its top and bottom per column, a rim outside them; past the area's
 * ends the lids run on to corners a little beyond it (taperOut), so a closing lid thins out
 * there instead of ending in a step. Null when no column meets the area.
 */
function lidsAroundArea(g: EyeGrid, inArea: Uint8Array, rig: EyeRig, u0: number, u1: number): EyeRig | null {
  const { side, R } = g;
  const { center: c, axis: a } = rig;
  const n = rig.upperLid.length;
  const wide = u1 - u0 + 1;
  const rim = DARK_EYE.rim * wide;
  const width = wide * (1 + 2 * DARK_EYE.taper);
  const mid = (u0 + u1) / 2;
  const colTop = new Float32Array(n), colBottom = new Float32Array(n), found = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = Math.round(mid + (k / (n - 1) - 0.5) * width) + R;
    if (i < 0 || i >= side) continue;
    let top = Infinity, bottom = -Infinity;
    for (let j = 0; j < side; j++) if (inArea[j * side + i]) { top = Math.min(top, j - R); bottom = Math.max(bottom, j - R); }
    if (!Number.isFinite(top)) continue;
    colTop[k] = top; colBottom[k] = bottom; found[k] = 1;
  }
  const first = found.indexOf(1), last = found.lastIndexOf(1);
  if (first < 0) return null;
  // The corners, at the mean height of the area's end columns; the eye's centre moves there.
  const ends = (colTop[first] + colBottom[first] + colTop[last] + colBottom[last]) / 4;
  const upper = new Float32Array(n), lower = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    upper[k] = found[k] ? colTop[k] - rim : ends;
    lower[k] = found[k] ? colBottom[k] + rim : ends;
  }
  upper[0] = lower[0] = upper[n - 1] = lower[n - 1] = ends;
  return {
    center: { x: c.x + mid * a.x - ends * a.y, y: c.y + mid * a.y + ends * a.x },
    axis: a,
    width,
    upperLid: smoothLid(upper, 3).map((v) => v - ends),
    lowerLid: smoothLid(lower, 3).map((v) => v - ends),
    iris: null,
  };
}

/**
 * The eye as the picture shows it, where that is a dark area wider than the rig (round animal and
 * cartoon eyes without white, which the face mesh lays out as a smaller human eye, often shifted):
 * its outline, found by growing the dark area from its darkest point near the rig's centre, with
 * the rig's axis kept. Otherwise (sclera shows, no dark area, or one that runs off into hair or
 * shadow) the rig as it was. Pure.
 */
export function fitDarkEye(img: RgbImage, rig: EyeRig, opts: { animal?: boolean } = {}): EyeRig {
  const W = rig.width;
  if (W < 6) return rig;
  const g = eyeGrid(img, rig, Math.ceil(DARK_EYE.reach * W));
  const skin = skinAround(g);
  const dark = darkestInOpening(g, rig, skin, opts.animal === true);
  if (!dark) return rig;
  const level = dark.l + DARK_EYE.level * (skin.luma - dark.l);
  const iris = opts.animal ? irisColour(g, dark.u, dark.v, dark.l, level) : null;
  const grown = iris ? growArea(g, dark.u, dark.v, iris) : opts.animal ? darkCore(g, dark, level, W) : growArea(g, dark.u, dark.v, (p) => g.luma[p] < level);
  if (!grown) return rig;
  const area = opts.animal ? trimLeaks(g, grown) : grown;
  const { side, R } = g;
  let u0 = Infinity, u1 = -Infinity;
  for (let p = 0; p < side * side; p++) if (area.inArea[p]) { const u = (p % side) - R; u0 = Math.min(u0, u); u1 = Math.max(u1, u); }
  if (u1 - u0 + 1 < DARK_EYE.wide * W) return rig;
  // An eye the rig already covers (round eyes laid out from the picture) is left as it is, but for
  // its lower lid moved down over what of the eye it misses (coverArea: of the area as grown, as
  // the cut to an ellipse takes a drawn eye's points off).
  let outside = 0;
  for (let p = 0; p < side * side; p++) {
    if (!area.inArea[p]) continue;
    const u = (p % side) - R, v = Math.floor(p / side) - R;
    if (Math.abs(u) >= W / 2 || v < profileAt(rig.upperLid, W, u) || v > profileAt(rig.lowerLid, W, u)) outside++;
  }
  const pastEnds = Math.max(-W / 2 - u0, u1 - W / 2) > DARK_EYE.pastEnds * W;
  if (outside < DARK_EYE.outside * area.count && !pastEnds) return outside > 0 ? coverArea(g, grown.inArea, rig) : rig;
  return lidsAroundArea(g, area.inArea, rig, u0, u1) ?? rig;
}

/**
 * The rig with its lower lid moved down, column by column, over what of the dark area lies below
 * it (a drawn eye's pointed corners below a round rig's lower lid stayed dark wedges under the
 * shut lid), a rim beyond it and no more than coverBelow x the width, then smoothed, never moved
 * up. The upper lid is left: what lies above it is drawn down with it, and raised over it the lid
 * ended in a step at the rig's end.
 */
function coverArea(g: EyeGrid, inArea: Uint8Array, rig: EyeRig): EyeRig {
  const { side, R } = g;
  const n = rig.lowerLid.length, W = rig.width;
  const lower = Float32Array.from(rig.lowerLid);
  const rim = DARK_EYE.rim * W;
  // Each lid sample takes the lowest of the columns it stands for, half way to its neighbours.
  const half = W / (n - 1) / 2;
  for (let k = 1; k < n - 1; k++) {
    const u = (k / (n - 1) - 0.5) * W;
    for (let i = Math.round(u - half) + R; i <= Math.round(u + half) + R; i++) {
      for (let j = side - 1; j >= 0; j--) {
        if (inArea[j * side + i]) { lower[k] = Math.max(lower[k], Math.min(j - R + rim, rig.lowerLid[k] + DARK_EYE.coverBelow * W)); break; }
      }
    }
  }
  return { ...rig, lowerLid: smoothLid(lower, 2).map((v, k) => Math.max(v, lower[k])) };
}
