import type { RgbImage } from '../core/types.js';

/**
 * Bilinear sample of `img` at (x, y), written to out[o..o+2]. Coordinates outside the image
 * clamp to its edge.
 */
export function sampleBilinearInto(img: RgbImage, x: number, y: number, out: Uint8Array, o: number): void {
  const w = img.width, h = img.height, d = img.data;
  if (x < 0) x = 0; else if (x > w - 1.001) x = w - 1.001;
  if (y < 0) y = 0; else if (y > h - 1.001) y = h - 1.001;
  const x0 = x | 0, y0 = y | 0;
  const fx = x - x0, fy = y - y0;
  const i00 = (y0 * w + x0) * 3, i10 = i00 + 3, i01 = i00 + w * 3, i11 = i01 + 3;
  const w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
  out[o] = d[i00] * w00 + d[i10] * w10 + d[i01] * w01 + d[i11] * w11 + 0.5;
  out[o + 1] = d[i00 + 1] * w00 + d[i10 + 1] * w10 + d[i01 + 1] * w01 + d[i11 + 1] * w11 + 0.5;
  out[o + 2] = d[i00 + 2] * w00 + d[i10 + 2] * w10 + d[i01 + 2] * w01 + d[i11 + 2] * w11 + 0.5;
}

/** Mean luminance (0-255) and colourfulness (mean |r-g| + |g-b|) of an image region. */
export function regionTone(img: RgbImage, x0: number, y0: number, x1: number, y1: number): { luma: number; chroma: number } {
  let luma = 0, chroma = 0, n = 0;
  const xa = Math.max(0, Math.floor(x0)), xb = Math.min(img.width, Math.ceil(x1));
  const ya = Math.max(0, Math.floor(y0)), yb = Math.min(img.height, Math.ceil(y1));
  for (let y = ya; y < yb; y++) {
    for (let x = xa; x < xb; x++) {
      const i = (y * img.width + x) * 3;
      const r = img.data[i], g = img.data[i + 1], b = img.data[i + 2];
      luma += 0.299 * r + 0.587 * g + 0.114 * b;
      chroma += Math.abs(r - g) + Math.abs(g - b);
      n++;
    }
  }
  return n ? { luma: luma / n, chroma: chroma / n } : { luma: 128, chroma: 0 };
}
