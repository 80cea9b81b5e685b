// A human eye larger in the picture than the face mesh laid it out: painted eyes (Pearl Earring)
// and eyes moved onto their iris (analyze/face/eye-place.ts) show sclera above the mesh's upper
// lid and beyond its corners, which a lid closing over the mesh's eye left showing when shut.
// The rig is refitted round the white the picture shows there; an eye whose white lies within
// its lids (nearly every photo) keeps its rig as it was. Pure.
import type { EyeRig, RgbImage } from '../core/types.js';
import { eyeGrid, skinAround, smoothLid } from './dark-eye.js';
import { profileAt } from './sample.js';

export const WIDE_EYE = Object.freeze({
  /**
   * Sclera: at least `bright` x the skin's luma (its 75th percentile around the eye) and, in
   * chroma, below `pale` x the skin's (plus 2 levels); told from skin only where the skin has
   * `skinChroma` levels of chroma at least (not on a black-and-white picture).
   */
  bright: 0.95,
  pale: 0.6,
  skinChroma: 8,
  /**
   * Followed column by column out of the rigged opening: up from the upper lid, at most `level`
   * x the eye's width, across gaps of `gapPx` px; beyond the corners on from the neighbouring
   * columns' white, while at least `count` px of a column are white, across gaps of `gapCols`
   * columns (the lids' dark corner), up to `reach` x the eye's width (white running on further
   * is no eye's).
   */
  level: 0.35,
  gapPx: 2,
  count: 2,
  gapCols: 3,
  reach: 0.6,
  /** Beyond the corners the white is looked for within `slack` (x eye width) of the column before, and is at most `tall` x the opening. */
  slack: 0.15,
  tall: 1.1,
  /** Above the upper lid the white has something at most `edgeDrop` x its luma within `edgeSpan` x eye width above it. */
  edgeDrop: 0.85,
  edgeSpan: 0.08,
  /** Refitted only when this much white (x the eye's width squared) lies outside the rigged opening... */
  minArea: 0.04,
  /** ...then run `taper` (x eye width) past the white beyond a corner, the lids `rim` px outside it. */
  taper: 0.08,
  rim: 1,
  /** The new corners this far down from the upper lid to the lower one there. */
  corner: 1,
});

/** Per column of the eye: the white's top and bottom (lids `rim` outside; +-Infinity where the lid stays), and where the search goes on from. */
export type Columns = Map<number, { up: number; low: number; at: { up: number; low: number } }>;

/** What the white is looked for with: the eye's width W, the search's reach R (px) and the sclera test. */
export interface WhiteSearch {
  readonly W: number;
  readonly R: number;
  readonly at: (u: number, v: number) => number;
  readonly white: (u: number, v: number) => boolean;
}

/** The sclera test around the eye; null where the skin has too little chroma to tell white from it. */
function whiteSearch(img: RgbImage, rig: EyeRig): WhiteSearch | null {
  const W = rig.width, E = WIDE_EYE;
  const R = Math.ceil((0.5 + E.reach) * W) + 2;
  const g = eyeGrid(img, rig, R);
  const skin = skinAround(g);
  if (skin.chroma < E.skinChroma) return null;
  const white = (u: number, v: number): boolean => {
    if (Math.abs(v) > R || g.at(u, v) < E.bright * skin.luma) return false;
    const [, cb, cr] = g.yuvAt(u, v);
    return Math.hypot(cb - 128, cr - 128) < E.pale * skin.chroma + 2;
  };
  return { W, R, at: (u, v) => g.at(u, v), white };
}

/** From v0 (excluded) on in steps of `dir`, the last white pixel before a gap longer than gapPx or `limit` px. */
export function follow(s: WhiteSearch, u: number, v0: number, dir: -1 | 1, limit: number): number {
  let last = v0, miss = 0;
  for (let d = 1; d <= limit; d++) {
    if (s.white(u, v0 + dir * d)) { last = v0 + dir * d; miss = 0; } else if (++miss > WIDE_EYE.gapPx) break;
  }
  return last;
}

/**
 * White above the upper lid is the eye's when a darker lid (its line, lashes, crease shadow)
 * lies just above it; pale lid skin runs on up into as pale a skin.
 */
function darkAbove(s: WhiteSearch, u: number, t: number, b: number): boolean {
  let sum = 0, m = 0;
  for (let v = t; v <= b; v++) if (s.white(u, v)) { sum += s.at(u, v); m++; }
  const dark = WIDE_EYE.edgeDrop * (sum / Math.max(1, m));
  const reach = Math.max(2, Math.round(WIDE_EYE.edgeSpan * s.W));
  for (let d = 1; d <= reach; d++) if (s.at(u, t - d) <= dark) return true;
  return false;
}

