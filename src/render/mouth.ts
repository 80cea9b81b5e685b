// Jaw opening by warping the real image. In a frame aligned with the lips (u across the mouth,
// v downwards), everything below the lip seam is pushed down - lower lip and chin as one jaw,
// fading out into the neck and towards the cheeks - and the upper lip lifts a little. The warp
// is a smooth, monotone 1-D map along v for each u, inverted through lookup tables every frame;
// where the lips part, the gap shows a shaded mouth interior. Pure.
import { clamp, lerp, smoothstep } from '../core/geometry.js';
import type { MouthRig, Rect, RgbImage } from '../core/types.js';
import { regionTone, sampleBilinearInto } from './sample.js';

export const MOUTH = Object.freeze({
  /** Widest lip gap, as a fraction of mouth width, at jaw = 1. */
  maxOpen: 0.3,
  /** Share of the opening taken by the upper lip moving up. */
  upperShare: 0.15,
  /** Depth below the seam over which lip-shaped motion turns into rigid jaw motion, x width. */
  lipBlend: 0.16,
  /** Samples across the deformed area. */
  columns: 48,
});

interface MouthGeometry {
  readonly uMin: number;
  readonly uMax: number;
  readonly vMin: number;
  readonly vMax: number;
  readonly neckFall: number;
  readonly bounds: Rect;
}

export interface MouthWarp {
  readonly rig: MouthRig;
  readonly geometry: MouthGeometry;
  readonly palette: MouthPalette;
  // Per-frame tables, refilled by updateMouthTables.
  readonly seam: Float32Array;
  readonly gapTop: Float32Array;
  readonly gapBottom: Float32Array;
  readonly upperInv: Float32Array;
  readonly lowerInv: Float32Array;
  readonly rows: number;
  opening: number;
}

interface MouthPalette {
  readonly cavity: [number, number, number];
  readonly teeth: [number, number, number];
  readonly tongue: [number, number, number];
}

const lens = (u: number, half: number): number => {
  const t = u / half;
  return t * t < 1 ? Math.pow(1 - t * t, 0.6) : 0;
};

function seamAt(rig: MouthRig, u: number): number {
  const n = rig.seam.length;
  const pos = ((u / rig.width) + 0.5) * (n - 1);
  const i = clamp(Math.floor(pos), 0, n - 2);
  const t = clamp(pos - i, 0, 1);
  return rig.seam[i] + (rig.seam[i + 1] - rig.seam[i]) * t;
}

function palette(base: RgbImage, rig: MouthRig): MouthPalette {
  const r = rig.width * 0.6;
  const tone = regionTone(base, rig.center.x - r, rig.center.y - r * 0.8, rig.center.x + r, rig.center.y + r * 0.8);
  // Interior colours follow the face: dimmer for dark or dim photos, grey for black-and-white ones.
  const light = clamp(tone.luma / 140, 0.45, 1.15);
  const sat = clamp(tone.chroma / 35, 0, 1);
  const tint = (rgb: [number, number, number]): [number, number, number] => {
    const g = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
    return rgb.map((c) => clamp(lerp(g, c, sat) * light, 0, 255)) as [number, number, number];
  };
  return { cavity: tint([92, 34, 38]), teeth: tint([226, 220, 208]), tongue: tint([168, 78, 84]) };
}

export function prepareMouth(base: RgbImage, rig: MouthRig): MouthWarp {
  const maxO = MOUTH.maxOpen * rig.width;
  const neckFall = Math.max(0.6 * rig.chinDepth, 2.2 * maxO);
  const uMax = rig.jawHalfWidth * 1.15;
  const vMin = -rig.noseHeight;
  const vMax = rig.chinDepth + neckFall + maxO + 2;
  const corners = [[-uMax, vMin], [uMax, vMin], [-uMax, vMax], [uMax, vMax]].map(([u, v]) => ({
    x: rig.center.x + u * rig.axis.x - v * rig.axis.y,
    y: rig.center.y + u * rig.axis.y + v * rig.axis.x,
  }));
  const xs = corners.map((c) => c.x), ys = corners.map((c) => c.y);
  const x0 = Math.max(0, Math.floor(Math.min(...xs))), y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const x1 = Math.min(base.width, Math.ceil(Math.max(...xs))), y1 = Math.min(base.height, Math.ceil(Math.max(...ys)));
  const rows = Math.ceil(vMax - vMin) + 1;
  const cols = MOUTH.columns;
  return {
    rig,
    geometry: { uMin: -uMax, uMax, vMin, vMax, neckFall, bounds: { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) } },
    palette: palette(base, rig),
    seam: new Float32Array(cols),
    gapTop: new Float32Array(cols),
    gapBottom: new Float32Array(cols),
    upperInv: new Float32Array(cols * rows),
    lowerInv: new Float32Array(cols * rows),
    rows,
    opening: -1,
  };
}

