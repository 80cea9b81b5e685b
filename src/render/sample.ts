import { clamp } from '../core/geometry.js';
import type { Point, Rect, RgbImage } from '../core/types.js';
import type { BlockList } from './blocks.js';
import type { YuvPlanes } from './yuv.js';

/**
 * Bilinear sample of one 8-bit plane (width x height, row stride = width) at (x, y); points
 * outside clamp to the edge.
 */
export function samplePlane(p: Uint8Array, width: number, height: number, x: number, y: number): number {
  if (x < 0) x = 0; else if (x > width - 1.001) x = width - 1.001;
  if (y < 0) y = 0; else if (y > height - 1.001) y = height - 1.001;
  const x0 = x | 0, y0 = y | 0;
  const fx = x - x0, fy = y - y0;
  const i = y0 * width + x0;
  const a = p[i] + (p[i + 1] - p[i]) * fx;
  const b = p[i + width] + (p[i + width + 1] - p[i + width]) * fx;
  return a + (b - a) * fy;
}

/** Mean luminance (0-255), colourfulness (mean |r-g| + |g-b|) and mean colour of an image region. */
export function regionTone(img: RgbImage, x0: number, y0: number, x1: number, y1: number): { luma: number; chroma: number; mean: [number, number, number] } {
  let luma = 0, chroma = 0, n = 0;
  const mean: [number, number, number] = [0, 0, 0];
  const xa = Math.max(0, Math.floor(x0)), xb = Math.min(img.width, Math.ceil(x1));
  const ya = Math.max(0, Math.floor(y0)), yb = Math.min(img.height, Math.ceil(y1));
  for (let y = ya; y < yb; y++) {
    for (let x = xa; x < xb; x++) {
      const i = (y * img.width + x) * 3;
      const r = img.data[i], g = img.data[i + 1], b = img.data[i + 2];
      luma += 0.299 * r + 0.587 * g + 0.114 * b;
      chroma += Math.abs(r - g) + Math.abs(g - b);
      mean[0] += r; mean[1] += g; mean[2] += b;
      n++;
    }
  }
  return n ? { luma: luma / n, chroma: chroma / n, mean: mean.map((c) => c / n) as [number, number, number] } : { luma: 128, chroma: 0, mean: [128, 128, 128] };
}

/**
 * A rig profile (offsets sampled evenly across [-width/2, width/2], e.g. a lip edge or a lid)
 * at position u, interpolated linearly and held constant beyond its ends.
 */
export function profileAt(p: Float32Array, width: number, u: number): number {
  const pos = (u / width + 0.5) * (p.length - 1);
  const i = clamp(Math.floor(pos), 0, p.length - 2);
  const t = clamp(pos - i, 0, 1);
  return p[i] + (p[i + 1] - p[i]) * t;
}

/**
 * Pixel box covering the rectangle [u0, u1] x [v0, v1] of a local frame (origin `center`, unit
 * `axis` across, its normal down), grown by `pad` pixels and clipped to width x height.
 */