/** Inside the corners: the white above the upper lid, joined to the opening; and how many white pixels that adds. */
function whiteAboveLid(s: WhiteSearch, rig: EyeRig): { cols: Columns; added: number } {
  const { W } = s, E = WIDE_EYE;
  const cols: Columns = new Map();
  let added = 0;
  for (let u = Math.ceil(-W / 2); u <= W / 2; u++) {
    const up = Math.round(profileAt(rig.upperLid, W, u)), low = Math.round(profileAt(rig.lowerLid, W, u));
    // (Not below the lower lid: its wet rim is often as white, and the skin under it as pale.)
    let top = follow(s, u, up + 1, -1, E.level * W + 1);
    if (top < up && !darkAbove(s, u, top, up)) top = up;
    for (let v = top; v < up; v++) if (s.white(u, v)) added++;
    cols.set(u, { up: top < up ? top - E.rim : Infinity, low: -Infinity, at: { up: Math.min(up, top), low } });
  }
  // A column the search missed between raised ones (no dark edge found just above its white)
  // is raised with them, so the lid line has no notch that leaves white under it.
  const raised = [...cols].filter(([, c]) => Number.isFinite(c.up));
  for (const [u, c] of cols) {
    const near = raised.filter(([k]) => Math.abs(k - u) <= E.gapCols && k !== u).map(([, r]) => r.up);
    if (near.length >= 2) {
      const up = Math.max(...near);
      if (up < Math.min(c.up, c.at.up)) { cols.set(u, { up, low: c.low, at: { up: up + E.rim, low: c.at.low } }); }
    }
  }
  return { cols, added };
}

/**
 * Beyond one corner: column by column, the white that goes on from the neighbouring column's
 * opening (or white), while the columns show it and it is no taller than the eye opens
 * (`aperture`). Adds
 * the columns to `cols`; how far it goes (px) and the white pixels it adds, or null when it runs
 * on further than an eye's (`reach` x its width; with `clip`, the columns up to there, and
 * `clipped`). `tall`: how much taller than the opening the white may be.
 */
export function whiteBeyond(s: WhiteSearch, cols: Columns, aperture: number, dir: -1 | 1, opts: { reach?: number; tall?: number; clip?: boolean } = {}): { end: number; added: number; clipped: boolean } | null {
  const { W } = s, E = WIDE_EYE;
  const reach = opts.reach ?? E.reach, tall = opts.tall ?? E.tall;
  const slack = Math.max(2, Math.round(E.slack * W));
  // From the opening (and white above it) of the columns near the corner.
  let prev = { up: Infinity, low: -Infinity };
  for (const [u, c] of cols) if (dir * u >= W / 2 - E.slack * W) prev = { up: Math.min(prev.up, c.at.up), low: Math.max(prev.low, c.at.low) };
  let end = 0, miss = 0, added = 0;
  for (let d = 1; ; d++) {
    const u = dir * Math.floor(W / 2) + dir * d;
    // The column's largest run of white (across gaps of gapPx) within slack of the last.
    let t = 0, b = -1, c = 0;
    for (let v = prev.up - slack, rt = 0, rb = -1, rc = 0, gap = Infinity; v <= prev.low + slack + 1; v++) {
      if (v <= prev.low + slack && s.white(u, v)) {
        if (gap > E.gapPx) { rt = v; rc = 0; }
        rb = v; rc++; gap = 0;
      } else if (++gap === E.gapPx + 1 || v > prev.low + slack) {
        if (rc > c) { t = rt; b = rb; c = rc; }
      }
    }
    if (c >= E.count && b - t <= tall * aperture) {
      if (d > reach * W) {
        if (opts.clip) return { end, added, clipped: true };
        return null;
      }
      added += c;
      prev = { up: t, low: b };
      cols.set(u, { up: t - E.rim, low: b + E.rim, at: prev });
      end = d; miss = 0;
    } else if (++miss > E.gapCols) break;
  }
  return { end, added, clipped: false };
}

/**
 * The rig's lids laid round `cols` from `endL` px beyond its left corner to `endR` beyond its
 * right, then on for `taper` x its width, or `runOn` px (left, right) where that is longer: past
 * the rig's corners the lids close in line from its corner to the new one's height.
 */