/** Forward displacement along v of a source point `vv` below (>= 0) or above (< 0) the seam. */
function displacement(rig: MouthRig, g: MouthGeometry, u: number, vv: number, open: number): number {
  const half = rig.width / 2;
  const l = lens(u, half);
  if (vv < 0) {
    const noseRel = Math.max(1, rig.noseHeight + seamAt(rig, u));
    return -open * MOUTH.upperShare * l * (1 - smoothstep(0, noseRel, -vv));
  }
  const jawProfile = 1 - smoothstep(0.55 * rig.jawHalfWidth, 1.1 * rig.jawHalfWidth, Math.abs(u));
  const blend = smoothstep(0, MOUTH.lipBlend * rig.width, vv);
  // The jaw line rises towards the ears, so the chin's fall-off starts higher away from the centre.
  const tu = u / rig.jawHalfWidth;
  const chinRel = Math.max(0.2 * rig.width, (rig.chinDepth - seamAt(rig, u)) * (1 - 0.45 * tu * tu));
  const below = 1 - smoothstep(chinRel, chinRel + g.neckFall, vv);
  return open * (1 - MOUTH.upperShare) * lerp(l, jawProfile, blend) * below;
}

/** Refills the inverse-map tables for a jaw value; cheap (columns x rows), done once per frame. */
export function updateMouthTablesInPlace(w: MouthWarp, jaw: number): void {
  const open = clamp(jaw, 0, 1) * MOUTH.maxOpen * w.rig.width;
  if (Math.abs(open - w.opening) < 1e-3) return;
  w.opening = open;
  const g = w.geometry;
  const cols = MOUTH.columns, rows = w.rows;
  const step = 0.5;
  for (let c = 0; c < cols; c++) {
    const u = g.uMin + ((g.uMax - g.uMin) * c) / (cols - 1);
    const s = seamAt(w.rig, u);
    w.seam[c] = s;
    const top = s + displacement(w.rig, g, u, -1e-6, open);
    const bottom = s + displacement(w.rig, g, u, 0, open);
    w.gapTop[c] = top;
    w.gapBottom[c] = bottom;
    // Upper piece: sweep source v from the seam upwards, output v falls monotonically.
    let prevS = s, prevO = top;
    let r = Math.min(rows - 1, Math.floor(top - g.vMin));
    for (let j = rows - 1; j > r; j--) w.upperInv[c * rows + j] = s;
    for (let vs = s - step; r >= 0; vs -= step) {
      const vo = vs + displacement(w.rig, g, u, vs - s, open);
      while (r >= 0 && g.vMin + r >= vo) {
        const t = (g.vMin + r - vo) / (prevO - vo || 1);
        w.upperInv[c * rows + r] = lerp(vs, prevS, t);
        r--;
      }
      prevS = vs; prevO = vo;
      if (vs < g.vMin - 4 * rows) break;
    }
    // Lower piece: sweep source v from the seam downwards.
    prevS = s; prevO = bottom;
    r = Math.max(0, Math.ceil(bottom - g.vMin));
    for (let j = 0; j < r; j++) w.lowerInv[c * rows + j] = s;
    for (let vs = s + step; r < rows; vs += step) {
      const vo = vs + displacement(w.rig, g, u, vs - s, open);
      while (r < rows && g.vMin + r <= vo) {
        const t = (g.vMin + r - prevO) / (vo - prevO || 1);
        w.lowerInv[c * rows + r] = lerp(prevS, vs, t);
        r++;
      }
      prevS = vs; prevO = vo;
      if (vs > g.vMax + 4 * rows) break;
    }
  }
}

