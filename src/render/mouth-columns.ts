// The mouth warp along v, per column: a smooth monotone 1-D map from the source to this frame's
// lip-edge targets (the upper lip and the skin up to the nose; the lower lip and the jaw down to
// the neck), inverted into lookup tables once per frame. Pure.
import { lerp, smoothstep } from '../core/geometry.js';
import { FOLD_FREE, MOUTH, type MouthWarp } from './mouth-config.js';

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

function lowerShift(w: MouthWarp, u: number, c: number, d: number, edgeShift: number, jawShift: number): number {
  const rig = w.rig;
  const jawProfile = 1 - smoothstep(0.55 * rig.jawHalfWidth, 1.1 * rig.jawHalfWidth, Math.abs(u));
  const jaw = jawShift * jawProfile;
  const blend = smoothstep(0, Math.max(MOUTH.lipBlend * rig.width, FOLD_FREE * Math.abs(jaw - edgeShift)), d);
  // The jaw line rises towards the ears, so the chin's fall-off starts higher away from the centre.
  const tu = u / rig.jawHalfWidth;
  const chinRel = Math.max(0.2 * rig.width, (rig.chinDepth - w.lowIn[c]) * (1 - 0.45 * tu * tu));
  // Faded out over the neck below the chin; or, where the frame ends sooner, by its edge (the
  // frame's last row keeps its own source row: sampling past it would draw that row as streaks).
  const edge = w.frameV - w.lowIn[c];
  const below = chinRel + w.neckFall <= edge ? 1 - smoothstep(chinRel, chinRel + w.neckFall, d)
    : edge > 0 ? 1 - smoothstep(Math.max(0, edge - w.neckFall), edge, d) : 0;
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