export function refitRig(rig: EyeRig, cols: Columns, endL: number, endR: number, runOn: readonly [number, number] = [0, 0]): EyeRig {
  const W = rig.width, E = WIDE_EYE, n = rig.upperLid.length;
  const half = W / 2 - Math.floor(W / 2);
  const left = -Math.floor(W / 2) - endL - Math.max(runOn[0], endL > 0 ? E.taper * W : half);
  const right = Math.floor(W / 2) + endR + Math.max(runOn[1], endR > 0 ? E.taper * W : half);
  const cornerL = (rig.upperLid[0] + rig.lowerLid[0]) / 2, cornerR = (rig.upperLid[n - 1] + rig.lowerLid[n - 1]) / 2;
  const upper = new Float32Array(n), lower = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const u = left + (k / (n - 1)) * (right - left);
    // Beyond a corner: from the rig's corner (its lids) in line to the new corner (their mean).
    const out = u < -W / 2 ? (-W / 2 - u) / Math.max(1e-3, -W / 2 - left) : u > W / 2 ? (u - W / 2) / Math.max(1e-3, right - W / 2) : 0;
    const j = u < 0 ? 0 : n - 1, mid = u < 0 ? cornerL : cornerR;
    let up = out > 0 ? rig.upperLid[j] + out * (mid - rig.upperLid[j]) : profileAt(rig.upperLid, W, u);
    let low = out > 0 ? rig.lowerLid[j] + out * (mid - rig.lowerLid[j]) : profileAt(rig.lowerLid, W, u);
    // The white at this column or, across a gap of dark corner, the nearest column that shows it.
    for (let e = 0; e <= 2 * E.gapCols; e++) {
      const c = cols.get(Math.round(u) + (e % 2 ? -1 : 1) * Math.ceil(e / 2));
      if (c) { up = Math.min(up, c.up); low = Math.max(low, c.low); break; }
    }
    upper[k] = up; lower[k] = low;
  }
  // The corners low in the white, so the closing lid comes down over all of it.
  upper[0] = lower[0] = upper[0] + E.corner * (lower[0] - upper[0]);
  upper[n - 1] = lower[n - 1] = upper[n - 1] + E.corner * (lower[n - 1] - upper[n - 1]);
  const mid = (left + right) / 2;
  const { center: c, axis: a } = rig;
  return {
    center: { x: c.x + mid * a.x, y: c.y + mid * a.y },
    axis: a,
    width: right - left,
    upperLid: smoothLid(upper, 2),
    lowerLid: smoothLid(lower, 2),
    iris: rig.iris ? { ...rig.iris, u: rig.iris.u - mid } : null,
  };
}

/**
 * The rig refitted round the sclera the picture shows outside it (above its upper lid, beyond
 * its corners); the rig itself when it shows little or none.
 */
export function fitWideEye(img: RgbImage, rig: EyeRig): EyeRig {
  if (rig.width < 6) return rig;
  const s = whiteSearch(img, rig);
  if (!s) return rig;
  const { cols, added } = whiteAboveLid(s, rig);
  // How far the eye opens, with the white above it: what the white beyond a corner may not exceed.
  let aperture = 0;
  for (const c of cols.values()) aperture = Math.max(aperture, c.at.low - c.at.up);
  const left = whiteBeyond(s, cols, aperture, -1), right = whiteBeyond(s, cols, aperture, 1);
  if (left === null || right === null || added + left.added + right.added < WIDE_EYE.minArea * s.W * s.W) return rig;
  bridgeCorners(cols);
  return refitRig(rig, cols, left.end, right.end);
}

/**
 * A column left as rigged between raised ones, within gapCols either side, is raised in line with
 * the lower of them: at a corner the lid's dark line lies between the rigged lid and the white
 * above it, so the search up from the lid found none there while the columns past the corner
 * showed it, and the notch left in the lid kept that white showing beside the closed lid (the
 * inner corner of an eye looking aside).
 */
function bridgeCorners(cols: Columns): void {
  const raised = [...cols].filter(([, c]) => Number.isFinite(c.up)).sort((a, b) => a[0] - b[0]);
  for (const [u, c] of cols) {
    if (Number.isFinite(c.up)) continue;
    const before = raised.filter(([k]) => k < u && u - k <= WIDE_EYE.gapCols).pop();
    const after = raised.find(([k]) => k > u && k - u <= WIDE_EYE.gapCols);
    if (!before || !after) continue;
    const up = Math.max(before[1].up, after[1].up);
    if (up < c.at.up) cols.set(u, { up, low: c.low, at: { up: up + WIDE_EYE.rim, low: c.at.low } });
  }
}
