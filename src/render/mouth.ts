// Mouth articulation by warping the real image. In a frame aligned with the lips (u across the
// mouth, v downwards) each lip edge is moved to a target line: below the seam the lower lip and
// chin move as one jaw that fades into the neck and cheeks, above it the upper lip lifts. Along
// v the warp is a smooth monotone 1-D map per column, inverted through lookup tables once per
// frame; spread and rounding add a small smooth shift along u. Between the lips the source's own
// mouth interior is reused where it has one (upper teeth stay with the upper lip, lower teeth
// with the jaw); beyond it a shaded interior with teeth is drawn. Because the targets are lip
// edges, a source with an open or smiling mouth closes fully when the targets meet. Pure.
import { ACOUSTIC } from '../animate/speech/acoustic-config.js';
import { clamp, lerp, smoothstep } from '../core/geometry.js';
import type { FrameParams, MouthRig, Rect, RgbImage } from '../core/types.js';
import { newPixelSource, type PixelSource } from './map.js';
import { interiorInto, mouthPalette, mouthState, showsTeeth, type MouthPalette } from './mouth-interior.js';
import { lowerLipPastShadow, sourceTeethDepth } from './mouth-source.js';
import { localBox, profileAt } from './sample.js';

export const MOUTH = Object.freeze({
  /**
   * Widest lip gap at jaw = 1, x the face's own mouth-width scale (see openingScale): a jaw
   * drops as far on a thin, narrow mouth as on full lips or a broad smile.
   */
  maxOpen: 0.3,
  /**
   * Share of the widest gap at jaw j: ((j - openDeadZone) / (1 - openDeadZone))^openCurve. Small
   * jaw values (fast speech, where the jaw never gets far before it must close again; Mandarin
   * at 8 syllables a second has a median jaw of 0.09) still part the lips visibly; 0 and 1 stay
   * put, and the dead zone keeps a jaw settling towards rest from showing a slit.
   */
  openCurve: 0.65,
  openDeadZone: 0.03,
  /** Share of the opening taken by the upper lip moving up. */
  upperShare: 0.15,
  /** Extra upper-lip lift at upperLipRaise = 1, x width. */
  raise: 0.05,
  /** Corner shift outwards at full spread and inwards at full rounding, x width. */
  spread: 0.07,
  round: 0.11,
  /** How far pressed lips roll in, x lip height. */
  press: 0.2,
  /**
   * The lip gap of a tongue's near-closure, x the widest: the jaw is up but the lips stay just
   * apart (the teeth's edge shows where the picture has teeth) rather than shut as for p/b/m.
   */
  tongueGap: 0.15,
  /** Depth below the lower lip over which lip-shaped motion becomes rigid jaw motion, x width. */
  lipBlend: 0.16,
  /** Lift of the mouth corners at a full smile, x width. */
  smileLift: 0.09,
  columns: 48,
  /** Deepest dark band under an open source mouth's inner lower lip taken as interior, x width. */
  shadowBelow: 0.1,
  /** Spacing (px) of the grid the warp's smooth part is sampled on each frame. */
  gridStep: 4,
  /** Stretch (see mouthStretchAt) beyond which a block is traced per pixel: its corners would be off by a tenth of a pixel. */
  maxBlockStretch: 0.2,
  /** Spread across the mouth (Gaussian sigma, x width) of the upper lip's motion in the skin above it. */
  skinSmoothing: 0.1,
  /** A drawn mouth is small: its widest opening and its opening's width, x a photo's. */
  drawnOpen: 0.6,
  drawnWidth: 0.8,
});

