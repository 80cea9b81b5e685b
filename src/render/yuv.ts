// RGB -> YUV 4:2:0 (BT.709, limited range), the layout ffmpeg's `yuv420p` reads. Converting in
// the renderer means only the moving region is converted per frame and the pipe carries half
// the bytes of rgb24. Pure.
import type { Rect } from '../core/types.js';

// BT.709 luma weights (ITU-R BT.709-6, table 3) scaled to studio swing: Y 16-235, C 16-240.
const KR = 0.2126, KB = 0.0722, KG = 1 - KR - KB;
const YS = 219 / 255, CS = 224 / 255;
const CB_B = CS / (2 * (1 - KB)), CR_R = CS / (2 * (1 - KR));
/** yuvOf's weights and scales, for the native kernels' copy of it (render_addon.cc). */
export const LUMA = Object.freeze({ kr: KR, kg: KG, kb: KB, ys: YS, cb: CB_B, cr: CR_R });

/** Bytes in one yuv420p frame. */
export const yuv420Size = (width: number, height: number): number => width * height + 2 * ((width >> 1) * (height >> 1));

/** Grows `r` to even coordinates and size (chroma is subsampled 2x2) within width x height. */
export function evenRect(r: Rect, width: number, height: number): Rect {
  const x0 = Math.max(0, Math.floor(r.x / 2) * 2), y0 = Math.max(0, Math.floor(r.y / 2) * 2);
  const x1 = Math.min(width, Math.ceil((r.x + r.width) / 2) * 2), y1 = Math.min(height, Math.ceil((r.y + r.height) / 2) * 2);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/**
 * Converts `rect` (even-aligned) of a packed RGB frame into the same rect of a yuv420p frame
 * of the same size. Chroma is the average of each 2x2 block.
 */
export function rgbToYuv420Into(rgb: Uint8Array, width: number, height: number, rect: Rect, yuv: Uint8Array): void {
  const uOff = width * height, vOff = uOff + (width >> 1) * (height >> 1), cw = width >> 1;
  const x1 = rect.x + rect.width, y1 = rect.y + rect.height;
  for (let y = rect.y; y < y1; y += 2) {
    let i0 = (y * width + rect.x) * 3, i1 = i0 + width * 3;
    let yi0 = y * width + rect.x, yi1 = yi0 + width;
    let ci = (y >> 1) * cw + (rect.x >> 1);
    for (let x = rect.x; x < x1; x += 2) {
      const r00 = rgb[i0], g00 = rgb[i0 + 1], b00 = rgb[i0 + 2];
      const r01 = rgb[i0 + 3], g01 = rgb[i0 + 4], b01 = rgb[i0 + 5];
      const r10 = rgb[i1], g10 = rgb[i1 + 1], b10 = rgb[i1 + 2];
      const r11 = rgb[i1 + 3], g11 = rgb[i1 + 4], b11 = rgb[i1 + 5];
      const l00 = KR * r00 + KG * g00 + KB * b00, l01 = KR * r01 + KG * g01 + KB * b01;
      const l10 = KR * r10 + KG * g10 + KB * b10, l11 = KR * r11 + KG * g11 + KB * b11;
      yuv[yi0] = 16.5 + YS * l00; yuv[yi0 + 1] = 16.5 + YS * l01;
      yuv[yi1] = 16.5 + YS * l10; yuv[yi1 + 1] = 16.5 + YS * l11;
      const l = (l00 + l01 + l10 + l11) * 0.25;
      const b = (b00 + b01 + b10 + b11) * 0.25, r = (r00 + r01 + r10 + r11) * 0.25;
      yuv[uOff + ci] = 128.5 + CB_B * (b - l);
      yuv[vOff + ci] = 128.5 + CR_R * (r - l);
      i0 += 6; i1 += 6; yi0 += 2; yi1 += 2; ci++;
    }
  }
}

/** A whole RGB frame as yuv420p. */
export function rgbToYuv420(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(yuv420Size(width, height));
  rgbToYuv420Into(rgb, width, height, { x: 0, y: 0, width, height }, out);
  return out;
}

/** A colour as BT.709 limited-range Y, Cb, Cr. */
export function yuvOf(r: number, g: number, b: number): [number, number, number] {
  const l = KR * r + KG * g + KB * b;
  return [16 + YS * l, 128 + CB_B * (b - l), 128 + CR_R * (r - l)];
}

/** Views of the three planes of a yuv420p buffer. */
export interface YuvPlanes {
  readonly width: number;
  readonly height: number;
  readonly y: Uint8Array;
  readonly u: Uint8Array;
  readonly v: Uint8Array;
}

export function planesOf(buffer: Uint8Array, width: number, height: number): YuvPlanes {
  const ySize = width * height, cSize = (width >> 1) * (height >> 1);
  return {
    width, height,
    y: buffer.subarray(0, ySize),
    u: buffer.subarray(ySize, ySize + cSize),
    v: buffer.subarray(ySize + cSize, ySize + 2 * cSize),
  };
}
