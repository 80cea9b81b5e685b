// Tracing base-frame points back through this frame's mouth warp (after updateMouthInPlace):
// per pixel near the lips (with the drawn interior where it shows), from a grid elsewhere, and
// where each is needed. Pure.
import { clamp, smoothstep } from '../core/geometry.js';
import type { Rect } from '../core/types.js';
import { newPixelSource, type PixelSource } from './map.js';
import { MOUTH, type MouthWarp } from './mouth-config.js';
import { interiorInto } from './mouth-interior.js';

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
 * The test whether base-frame point (x, y), give or take `margin` px, can be near the lips in any
 * frame, where the warp is discontinuous (the lip gap) or draws the interior and must be traced
 * per pixel. Elsewhere in the mouth area the warp is smooth enough to trace once per 2x2 block.
 * The lips' reach is worked out once: classification asks for every block of the mouth area.
 */
export function lipsReach(w: MouthWarp): (x: number, y: number, margin: number) => boolean {
  const rig = w.rig;
  const W = rig.width, maxO = w.openPx;
  const up = Math.min(...rig.upperInner) - maxO * MOUTH.upperShare - MOUTH.raise * W;
  const low = Math.max(...rig.lowerInner) + MOUTH.shadowBelow * W + maxO;
  const halfU = 0.6 * W;
  return (x, y, margin) => {
    const { u, v } = lipFrame(w, x, y);
    return Math.abs(u) < halfU + margin && v > up - margin - 2 && v < low + margin + 2;
  };
}

/** Like lipsReach, for the lips as they are this frame (after updateMouthInPlace). */
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