export interface MouthWarp {
  readonly rig: MouthRig;
  /** Lip gap at jaw = 1, px (see openingScale). */
  readonly openPx: number;
  /** Share of the mouth's width the opening spans (less for a drawn mouth). */
  readonly openWidth: number;
  readonly bounds: Rect;
  readonly uMin: number; readonly uMax: number; readonly vMin: number; readonly vMax: number;
  readonly neckFall: number;
  readonly palette: MouthPalette;
  readonly sourceTeeth: boolean;
  /**
   * Per column: how far below the upper lip the source's own teeth reach (0 where it shows
   * none). The face model's inner lower lip often lies on the lower lip's wet inside, below the
   * teeth: reusing all of the source gap put a band of lip colour inside the open mouth.
   */
  readonly teethDepth: Float32Array;
  readonly rows: number;
  // Per-column tables, refilled each frame by updateMouthInPlace.
  readonly upIn: Float32Array; readonly lowIn: Float32Array;
  readonly top: Float32Array; readonly bottom: Float32Array;
  readonly upperInv: Float32Array; readonly lowerInv: Float32Array;
  /** The upper edge's shift per column smoothed across the mouth, for the skin above the lip. */
  readonly upSmooth: Float32Array;
  /** The warp's displacement this frame at base-frame points bounds.x/y + gridStep x (i, j). */
  readonly gridCols: number; readonly gridRows: number;
  readonly gridX: Float32Array; readonly gridY: Float32Array;
  /** Horizontal shift profile across u and down v (per column / per row), and its gain this frame. */
  readonly uProfile: Float32Array; readonly vProfile: Float32Array;
  /** How much each column takes of a smile's corner lift: most at the corners. */
  readonly cornerProfile: Float32Array;
  shiftGain: number;
  smileGain: number;
  /**
   * This frame's lips in the lip frame (|u| < zoneHalfU, zoneTop < v < zoneBottom): the lip gap,
   * the lips around it and the drawn interior, where the warp has edges. Outside it, smooth.
   */
  zoneHalfU: number;
  zoneTop: number;
  zoneBottom: number;
  key: string;
}

const lens = (u: number, half: number): number => {
  const t = u / half;
  return t * t < 1 ? Math.pow(1 - t * t, 0.6) : 0;
};

/**
 * The mouth width a face of this size has at rest, px: from the jaw's width at mouth height and
 * the nose-to-chin height (a resting mouth is ~0.42 of the one and ~0.85 of the other), so the
 * opening follows the face rather than the source's lips: a thin, pursed or narrow mouth opens
 * as far as the face it is in. Never less than the mouth's own width (a broad smile's stretched
 * mouth keeps its opening) nor more than 1.4x it (a turned head, an animal's small mouth).
 */
export function openingScale(rig: MouthRig): number {
  const face = 0.42 * rig.jawHalfWidth + 0.42 * (rig.noseHeight + rig.chinDepth);
  return clamp(face, rig.width, 1.4 * rig.width);
}

export function prepareMouth(base: RgbImage, rig: MouthRig): MouthWarp {
  const drawn = rig.style === 'drawing';
  const openPx = MOUTH.maxOpen * openingScale(rig) * (drawn ? MOUTH.drawnOpen : 1);
  const maxO = openPx;
  const neckFall = Math.max(0.6 * rig.chinDepth, 2.2 * maxO);
  const uMax = rig.jawHalfWidth * 1.15;
  const vMin = -rig.noseHeight;
  const vMax = rig.chinDepth + neckFall + maxO + 2;
  const rows = Math.ceil(vMax - vMin) + 2;
  const cols = MOUTH.columns;
  const half = rig.width / 2;
  const uProfile = new Float32Array(cols), cornerProfile = new Float32Array(cols);
  // The sideways shift and the smile's lift fade to exactly nothing at the edges of the mouth
  // area: a window that is only small there would leave a visible step where the warp ends.
  for (let c = 0; c < cols; c++) {
    const u = -uMax + (2 * uMax * c) / (cols - 1);
    const beyond = Math.max(0, Math.abs(u) - half) / (0.35 * rig.width);
    const taper = 1 - smoothstep(half, uMax, Math.abs(u));
    uProfile[c] = clamp(u / half, -1, 1) * Math.exp(-beyond * beyond) * taper;
    const fromCorner = (Math.abs(u) - half) / (0.3 * rig.width);
    cornerProfile[c] = Math.exp(-fromCorner * fromCorner) * (Math.abs(u) > half ? taper : 1);
  }
  const seam0 = profileAt(rig.seam, rig.width, 0);
  const vProfile = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const v = vMin + r, d = (v - seam0) / (0.45 * rig.width);
    vProfile[r] = Math.exp(-d * d) * smoothstep(vMin, Math.min(rig.lipTop, seam0 - 1), v) * (1 - smoothstep(seam0, vMax - 1, v));
  }
  const upIn = new Float32Array(cols), lowIn = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    const u = -uMax + (2 * uMax * c) / (cols - 1);
    // Beyond the corners both edges follow the seam line outwards.
    upIn[c] = profileAt(rig.upperInner, rig.width, u);
    lowIn[c] = profileAt(rig.lowerInner, rig.width, u);
  }
  if (mouthState(rig) !== 'closed') lowerLipPastShadow(base, rig, lowIn, uMax, MOUTH.shadowBelow * rig.width);
  const bounds = localBox(rig.center, rig.axis, -uMax, uMax, vMin, vMax, base.width, base.height);
  const sourceTeeth = showsTeeth(base, rig);
  const gridCols = Math.ceil(bounds.width / MOUTH.gridStep) + 2, gridRows = Math.ceil(bounds.height / MOUTH.gridStep) + 2;
  return {
    rig, openPx, openWidth: drawn ? MOUTH.drawnWidth : 1, uMin: -uMax, uMax, vMin, vMax, neckFall,
    bounds, gridCols, gridRows, gridX: new Float32Array(gridCols * gridRows), gridY: new Float32Array(gridCols * gridRows),
    palette: mouthPalette(base, rig, openPx),
    sourceTeeth,
    teethDepth: sourceTeeth ? sourceTeethDepth(base, rig, upIn, lowIn, uMax) : new Float32Array(cols),
    rows,
    upIn, lowIn,
    top: new Float32Array(cols), bottom: new Float32Array(cols),
    upperInv: new Float32Array(cols * rows), lowerInv: new Float32Array(cols * rows), upSmooth: new Float32Array(cols),
    uProfile, vProfile, cornerProfile, shiftGain: 0, smileGain: 0,
    zoneHalfU: Infinity, zoneTop: -Infinity, zoneBottom: Infinity, key: '',
  };
}