export function localBox(center: Point, axis: Point, u0: number, u1: number, v0: number, v1: number, width: number, height: number, pad = 0): Rect {
  const corners = [[u0, v0], [u1, v0], [u0, v1], [u1, v1]].map(([u, v]) => ({
    x: center.x + u * axis.x - v * axis.y,
    y: center.y + u * axis.y + v * axis.x,
  }));
  const xs = corners.map((c) => c.x), ys = corners.map((c) => c.y);
  const x0 = clamp(Math.floor(Math.min(...xs)) - pad, 0, width), y0 = clamp(Math.floor(Math.min(...ys)) - pad, 0, height);
  const x1 = clamp(Math.ceil(Math.max(...xs)) + pad, 0, width), y1 = clamp(Math.ceil(Math.max(...ys)) + pad, 0, height);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/**
 * One 2x2 pixel block of a yuv420p frame moved as a whole: its centre comes from (qx, qy) of
 * `src`, and the four luma pixels share that fractional offset, so a 3x3 neighbourhood serves
 * all of them. Writes luma at `dY` (rows `stride` apart) and the block's chroma at `dC`.
 */
export function sampleBlockInto(src: YuvPlanes, qx: number, qy: number, dstY: Uint8Array, dY: number, stride: number, dstU: Uint8Array, dstV: Uint8Array, dC: number): void {
  const { width, height, y: sy, u: su, v: sv } = src;
  const cw = width >> 1, ch = height >> 1;
  let tx = qx - 0.5, ty = qy - 0.5;
  if (tx < 0) tx = 0; else if (tx > width - 2.001) tx = width - 2.001;
  if (ty < 0) ty = 0; else if (ty > height - 2.001) ty = height - 2.001;
  const ix = tx | 0, iy = ty | 0, ax = tx - ix, ay = ty - iy;
  const a = iy * width + ix;
  const p00 = sy[a], p01 = sy[a + 1], p02 = sy[a + 2];
  const p10 = sy[a + width], p11 = sy[a + width + 1], p12 = sy[a + width + 2];
  const p20 = sy[a + 2 * width], p21 = sy[a + 2 * width + 1], p22 = sy[a + 2 * width + 2];
  const h00 = p00 + (p01 - p00) * ax, h01 = p01 + (p02 - p01) * ax;
  const h10 = p10 + (p11 - p10) * ax, h11 = p11 + (p12 - p11) * ax;
  const h20 = p20 + (p21 - p20) * ax, h21 = p21 + (p22 - p21) * ax;
  dstY[dY] = h00 + (h10 - h00) * ay + 0.5;
  dstY[dY + 1] = h01 + (h11 - h01) * ay + 0.5;
  dstY[dY + stride] = h10 + (h20 - h10) * ay + 0.5;
  dstY[dY + stride + 1] = h11 + (h21 - h11) * ay + 0.5;
  let cx = (qx - 0.5) * 0.5, cy = (qy - 0.5) * 0.5;
  if (cx < 0) cx = 0; else if (cx > cw - 1.001) cx = cw - 1.001;
  if (cy < 0) cy = 0; else if (cy > ch - 1.001) cy = ch - 1.001;
  const jx = cx | 0, jy = cy | 0, bx = cx - jx, by = cy - jy;
  const c = jy * cw + jx;
  const u0 = su[c] + (su[c + 1] - su[c]) * bx, u1 = su[c + cw] + (su[c + cw + 1] - su[c + cw]) * bx;
  const v0 = sv[c] + (sv[c + 1] - sv[c]) * bx, v1 = sv[c + cw] + (sv[c + cw + 1] - sv[c + cw]) * bx;
  dstU[dC] = u0 + (u1 - u0) * by + 0.5;
  dstV[dC] = v0 + (v1 - v0) * by + 0.5;
}

/** How the sample pass treats a visited block this frame. */
export const SampleAction = Object.freeze({
  /** One displacement for the whole block, to (qx, qy) of the clean base. */
  Block: 0,
  /** Per pixel through the mouth warp's grid (pixels.ts): a jaw block the warp squeezes. */
  JawPixels: 1,
  /** Per pixel through all the warps (pixels.ts): the lips or a lid are near. */
  EdgePixels: 2,
});

/** Block b's pixels as the background has them (which carries the overlays). */
function copyBlock(bg: YuvPlanes, out: YuvPlanes, d: number, c: number): void {
  const w = bg.width, by = bg.y, oy = out.y;
  oy[d] = by[d]; oy[d + 1] = by[d + 1]; oy[d + w] = by[d + w]; oy[d + w + 1] = by[d + w + 1];
  out.u[c] = bg.u[c]; out.v[c] = bg.v[c];
}

/**
 * Pass 4, per frame: draws every Block-action block of `list` from its traced point
 * (qx[i], qy[i]) of `src` into `out`; a block moving by less than a fiftieth of a pixel
 * is copied from `bg` instead (the unmoved picture is exact enough). Marks each block in
 * `fresh` as drawn from the clean base (1, overlays go on again) or not (0); per-pixel blocks
 * are left to their pass and marked 1.
 */
export function sampleBlocks(list: BlockList, action: Uint8Array, qx: Float64Array, qy: Float64Array, src: YuvPlanes, bg: YuvPlanes, out: YuvPlanes, fresh: Uint8Array): void {
  const width = src.width, cw = width >> 1;
  for (let i = 0; i < list.n; i++) {
    const b = list.b[i];
    if (action[i] !== SampleAction.Block) { fresh[b] = 1; continue; }
    const x0 = list.x[i], y0 = list.y[i], d = y0 * width + x0, c = (y0 >> 1) * cw + (x0 >> 1);
    if (Math.abs(qx[i] - (x0 + 0.5)) < 0.02 && Math.abs(qy[i] - (y0 + 0.5)) < 0.02) {
      copyBlock(bg, out, d, c);
      fresh[b] = 0;
    } else {
      sampleBlockInto(src, qx[i], qy[i], out.y, d, width, out.u, out.v, c);
      fresh[b] = 1;
    }
  }
}
