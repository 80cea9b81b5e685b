// Pixel measurements over rgb24 / luminance frames for judging rendered videos. Pure: typed
// arrays in, numbers out. Boxes are in frame pixels and are clipped to the frame here.
import type { Rect } from '../core/types.js';

/** `box` grown (or shrunk) by `factor` about its centre, as the "twice the face box". */
export function scaleBox(box: Rect, factor: number): Rect {
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  return { x: cx - (box.width * factor) / 2, y: cy - (box.height * factor) / 2, width: box.width * factor, height: box.height * factor };
}

/** Integer pixel bounds [x0, x1) x [y0, y1) of `box` inside a width x height frame. */
export function pixelBounds(box: Rect, width: number, height: number): { x0: number; y0: number; x1: number; y1: number } {
  const x0 = Math.max(0, Math.floor(box.x)), y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.ceil(box.x + box.width)), y1 = Math.min(height, Math.ceil(box.y + box.height));
  return { x0, y0, x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
}

/** Rec. 601 luma of packed RGB, in 0..255 (integer weights 77/150/29 of 256). */
export function luminance(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < out.length; i++, j += 3) out[i] = (77 * rgb[j] + 150 * rgb[j + 1] + 29 * rgb[j + 2]) >> 8;
  return out;
}

/**
 * Mean absolute difference of two rgb24 frames over all channels, in levels of 255, inside
 * `box` or (with `outside`) outside it. `step` samples every step-th row and column.
 */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array, width: number, height: number, box: Rect, outside = false, step = 1): number {
  const { x0, y0, x1, y1 } = pixelBounds(box, width, height);
  let sum = 0, n = 0;
  for (let y = 0; y < height; y += step) {
    const rowIn = y >= y0 && y < y1;
    for (let x = 0; x < width; x += step) {
      if ((rowIn && x >= x0 && x < x1) === outside) continue;
      const i = (y * width + x) * 3;
      sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
      n += 3;
    }
  }
  return n ? sum / n : 0;
}

export interface Shift { readonly dx: number; readonly dy: number }

/**
 * Mean absolute luminance difference between `ref` inside `box` and `cur` at the same box moved
 * by `shift`; pixels that `exclude` covers (in ref coordinates) are skipped. Out-of-frame pixels
 * are skipped too. `step` subsamples rows and columns.
 */
export function shiftedLumDiff(ref: Uint8Array, cur: Uint8Array, width: number, height: number, box: Rect, shift: Shift, exclude: Rect | null = null, step = 1): number {
  const { x0, y0, x1, y1 } = pixelBounds(box, width, height);
  const ex = exclude ? pixelBounds(exclude, width, height) : null;
  let sum = 0, n = 0;
  for (let y = y0; y < y1; y += step) {
    const sy = y + shift.dy;
    if (sy < 0 || sy >= height) continue;
    for (let x = x0; x < x1; x += step) {
      if (ex && x >= ex.x0 && x < ex.x1 && y >= ex.y0 && y < ex.y1) continue;
      const sx = x + shift.dx;
      if (sx < 0 || sx >= width) continue;
      sum += Math.abs(ref[y * width + x] - cur[sy * width + sx]);
      n++;
    }
  }
  return n ? sum / n : Infinity;
}

/**
 * Integer translation of `box`'s content from `ref` to `cur` by exhaustive block matching
 * within `radius` of `around`. Tracking from the previous frame's answer keeps the search small,
 * since a head moves a few pixels per frame at most.
 */
export function bestShift(ref: Uint8Array, cur: Uint8Array, width: number, height: number, box: Rect,
  opts: { around?: Shift; radius?: number; exclude?: Rect | null; step?: number } = {}): Shift {
  const around = opts.around ?? { dx: 0, dy: 0 }, r = opts.radius ?? 3;
  let best = { dx: around.dx, dy: around.dy }, bestCost = Infinity;
  for (let dy = around.dy - r; dy <= around.dy + r; dy++) {
    for (let dx = around.dx - r; dx <= around.dx + r; dx++) {
      const cost = shiftedLumDiff(ref, cur, width, height, box, { dx, dy }, opts.exclude ?? null, opts.step ?? 2);
      // Ties go to the smaller motion so a flat region reads as still.
      if (cost < bestCost - 1e-9 || (Math.abs(cost - bestCost) <= 1e-9 && Math.hypot(dx, dy) < Math.hypot(best.dx, best.dy))) {
        bestCost = cost; best = { dx, dy };
      }
    }
  }
  return best;
}

/** Median of `lum` inside `box` (the face's typical skin level, for darkness thresholds). */
export function medianIn(lum: Uint8Array, width: number, height: number, box: Rect): number {
  const { x0, y0, x1, y1 } = pixelBounds(box, width, height);
  const hist = new Uint32Array(256);
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) { hist[lum[y * width + x]]++; n++; }
  let acc = 0;
  for (let v = 0; v < 256; v++) { acc += hist[v]; if (acc * 2 >= n && n > 0) return v; }
  return 0;
}

/**
 * Vertical extent of dark pixels (below `threshold`) in the mouth box moved by `shift`: the
 * median over the box's central half of columns of each column's dark-pixel count. An open mouth
 * shows a dark cavity; the median ignores a stray dark nostril or moustache column.
 */
export function darkAperture(lum: Uint8Array, width: number, height: number, box: Rect, threshold: number, shift: Shift = { dx: 0, dy: 0 }): number {
  const moved = { x: box.x + shift.dx, y: box.y + shift.dy, width: box.width, height: box.height };
  const { x0, y0, x1, y1 } = pixelBounds(moved, width, height);
  const quarter = Math.floor((x1 - x0) / 4);
  const counts: number[] = [];
  for (let x = x0 + quarter; x < x1 - quarter; x++) {
    let c = 0;
    for (let y = y0; y < y1; y++) if (lum[y * width + x] < threshold) c++;
    counts.push(c);
  }
  return median(counts);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
