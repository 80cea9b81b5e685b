// A square, possibly rotated, window onto an image, resampled to a fixed size: how the face
// fallback shows the face model a head it proposed (a cat-face box, the top of an animal's body
// box) upright and filling the model's input. Pure; points map back with `toSource`.
import type { Point, RgbImage } from '../../core/types.js';

export interface ViewSpec {
  /** Window centre, source pixels. */
  readonly center: Point;
  /** Window side, source pixels. */
  readonly side: number;
  /**
   * Rotation in degrees, clockwise positive: the view shows the source turned by this much, so
   * a head tilted anticlockwise by `a` appears upright at `angle = a`.
   */
  readonly angle: number;
  /** Output side in pixels. */
  readonly size: number;
}

/** View pixel -> source pixel. */
export function viewToSource(spec: ViewSpec, p: Point): Point {
  const k = spec.side / spec.size;
  const u = (p.x - spec.size / 2) * k, v = (p.y - spec.size / 2) * k;
  const a = (spec.angle * Math.PI) / 180, c = Math.cos(a), s = Math.sin(a);
  // The view is the source rotated clockwise by `angle`, so going back rotates anticlockwise.
  return { x: spec.center.x + c * u + s * v, y: spec.center.y - s * u + c * v };
}

/** Source pixel -> view pixel (the inverse of viewToSource). */
export function sourceToView(spec: ViewSpec, p: Point): Point {
  const k = spec.size / spec.side;
  const dx = p.x - spec.center.x, dy = p.y - spec.center.y;
  const a = (spec.angle * Math.PI) / 180, c = Math.cos(a), s = Math.sin(a);
  return { x: spec.size / 2 + (c * dx - s * dy) * k, y: spec.size / 2 + (s * dx + c * dy) * k };
}

/**
 * Resamples the window (bilinear; a box pre-blur is not needed because the detector itself
 * reads 128-256 px inputs and views are made at about that size). Outside the image: grey,
 * the same fill the detector's own square padding uses.
 */
export function sampleView(image: RgbImage, spec: ViewSpec): RgbImage {
  const { width: w, height: h, data: src } = image;
  const n = spec.size;
  const out = new Uint8Array(n * n * 3);
  const k = spec.side / n;
  const a = (spec.angle * Math.PI) / 180, c = Math.cos(a), s = Math.sin(a);
  for (let y = 0; y < n; y++) {
    const v = (y + 0.5 - n / 2) * k;
    for (let x = 0; x < n; x++) {
      const u = (x + 0.5 - n / 2) * k;
      const sx = spec.center.x + c * u + s * v - 0.5, sy = spec.center.y - s * u + c * v - 0.5;
      const o = (y * n + x) * 3;
      if (sx < -0.5 || sy < -0.5 || sx > w - 0.5 || sy > h - 0.5) { out[o] = out[o + 1] = out[o + 2] = 128; continue; }
      const x0 = Math.max(0, Math.min(w - 1, Math.floor(sx))), y0 = Math.max(0, Math.min(h - 1, Math.floor(sy)));
      const x1 = Math.min(w - 1, x0 + 1), y1 = Math.min(h - 1, y0 + 1);
      const fx = Math.max(0, Math.min(1, sx - x0)), fy = Math.max(0, Math.min(1, sy - y0));
      for (let ch = 0; ch < 3; ch++) {
        const p00 = src[(y0 * w + x0) * 3 + ch], p10 = src[(y0 * w + x1) * 3 + ch];
        const p01 = src[(y1 * w + x0) * 3 + ch], p11 = src[(y1 * w + x1) * 3 + ch];
        out[o + ch] = Math.round((p00 * (1 - fx) + p10 * fx) * (1 - fy) + (p01 * (1 - fx) + p11 * fx) * fy);
      }
    }
  }
  return { data: out, width: n, height: n };
}

/**
 * Head windows to show the face model for a body box (an animal's or a person's, from the object
 * detector): the head is at the top of the box and about half to four fifths of its width.
 */
export function headViews(box: { x: number; y: number; width: number; height: number }, size: number): ViewSpec[] {
  return [0.5, 0.8].map((k) => {
    const side = Math.min(k * box.width, box.height);
    return { center: { x: box.x + box.width / 2, y: box.y + 0.55 * side }, side, angle: 0, size };
  });
}

/** Maps view-space mesh points back to source pixels, in a new array. */
export function pointsToSource(spec: ViewSpec, points: Float32Array): Float32Array {
  const out = new Float32Array(points.length);
  for (let i = 0; i < points.length; i += 2) {
    const q = viewToSource(spec, { x: points[i], y: points[i + 1] });
    out[i] = q.x; out[i + 1] = q.y;
  }
  return out;
}