/**
 * How much a lip press of `press` is a tongue's near-closure (t, d, n, k: the analyzer keeps
 * ACOUSTIC.tongueClosure of their evidence): 1 there, 0 at rest and from halfway to a real
 * press on. A press passing through on its way to a p/b/m shows the lips meeting.
 */
export function nearClosure(press: number): number {
  return smoothstep(0, 0.6 * ACOUSTIC.tongueClosure, press) * (1 - smoothstep(ACOUSTIC.tongueClosure, 0.6, press));
}

/** Share of the widest lip gap shown at jaw opening `jaw` (see MOUTH.openCurve). */
export function openingOf(jaw: number): number {
  return Math.pow(clamp((jaw - MOUTH.openDeadZone) / (1 - MOUTH.openDeadZone), 0, 1), MOUTH.openCurve);
}

/** Lip-edge targets for one column: where the upper and lower inner lip edges go this frame. */
function targets(w: MouthWarp, u: number, p: FrameParams, c: number): [number, number] {
  const rig = w.rig, W = rig.width;
  const press = clamp(p.lipPress ?? 0, 0, 1);
  const round = clamp(p.lipRound ?? 0, 0, 1);
  const near = nearClosure(press);
  const open = (openingOf(p.jaw) * (1 - press) + MOUTH.tongueGap * near) * w.openPx;
  // Lips roll in as they press together, not where the tongue makes the closure.
  const roll = press * (1 - near) * MOUTH.press;
  const l = lens(u, (W / 2) * w.openWidth * (1 - 0.25 * round));
  const seam = (w.upIn[c] + w.lowIn[c]) / 2;
  const lipUp = seam - rig.lipTop, lipLow = rig.lipBottom - seam;
  const top = seam - open * l * MOUTH.upperShare - clamp(p.upperLipRaise ?? 0, 0, 1) * MOUTH.raise * W * lens(u, W / 2) + roll * lipUp * l;
  const bottom = seam + open * l * (1 - MOUTH.upperShare) - roll * lipLow * l;
  return [top, bottom];
}

/**
 * A shift that changes by D px over a smoothstep of length L has a steepest slope of 1.5 D / L:
 * at 1 the picture folds over, near 1 a long stretch of the source is crammed into one row.
 * Transitions are at least this many times their change long, so a jaw closing a wide-open
 * source mouth squeezes the chin evenly (at most about three source rows to an output row).
 */
export const FOLD_FREE = 2.2;

/**
 * Forward shift along v of a source point `d` px above the upper lip edge. The lip's own edge
 * follows its target exactly; from the lip's outer edge up to the nose the skin follows the
 * targets smoothed across the mouth, or the sharp ends of the lip shapes near the corners would
 * shear the cheek in a visible vertical line.
 */