/** Colour of the mouth interior at lip-relative position (tu across, g down the gap). */
function interiorInto(w: MouthWarp, tu: number, depth: number, gapPx: number, out: Uint8Array, o: number): void {
  const p = w.palette;
  const W = w.rig.width;
  const edge = 1 - Math.min(depth, gapPx - depth) / Math.max(1, gapPx / 2);
  let shade = (0.35 + 0.5 * edge * edge) * (1 - 0.35 * Math.min(1, tu * tu));
  let c = p.cavity;
  const teethH = Math.min(0.085 * W, 0.55 * gapPx);
  const lowerTeethH = gapPx > 0.2 * W ? Math.min(0.05 * W, 0.18 * gapPx) : 0;
  const across = 1 - Math.min(1, tu * tu / 0.55);
  if (depth < teethH && across > 0) {
    c = p.teeth;
    // Teeth are lit from the front and fall into shadow towards the corners and their edge.
    shade = (0.55 + 0.45 * across) * (1 - 0.25 * smoothstep(teethH * 0.6, teethH, depth));
  } else if (gapPx - depth < lowerTeethH && across > 0) {
    c = p.teeth;
    shade = 0.45 + 0.3 * across;
  } else if (gapPx > 0.12 * W && depth > 0.55 * gapPx && Math.abs(tu) < 0.6) {
    const k = smoothstep(0.55, 0.9, depth / gapPx) * (1 - Math.abs(tu) / 0.6);
    out[o] = lerp(c[0] * shade, p.tongue[0] * 0.75, k);
    out[o + 1] = lerp(c[1] * shade, p.tongue[1] * 0.75, k);
    out[o + 2] = lerp(c[2] * shade, p.tongue[2] * 0.75, k);
    return;
  }
  out[o] = c[0] * shade;
  out[o + 1] = c[1] * shade;
  out[o + 2] = c[2] * shade;
}

const tmp = new Uint8Array(6);

/** Writes the warped mouth region of one frame into `out` (rgb24, same size as `base`). */
export function renderMouthInto(w: MouthWarp, base: RgbImage, out: Uint8Array): void {
  const g = w.geometry, rig = w.rig;
  const { x: bx, y: by, width: bw, height: bh } = g.bounds;
  const ax = rig.axis.x, ay = rig.axis.y, nx = -ay, ny = ax;
  const cx = rig.center.x, cy = rig.center.y;
  const cols = MOUTH.columns, rows = w.rows;
  const colScale = (cols - 1) / (g.uMax - g.uMin);
  const half = rig.width / 2;
  const stride = base.width * 3;
  for (let y = by; y < by + bh; y++) {
    for (let x = bx; x < bx + bw; x++) {
      const dx = x - cx, dy = y - cy;
      const u = dx * ax + dy * ay;
      const v = dx * nx + dy * ny;
      if (u <= g.uMin || u >= g.uMax || v <= g.vMin || v >= g.vMax - 1) continue;
      const o = y * stride + x * 3;
      const cu = (u - g.uMin) * colScale;
      const c0 = Math.min(cols - 2, cu | 0), fu = cu - c0;
      const top = w.gapTop[c0] + (w.gapTop[c0 + 1] - w.gapTop[c0]) * fu;
      const bottom = w.gapBottom[c0] + (w.gapBottom[c0 + 1] - w.gapBottom[c0]) * fu;
      const gap = bottom - top;
      const rv = v - g.vMin;
      const r0 = Math.min(rows - 2, rv | 0), fv = rv - r0;
      const table = v - top < bottom - v ? w.upperInv : w.lowerInv;
      const i0 = c0 * rows + r0, i1 = i0 + rows;
      const a = table[i0] + (table[i0 + 1] - table[i0]) * fv;
      const b = table[i1] + (table[i1 + 1] - table[i1]) * fv;
      const vs = a + (b - a) * fu;
      sampleBilinearInto(base, cx + u * ax + vs * nx, cy + u * ay + vs * ny, out, o);
      if (gap > 0.05) {
        // Coverage of the interior at this pixel, so the lip edge is anti-aliased.
        const cover = clamp(Math.min(v - top, bottom - v) + 0.5, 0, 1) * clamp(gap, 0, 1);
        if (cover > 0) {
          interiorInto(w, u / half, clamp(v - top, 0, gap), gap, tmp, 0);
          out[o] = lerp(out[o], tmp[0], cover);
          out[o + 1] = lerp(out[o + 1], tmp[1], cover);
          out[o + 2] = lerp(out[o + 2], tmp[2], cover);
        }
      }
    }
  }
}

export const mouthBounds = (w: MouthWarp): Rect => w.geometry.bounds;

/** Seam offset at u, exported for tests. */
export const seamOffset = (rig: MouthRig, u: number): number => seamAt(rig, u);
