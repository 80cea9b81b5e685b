// Small 2-D helpers shared by the analysis and rendering stages.
import type { Point, Rect } from './types.js';

export const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

export const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;

/** Hermite smoothstep: 0 below e0, 1 above e1, C1-continuous between. */
export function smoothstep(e0: number, e1: number, x: number): number {
  const t = clamp((x - e0) / (e1 - e0), 0, 1);
  return t * t * (3 - 2 * t);
}

export const sub = (a: Point, b: Point): Point => ({ x: a.x - b.x, y: a.y - b.y });
export const add = (a: Point, b: Point): Point => ({ x: a.x + b.x, y: a.y + b.y });
export const scale = (a: Point, k: number): Point => ({ x: a.x * k, y: a.y * k });
export const dot = (a: Point, b: Point): number => a.x * b.x + a.y * b.y;
export const length = (a: Point): number => Math.hypot(a.x, a.y);
export const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

export function normalize(a: Point): Point {
  const l = length(a);
  return l > 0 ? { x: a.x / l, y: a.y / l } : { x: 1, y: 0 };
}

/** The axis rotated a quarter turn clockwise on screen (y grows downwards): "down" for a level axis. */
export const normalOf = (axis: Point): Point => ({ x: -axis.y, y: axis.x });

/** Whether (x, y) lies in r, its left and top edges in, its right and bottom ones out. */
export const inRect = (r: Rect, x: number, y: number): boolean => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;

/** Integer rectangle covering `r`, clipped to a width x height canvas. */
export function clipRect(r: Rect, width: number, height: number): Rect {
  const x0 = clamp(Math.floor(r.x), 0, width);
  const y0 = clamp(Math.floor(r.y), 0, height);
  const x1 = clamp(Math.ceil(r.x + r.width), 0, width);
  const y1 = clamp(Math.ceil(r.y + r.height), 0, height);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

export function intersectRects(a: Rect, b: Rect): Rect | null {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

/**
 * Piecewise-linear interpolation of (xs, ys) at x, xs ascending; clamps outside the range.
 */
export function interp1(xs: ArrayLike<number>, ys: ArrayLike<number>, x: number): number {
  const n = xs.length;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[n - 1]) return ys[n - 1];
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const m = (lo + hi) >> 1;
    if (xs[m] <= x) lo = m; else hi = m;
  }
  const t = (x - xs[lo]) / (xs[hi] - xs[lo] || 1);
  return ys[lo] + (ys[hi] - ys[lo]) * t;
}

/** Deterministic PRNG (mulberry32), so a render is reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