function upperShift(w: MouthWarp, c: number, d: number, edgeShift: number): number {
  const noseRel = Math.max(1, w.rig.noseHeight + w.upIn[c]);
  const lip = Math.max(2, w.upIn[c] - w.rig.lipTop, FOLD_FREE * Math.abs(w.upSmooth[c] - edgeShift));
  return lerp(edgeShift, w.upSmooth[c], smoothstep(0, lip, d)) * (1 - smoothstep(0, noseRel, d));
}

/** `out` = `values` blurred across columns by a Gaussian of `sigma` columns, renormalised at the ends. */
function blurColumns(values: Float32Array, sigma: number, out: Float32Array): void {
  const n = values.length, reach = Math.ceil(3 * sigma);
  for (let c = 0; c < n; c++) {
    let sum = 0, weight = 0;
    for (let k = Math.max(0, c - reach); k <= Math.min(n - 1, c + reach); k++) {
      const g = Math.exp(-((k - c) * (k - c)) / (2 * sigma * sigma));
      sum += g * values[k]; weight += g;
    }
    out[c] = sum / weight;
  }
}

function lowerShift(w: MouthWarp, u: number, c: number, d: number, edgeShift: number, jawShift: number): number {
  const rig = w.rig;
  const jawProfile = 1 - smoothstep(0.55 * rig.jawHalfWidth, 1.1 * rig.jawHalfWidth, Math.abs(u));
  const jaw = jawShift * jawProfile;
  const blend = smoothstep(0, Math.max(MOUTH.lipBlend * rig.width, FOLD_FREE * Math.abs(jaw - edgeShift)), d);
  // The jaw line rises towards the ears, so the chin's fall-off starts higher away from the centre.
  const tu = u / rig.jawHalfWidth;
  const chinRel = Math.max(0.2 * rig.width, (rig.chinDepth - w.lowIn[c]) * (1 - 0.45 * tu * tu));
  const below = 1 - smoothstep(chinRel, chinRel + w.neckFall, d);
  return lerp(edgeShift, jaw, blend) * below;
}

/**
 * Per column, the inverse of the warp along v for the upper and lower piece (upperInv,
 * lowerInv) from this frame's lip-edge targets (top, bottom, upSmooth).
 */
export function invertColumns(w: MouthWarp, jawShift: number): void {
  const cols = MOUTH.columns, rows = w.rows, vMin = w.vMin, step = 1;
  for (let c = 0; c < cols; c++) {
    const u = w.uMin + ((w.uMax - w.uMin) * c) / (cols - 1);
    const top = w.top[c], bottom = w.bottom[c];
    const up = w.upIn[c], low = w.lowIn[c];
    const upEdge = top - up, lowEdge = bottom - low;
    // Upper piece: source v from the upper edge upwards; output falls monotonically.
    let prevS = up, prevO = up + upEdge;
    let r = Math.min(rows - 1, Math.floor(top - vMin));
    for (let j = rows - 1; j > r; j--) w.upperInv[c * rows + j] = up;
    for (let d = step; r >= 0; d += step) {
      const vs = up - d;
      const vo = vs + upperShift(w, c, d, upEdge);
      while (r >= 0 && vMin + r >= vo) {
        w.upperInv[c * rows + r] = lerp(vs, prevS, (vMin + r - vo) / (prevO - vo || 1));
        r--;
      }
      prevS = vs; prevO = vo;
      if (d > 8 * rows) break;
    }
    // Rows the sweep gave up on keep the farthest source row, not an earlier frame's value.
    for (; r >= 0; r--) w.upperInv[c * rows + r] = prevS;
    // Lower piece: source v from the lower edge downwards.
    prevS = low; prevO = low + lowEdge;
    r = Math.max(0, Math.ceil(bottom - vMin));
    for (let j = 0; j < r; j++) w.lowerInv[c * rows + j] = low;
    for (let d = step; r < rows; d += step) {
      const vs = low + d;
      const vo = vs + lowerShift(w, u, c, d, lowEdge, jawShift);
      while (r < rows && vMin + r <= vo) {
        w.lowerInv[c * rows + r] = lerp(prevS, vs, (vMin + r - prevO) / (vo - prevO || 1));
        r++;
      }
      prevS = vs; prevO = vo;
      if (d > 8 * rows) break;
    }
    for (; r < rows; r++) w.lowerInv[c * rows + r] = prevS;
  }
}

/** The per-frame loops of updateMouthInPlace, in TypeScript or native (kernels.ts): the same numbers either way. */
export interface MouthFill {
  columns(w: MouthWarp, jawShift: number): void;
  grid(w: MouthWarp): void;
}

