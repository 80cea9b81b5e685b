// Mouth articulation by warping the real image. In a frame aligned with the lips (u across the
// mouth, v downwards) each lip edge is moved to a target line: below the seam the lower lip and
// chin move as one jaw that fades into the neck and cheeks, above it the upper lip lifts. Along
// v the warp is a smooth monotone 1-D map per column, inverted through lookup tables once per
// frame; spread and rounding add a small smooth shift along u. Between the lips the source's own
// mouth interior is reused where it has one (upper teeth stay with the upper lip, lower teeth
// with the jaw); beyond it a shaded interior with teeth is drawn. Because the targets are lip
// edges, a source with an open or smiling mouth closes fully when the targets meet. Pure.
// Here: the warp made once per video and its lip-edge targets each frame; the per-column tables
// are mouth-columns.ts's, tracing pixels through them mouth-map.ts's, the numbers mouth-config.ts's.
import { ACOUSTIC } from '../animate/speech/acoustic-config.js';
import { clamp, smoothstep } from '../core/geometry.js';
import type { FrameParams, MouthRig, RgbImage } from '../core/types.js';
import { FOLD_FREE, MOUTH, type MouthWarp } from './mouth-config.js';
import { invertColumns } from './mouth-columns.js';
import { fillShiftGrid } from './mouth-map.js';
import { DRAWN_TEETH, mouthPalette, mouthState, showsTeeth } from './mouth-interior.js';
import { lowerLipPastShadow, sourceTeethDepth } from './mouth-source.js';
import { localBox, profileAt } from './sample.js';

/** The lip gap's share at u across a gap `half` wide each side of the middle (see MOUTH.openShape). */
const lens = (u: number, half: number): number => {
  const t = u / half;
  return t * t < 1 ? Math.pow(1 - t * t, MOUTH.openShape) : 0;
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

/** How far below the mouth's centre line (v) the frame ends: the nearest edge over u in +-`uMax`. */
function frameEdgeBelow(rig: MouthRig, uMax: number, width: number, height: number): number {
  const { center: c, axis: a } = rig;
  let v = Infinity;
  // Linear in u: the nearest edge is met at one end of the mouth's width.
  for (const u of [-uMax, uMax]) {
    const x = c.x + u * a.x, y = c.y + u * a.y;
    // Point (u, v) is (x - v * a.y, y + v * a.x).
    if (a.x > 0) v = Math.min(v, (height - 1 - y) / a.x);
    if (a.y > 0) v = Math.min(v, x / a.y);
    else if (a.y < 0) v = Math.min(v, (width - 1 - x) / -a.y);
  }
  return v;
}

export function prepareMouth(base: RgbImage, rig: MouthRig): MouthWarp {
  const drawn = rig.style === 'drawing';
  const uMax = rig.jawHalfWidth * 1.15;
  const cols = MOUTH.columns;
  const upIn = new Float32Array(cols), lowIn = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    const u = -uMax + (2 * uMax * c) / (cols - 1);
    // Beyond the corners both edges follow the seam line outwards.
    upIn[c] = profileAt(rig.upperInner, rig.width, u);
    lowIn[c] = profileAt(rig.lowerInner, rig.width, u);
  }
  if (mouthState(rig) !== 'closed') lowerLipPastShadow(base, rig, lowIn, uMax, MOUTH.shadowBelow * rig.width);
  const sourceTeeth = showsTeeth(base, rig);
  const teethDepth = sourceTeeth ? sourceTeethDepth(base, rig, upIn, lowIn, uMax) : new Float32Array(cols);
  const frameV = frameEdgeBelow(rig, uMax, base.width, base.height);
  const wanted = MOUTH.maxOpen * openingScale(rig) * (drawn ? MOUTH.drawnOpen : 1) + extraForOwnTeeth(teethDepth, rig.width);
  // A picture cut just under the lips or the chin leaves the jaw's fall no neck to fade into:
  // it fades out by the frame's edge instead (lowerShift), and the mouth opens no further than
  // that room allows without folding (FOLD_FREE).
  const room = frameV - Math.max(...lowIn);
  const openPx = room < FOLD_FREE * wanted ? Math.max(0, room / FOLD_FREE) : wanted;
  const maxO = openPx;
  const neckFall = Math.max(0.6 * rig.chinDepth, 2.2 * maxO);
  const vMin = -rig.noseHeight;
  const vMax = rig.chinDepth + neckFall + maxO + 2;
  const rows = Math.ceil(vMax - vMin) + 2;
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
  const bounds = localBox(rig.center, rig.axis, -uMax, uMax, vMin, vMax, base.width, base.height);
  const gridCols = Math.ceil(bounds.width / MOUTH.gridStep) + 2, gridRows = Math.ceil(bounds.height / MOUTH.gridStep) + 2;
  return {
    rig, openPx, openWidth: MOUTH.openWidth * (drawn ? MOUTH.drawnWidth : 1), uMin: -uMax, uMax, vMin, vMax, neckFall, frameV,
    bounds, gridCols, gridRows, gridX: new Float32Array(gridCols * gridRows), gridY: new Float32Array(gridCols * gridRows),
    palette: mouthPalette(base, rig, openPx),
    sourceTeeth,
    teethDepth,
    rows,
    upIn, lowIn,
    top: new Float32Array(cols), bottom: new Float32Array(cols),
    upperInv: new Float32Array(cols * rows), lowerInv: new Float32Array(cols * rows), upSmooth: new Float32Array(cols),
    uProfile, vProfile, cornerProfile, shiftGain: 0, smileGain: 0,
    zoneHalfU: Infinity, zoneTop: -Infinity, zoneBottom: Infinity, key: '',
  };
}

/**
 * Px added to the widest lip gap for the source's own teeth: they hang from the upper lip inside
 * the gap, so a smile showing taller teeth than the drawn ones (DRAWN_TEETH) left that much less
 * of the opening for the dark interior and lower teeth below them (a broad smile with a fifth of
 * its mouth's width in upper teeth parted to a thin dark crescent: 0.11 of the mouth's width at
 * the widest against 0.2 on other faces). The jaw drops as far below real teeth as below drawn ones.
 */
export function extraForOwnTeeth(teethDepth: Float32Array, width: number): number {
  // At the middle, where the gap opens widest (see `targets`).
  return Math.max(0, teethDepth[teethDepth.length >> 1] - DRAWN_TEETH * width);
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
  const gapHalf = (W / 2) * w.openWidth;
  const l = lens(u, gapHalf * (1 - 0.25 * round));
  const seam = (w.upIn[c] + w.lowIn[c]) / 2;
  const lipUp = seam - rig.lipTop, lipLow = rig.lipBottom - seam;
  const top = seam - open * l * MOUTH.upperShare - clamp(p.upperLipRaise ?? 0, 0, 1) * MOUTH.raise * W * lens(u, gapHalf) + roll * lipUp * l;
  const bottom = seam + open * l * (1 - MOUTH.upperShare) - roll * lipLow * l;
  return [top, bottom];
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