export const JS_MOUTH_FILL: MouthFill = Object.freeze({ columns: invertColumns, grid: fillShiftGrid });

/** Refills the per-frame tables (cheap: columns x rows), skipping work when nothing changed. */
export function updateMouthInPlace(w: MouthWarp, frame: FrameParams, fill: MouthFill = JS_MOUTH_FILL): void {
  // The tables are made from the parameters as the key rounds them, not from the exact ones: a
  // frame whose key equals the previous frame's reuses its tables, so they must not depend on
  // which frame of that key came first (frames are rendered by several threads, in any order).
  const q = (x: number | undefined) => Math.round((x ?? 0) * 1000) / 1000;
  const p: FrameParams = { ...frame, jaw: q(frame.jaw), lipPress: q(frame.lipPress), lipRound: q(frame.lipRound), lipSpread: q(frame.lipSpread), upperLipRaise: q(frame.upperLipRaise), smile: q(frame.smile) };
  const key = [p.jaw, p.lipPress, p.lipRound, p.lipSpread, p.upperLipRaise, p.smile].join();
  if (key === w.key) return;
  w.key = key;
  const smile = clamp(p.smile ?? 0, 0, 1);
  // A smile draws the corners out a little and lifts them; the lift is applied per pixel.
  w.shiftGain = (clamp(clamp(p.lipSpread ?? 0, 0, 1) + 0.5 * smile, 0, 1) * MOUTH.spread - clamp(p.lipRound ?? 0, 0, 1) * MOUTH.round) * w.rig.width;
  w.smileGain = smile * MOUTH.smileLift * w.rig.width;
  // Sweeping the source in 1 px steps and interpolating is exact to well under a pixel: the map is smooth.
  const cols = MOUTH.columns;
  const mid = cols >> 1;
  const centre = targets(w, 0, p, mid);
  const jawShift = centre[1] - w.lowIn[mid];
  for (let c = 0; c < cols; c++) {
    let [top, bottom] = targets(w, w.uMin + ((w.uMax - w.uMin) * c) / (cols - 1), p, c);
    if (top > bottom) top = bottom = (top + bottom) / 2;
    // The skin between the upper lip and the nose can only stretch so far without folding: when
    // a wide-open source mouth closes, the jaw brings the lower lip the rest of the way.
    const downCap = Math.max(1, w.rig.noseHeight + w.upIn[c]) / FOLD_FREE;
    if (top - w.upIn[c] > downCap) { top = w.upIn[c] + downCap; bottom = Math.max(bottom, top); }
    w.top[c] = top; w.bottom[c] = bottom;
    w.upSmooth[c] = top - w.upIn[c];
  }
  blurColumns(w.upSmooth.slice(), (MOUTH.skinSmoothing * w.rig.width * (cols - 1)) / (w.uMax - w.uMin), w.upSmooth);
  fill.columns(w, jawShift);
  let upMove = 0, lowMove = 0;
  for (let c = 0; c < cols; c++) { upMove = Math.min(upMove, w.top[c] - w.upIn[c]); lowMove = Math.max(lowMove, w.bottom[c] - w.lowIn[c]); }
  // The outer lip edges move at most as far as the inner ones; a smile lifts the corners.
  w.zoneHalfU = 0.6 * w.rig.width + Math.abs(w.shiftGain);
  w.zoneTop = Math.min(w.rig.lipTop, ...w.upIn) + upMove - w.smileGain;
  w.zoneBottom = Math.max(w.rig.lipBottom, ...w.lowIn) + lowMove;
  fill.grid(w);
}

/** Samples the warp's displacement on the grid (see MouthWarp.gridX); only the smooth part is ever read from it. */
export function fillShiftGrid(w: MouthWarp): void {
  const s = newPixelSource();
  const step = MOUTH.gridStep, x0 = w.bounds.x, y0 = w.bounds.y;
  for (let j = 0; j < w.gridRows; j++) {
    for (let i = 0; i < w.gridCols; i++) {
      const x = x0 + i * step, y = y0 + j * step;
      mapMouth(w, x, y, s);
      w.gridX[j * w.gridCols + i] = s.x - x;
      w.gridY[j * w.gridCols + i] = s.y - y;
    }
  }
}

/**
 * How far the warp around base-frame point (x, y) departs from a plain shift: the largest
 * change of its displacement per pixel over the grid cell there (0 = moves rigidly). Where it
 * is large (a jaw closing an open source mouth squeezes the chin) a block cannot share one
 * displacement between its pixels.
 */
export function mouthStretchAt(w: MouthWarp, x: number, y: number): number {
  const gx = (x - w.bounds.x) / MOUTH.gridStep, gy = (y - w.bounds.y) / MOUTH.gridStep;
  if (gx < 0 || gy < 0 || gx >= w.gridCols - 1 || gy >= w.gridRows - 1) return 0;
  const k = (gy | 0) * w.gridCols + (gx | 0), n = w.gridCols, gX = w.gridX, gY = w.gridY;
  return Math.max(Math.abs(gX[k + 1] - gX[k]), Math.abs(gX[k + n] - gX[k]), Math.abs(gY[k + 1] - gY[k]), Math.abs(gY[k + n] - gY[k])) / MOUTH.gridStep;
}

/**
 * Traces base-frame point (x, y) through the smooth part of the warp (away from the lips as
 * they are this frame, see nearLipsNow): the displacement interpolated bilinearly from the grid,
 * into s.x/s.y. Far cheaper than mapMouth and, the field being smooth there, as exact to a small
 * fraction of a pixel.
 */
export function mapMouthSmooth(w: MouthWarp, x: number, y: number, s: PixelSource): void {
  s.x = x; s.y = y;
  const gx = (x - w.bounds.x) / MOUTH.gridStep, gy = (y - w.bounds.y) / MOUTH.gridStep;
  if (gx < 0 || gy < 0 || gx >= w.gridCols - 1 || gy >= w.gridRows - 1) return;
  const i = gx | 0, j = gy | 0, fx = gx - i, fy = gy - j;
  const k = j * w.gridCols + i, n = w.gridCols;
  const gX = w.gridX, gY = w.gridY;
  const a = gX[k] + (gX[k + 1] - gX[k]) * fx, b = gX[k + n] + (gX[k + n + 1] - gX[k + n]) * fx;
  const c = gY[k] + (gY[k + 1] - gY[k]) * fx, d = gY[k + n] + (gY[k + n + 1] - gY[k + n]) * fx;
  s.x = x + a + (b - a) * fy;
  s.y = y + c + (d - c) * fy;
}

/**
 * Whether base-frame point (x, y), give or take `margin` px, can be near the lips in any frame,
 * where the warp is discontinuous (the lip gap) or draws the interior and must be traced per
 * pixel. Elsewhere in the mouth area the warp is smooth enough to trace once per 2x2 block.
 */
export function nearLips(w: MouthWarp, x: number, y: number, margin: number): boolean {
  const rig = w.rig;
  const { u, v } = lipFrame(w, x, y);
  const W = rig.width, maxO = w.openPx;
  const up = Math.min(...rig.upperInner), low = Math.max(...rig.lowerInner) + MOUTH.shadowBelow * W;
  return Math.abs(u) < 0.6 * W + margin
    && v > up - maxO * MOUTH.upperShare - MOUTH.raise * W - margin - 2
    && v < low + maxO + margin + 2;
}

/** Like nearLips, for the lips as they are this frame (after updateMouthInPlace). */
export function nearLipsNow(w: MouthWarp, x: number, y: number, margin: number): boolean {
  const { u, v } = lipFrame(w, x, y);
  return Math.abs(u) < w.zoneHalfU + margin && v > w.zoneTop - margin && v < w.zoneBottom + margin;
}

function lipFrame(w: MouthWarp, x: number, y: number): { u: number; v: number } {
  const { center, axis } = w.rig;
  const dx = x - center.x, dy = y - center.y;
  return { u: dx * axis.x + dy * axis.y, v: dy * axis.x - dx * axis.y };
}

/** Box (base-frame pixels) of the area the mouth warp can change. */
export const mouthBox = (w: MouthWarp): Rect => w.bounds;

/**
 * Traces base-frame point (x, y) back through the mouth warp: sets s.x/s.y to the source point
 * and s.cover (+ colour) where the drawn interior shows. Call updateMouthInPlace first.
 */
export function mapMouth(w: MouthWarp, x: number, y: number, s: PixelSource): void {
  const rig = w.rig;
  const ax = rig.axis.x, ay = rig.axis.y;
  const dx = x - rig.center.x, dy = y - rig.center.y;
  let u = dx * ax + dy * ay;
  let v = dy * ax - dx * ay;
  s.x = x; s.y = y; s.cover = 0;
  if (u <= w.uMin || u >= w.uMax || v <= w.vMin || v >= w.vMax - 1) return;
  const rows = w.rows, cols = MOUTH.columns;
  const colScale = (cols - 1) / (w.uMax - w.uMin);
  let rv = v - w.vMin;
  let r0 = Math.min(rows - 2, rv | 0), fv = rv - r0;
  if (w.shiftGain !== 0 || w.smileGain !== 0) {
    const cu0 = (u - w.uMin) * colScale, k0 = Math.min(cols - 2, cu0 | 0), f0 = cu0 - k0;
    const near = w.vProfile[r0] + (w.vProfile[r0 + 1] - w.vProfile[r0]) * fv;
    const prof = w.uProfile[k0] + (w.uProfile[k0 + 1] - w.uProfile[k0]) * f0;
    u -= w.shiftGain * prof * near;
    if (w.smileGain !== 0) {
      // Sampling from lower down lifts the corners and the cheek skin beside them.
      v += w.smileGain * (w.cornerProfile[k0] + (w.cornerProfile[k0 + 1] - w.cornerProfile[k0]) * f0) * near;
      if (v >= w.vMax - 1) v = w.vMax - 1.001;
      rv = v - w.vMin;
      r0 = Math.min(rows - 2, rv | 0); fv = rv - r0;
    }
  }
  const cu = clamp((u - w.uMin) * colScale, 0, cols - 1.001);
  const c0 = cu | 0, fu = cu - c0;
  const top = w.top[c0] + (w.top[c0 + 1] - w.top[c0]) * fu;
  const bottom = w.bottom[c0] + (w.bottom[c0 + 1] - w.bottom[c0]) * fu;
  const gap = bottom - top;
  let vs: number;
  let cover = 0, teethTop = 0;
  if (v < top || v > bottom || gap < 0.05) {
    const table = v - top < bottom - v ? w.upperInv : w.lowerInv;
    const i0 = c0 * rows + r0, i1 = i0 + rows;
    const a = table[i0] + (table[i0 + 1] - table[i0]) * fv;
    const b = table[i1] + (table[i1 + 1] - table[i1]) * fv;
    vs = a + (b - a) * fu;
    if (!w.sourceTeeth && gap >= 0.05) cover = clamp((Math.min(v - top, bottom - v) + 0.5) / w.palette.edgeSoft, 0, 1) * clamp(gap, 0, 1);
  } else {
    // Between the lips: the source's own interior hangs from the upper lip, as upper teeth are
    // fixed to the skull (and slide behind the lower lip as the mouth closes); below what the
    // source shows, a drawn interior.
    const up = w.upIn[c0] + (w.upIn[c0 + 1] - w.upIn[c0]) * fu;
    const low = w.lowIn[c0] + (w.lowIn[c0 + 1] - w.lowIn[c0]) * fu;
    const src = w.sourceTeeth ? Math.min(Math.max(0, low - up), w.teethDepth[c0] + (w.teethDepth[c0 + 1] - w.teethDepth[c0]) * fu) : 0;
    const d = v - top, e = bottom - v;
    if (src > 0) {
      // The source's teeth fade into the drawn shadow below them over a few pixels: a hard cut
      // under real teeth reads as a cut-out.
      const soft = Math.max(1.5, 0.04 * rig.width);
      vs = d < e ? up + Math.min(d, src) : low;
      cover = smoothstep(src - soft, src + soft, d) * clamp(e + 0.5, 0, 1) * clamp(gap, 0, 1);
    } else {
      vs = d < e ? up : low;
      // edgeSoft: 1 for a cut along the lips, wider where an animal's jaw opens under fur.
      cover = clamp((Math.min(d, e) + 0.5) / w.palette.edgeSoft, 0, 1) * clamp(gap, 0, 1);
    }
    teethTop = src;
  }
  s.x = rig.center.x + u * ax - vs * ay;
  s.y = rig.center.y + u * ay + vs * ax;
  if (cover > 0) {
    s.cover = cover;
    const human = rig.teeth !== false;
    interiorInto(w.palette, rig.width, u / (rig.width / 2), clamp(v - top, 0, gap), gap, { upperTeeth: human && !w.sourceTeeth, lowerTeeth: human }, s, Math.min(teethTop, gap));
  }
}
