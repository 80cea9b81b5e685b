// A padded frame's margins, first step: the picture's edges read as backdrop or person (by the
// person mask, or by colour where there is none), the person's positions given the backdrop beside
// them, and a border line left by a resizer or scanner replaced. Pure.
import type { Rect, RgbImage } from '../core/types.js';
import { MARGIN, type PersonAt, type Side } from './margin-config.js';

/** Colour distance with chroma weighted up (BT.601 weights; only relative sizes matter). */
export const distance = (r: number, g: number, b: number, c: readonly number[]): number => {
  const dr = r - c[0], dg = g - c[1], db = b - c[2];
  const dy = 0.299 * dr + 0.587 * dg + 0.114 * db;
  return Math.hypot(dy, MARGIN.chromaWeight * 0.564 * (db - dy), MARGIN.chromaWeight * 0.713 * (dr - dy));
};

/** The median (upper of the middle two) of `v` (colours: no NaN or -0, so a typed array's numeric sort orders them as a comparator would). */
const median = (v: number[]): number => v.length ? Float64Array.from(v).sort()[v.length >> 1] : 0;

/**
 * Whether the sums of up to `terms` values of `c` (taken in any order, some subtracted) are all
 * exact in double precision: every value a float32 (24 significant bits) no smaller than
 * `smallest` unless 0, so each one, and any sum of them, is a whole multiple of
 * smallest * 2^-24, and the sums stay below 2^53 of those.
 */
function sumsExact(c: Float32Array, terms: number): boolean {
  let largest = 0, smallest = Infinity;
  for (let i = 0; i < c.length; i++) {
    const v = Math.abs(c[i]);
    if (!(v < Infinity)) return false;
    if (v > largest) largest = v;
    if (v > 0 && v < smallest) smallest = v;
  }
  return largest === 0 || terms * largest < 2 ** 29 * smallest;
}

/**
 * Box blur of a series of RGB triples along its length, edges held; three passes approach a
 * Gaussian. Each mean is the sum of its 2r + 1 values in order along the series; where all those
 * sums are exact (sumsExact: colours never come near its limit) a running sum gives the same
 * values in O(n) instead of O(n r) (a wide smoothing runs r = 80).
 */
export function smoothAlong(c: Float32Array, n: number, radius: number): void {
  const r = Math.max(0, Math.round(radius));
  if (r === 0) return;
  const tmp = new Float32Array(c.length), width = 2 * r + 1, last = 3 * (n - 1);
  for (let pass = 0; pass < 3; pass++) {
    const running = sumsExact(c, width + 1);
    for (let ch = 0; ch < 3; ch++) {
      let sum = 0;
      if (running) for (let d = -r; d <= r; d++) sum += c[Math.min(last, 3 * Math.max(0, d)) + ch];
      for (let t = 0; t < n; t++) {
        if (running) {
          if (t > 0) sum += c[Math.min(last, 3 * (t + r)) + ch] - c[3 * Math.max(0, t - r - 1) + ch];
        } else {
          sum = 0;
          for (let d = t - r; d <= t + r; d++) sum += c[Math.min(last, 3 * Math.max(0, d)) + ch];
        }
        tmp[3 * t + ch] = sum / width;
      }
    }
    c.set(tmp);
  }
}

/** One edge of the placed picture read inwards: per position along it, the strip's mean and each of its pixels. */
interface EdgeStrip {
  readonly n: number;
  readonly depth: number;
  /** RGB mean of the strip at each position. */
  readonly edge: Float32Array;
  /** RGB of each strip pixel, position-major. */
  readonly pixels: Float32Array;
  /** Frame pixel `d` pixels in from the edge at position `t`: (x0 + t * xT + d * xD, y0 + t * yT + d * yD). */
  readonly x0: number; readonly xT: number; readonly xD: number;
  readonly y0: number; readonly yT: number; readonly yD: number;
}

function readStrip(img: RgbImage, inner: Rect, side: Side): EdgeStrip {
  const vertical = side === 'left' || side === 'right';
  const n = vertical ? inner.height : inner.width;
  const depth = Math.max(1, Math.min(MARGIN.strip, vertical ? inner.width : inner.height));
  const x0 = side === 'right' ? inner.x + inner.width - 1 : inner.x, y0 = side === 'bottom' ? inner.y + inner.height - 1 : inner.y;
  const xT = vertical ? 0 : 1, xD = side === 'left' ? 1 : side === 'right' ? -1 : 0;
  const yT = vertical ? 1 : 0, yD = side === 'top' ? 1 : side === 'bottom' ? -1 : 0;
  const edge = new Float32Array(3 * n);
  // Each strip pixel too, so a position is judged by its least backdrop-like pixel: where a
  // shoulder just reaches the edge, the strip's mean is still mostly wall.
  const pixels = new Float32Array(3 * n * depth);
  for (let t = 0; t < n; t++) {
    let r = 0, g = 0, b = 0;
    for (let d = 0; d < depth; d++) {
      const i = ((y0 + t * yT + d * yD) * img.width + x0 + t * xT + d * xD) * 3, j = 3 * (t * depth + d);
      r += img.data[i]; g += img.data[i + 1]; b += img.data[i + 2];
      pixels[j] = img.data[i]; pixels[j + 1] = img.data[i + 1]; pixels[j + 2] = img.data[i + 2];
    }
    edge[3 * t] = r / depth; edge[3 * t + 1] = g / depth; edge[3 * t + 2] = b / depth;
  }
  return { n, depth, edge, pixels, x0, xT, xD, y0, yT, yD };
}

/** With a person mask, the positions where none of the strip is the person (1), else 0. */
function unmaskedPositions(strip: EdgeStrip, person: PersonAt): Uint8Array {
  const { n, depth, x0, xT, xD, y0, yT, yD } = strip;
  const masked = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    let most = 0;
    for (let d = 0; d < depth; d++) most = Math.max(most, person(x0 + t * xT + d * xD, y0 + t * yT + d * yD));
    masked[t] = most < MARGIN.personLevel ? 1 : 0;
  }
  return masked;
}

/** The backdrop as a reference: where it is read, its colour, how far a position may stray from it, and whether it is plain. */
interface Backdrop { readonly refIdx: number[]; readonly fromMask: boolean; readonly colour: number[]; readonly tol: number; readonly plain: boolean }

function readBackdrop({ n, edge }: EdgeStrip, side: Side, masked: Uint8Array | null): Backdrop {
  // Where the backdrop is read: the top of a side, both ends of the bottom, all of the top; or,
  // with a mask, wherever it shows.
  const span = Math.max(1, Math.round(MARGIN.referenceSpan * n));
  const ref = (t: number): boolean => side === 'bottom' ? t < span / 2 || t >= n - span / 2 : side === 'top' || t < span;
  const maskedIdx = masked ? Array.from({ length: n }, (_, t) => t).filter((t) => masked[t]) : [];
  const fromMask = masked !== null && maskedIdx.length >= MARGIN.minRun * n;
  const refIdx = fromMask ? maskedIdx : Array.from({ length: n }, (_, t) => t).filter(ref);
  const colour = [0, 1, 2].map((ch) => median(refIdx.map((t) => edge[3 * t + ch])));
  const trend = Float32Array.from(edge);
  smoothAlong(trend, n, MARGIN.detailSpan * n);
  const spread = refIdx.reduce((sum, t) => sum + distance(edge[3 * t], edge[3 * t + 1], edge[3 * t + 2], [trend[3 * t], trend[3 * t + 1], trend[3 * t + 2]]), 0) / Math.max(1, refIdx.length);
  const luma = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2];
  const scale = Math.min(1, Math.max(MARGIN.toleranceMinScale, luma / MARGIN.toleranceLuma));
  return { refIdx, fromMask, colour, tol: MARGIN.tolerance * scale + MARGIN.toleranceSpread * spread, plain: spread < MARGIN.plainSpread };
}

/**
 * Background positions by colour: they follow the backdrop's drift (a wall darker towards the
 * floor), each judged against the running colour of the background found so far, from the
 * reference outwards.
 */
function backgroundByColour({ n, depth, edge, pixels }: EdgeStrip, side: Side, bd: Backdrop): Uint8Array {
  const background = new Uint8Array(n);
  const walk = (order: number[]) => {
    const cur = [...bd.colour];
    for (const t of order) {
      const d = distance(edge[3 * t], edge[3 * t + 1], edge[3 * t + 2], cur);
      let worst = d;
      // On a textured backdrop single pixels stray anyway: there the mean decides.
      if (bd.plain) for (let k = 0; k < depth; k++) {
        const j = 3 * (t * depth + k);
        worst = Math.max(worst, distance(pixels[j], pixels[j + 1], pixels[j + 2], cur));
      }
      if (worst <= bd.tol + MARGIN.pixelNoise) {
        background[t] = 1;
        // On a plain backdrop only what is clearly backdrop moves the colour followed: the blend
        // of backdrop and shoulder where they meet must not lead it, step by step, onto the
        // shoulder. A textured one (a landscape) changes as it goes and is followed throughout.
        if (!bd.plain || d <= bd.tol / 2) for (let ch = 0; ch < 3; ch++) cur[ch] += MARGIN.follow * (edge[3 * t + ch] - cur[ch]);
      }
    }
  };
  const all = Array.from({ length: n }, (_, t) => t);
  if (side === 'bottom') {
    // From each end inwards: the person sits in the middle.
    const mid = n >> 1;
    walk(all.slice(0, mid));
    walk(all.slice(mid).reverse());
  } else {
    walk(all);
  }
  return background;
}

/**
 * Background positions by the mask. Its edge is soft and a little coarse: a position it calls
 * backdrop whose colour stands out from the backdrop around it (an ear's tip, a strand of hair)
 * is the person's too.
 */
function backgroundByMask({ n, edge }: EdgeStrip, masked: Uint8Array, bd: Backdrop): Uint8Array {
  const background = new Uint8Array(n);
  const reach = Math.max(3, Math.round(MARGIN.detailSpan * n));
  const around = [0, 0, 0];
  // The masked positions within reach, each channel's values kept sorted as the window slides.
  const windows = [0, 1, 2].map(() => new SortedWindow(2 * reach + 1));
  const enter = (d: number, into: boolean) => {
    if (d < 0 || d >= n || !masked[d]) return;
    for (let ch = 0; ch < 3; ch++) {
      if (into) windows[ch].insert(edge[3 * d + ch]);
      else windows[ch].remove(edge[3 * d + ch]);
    }
  };
  for (let d = 0; d < reach; d++) enter(d, true);
  for (let t = 0; t < n; t++) {
    enter(t - reach - 1, false);
    enter(t + reach, true);
    if (!masked[t]) continue;
    for (let ch = 0; ch < 3; ch++) around[ch] = windows[ch].median();
    background[t] = distance(edge[3 * t], edge[3 * t + 1], edge[3 * t + 2], around) <= bd.tol + MARGIN.pixelNoise ? 1 : 0;
  }
  return background;
}

/** A multiset of numbers kept sorted, for medians over a sliding window. */
class SortedWindow {
  private readonly v: Float64Array;
  private count = 0;
  constructor(capacity: number) { this.v = new Float64Array(capacity); }
  insert(x: number): void {
    let i = this.count++;
    for (; i > 0 && this.v[i - 1] > x; i--) this.v[i] = this.v[i - 1];
    this.v[i] = x;
  }
  remove(x: number): void {
    const i = this.v.subarray(0, this.count).indexOf(x);
    this.v.copyWithin(i, i + 1, this.count--);
  }
  /** As `median` above: the upper of the middle two. */
  median(): number { return this.count ? this.v[this.count >> 1] : 0; }
}

/** Takes from the background what is really the person's: short runs between the person's positions, and where the two meet. */
function trimBackground(background: Uint8Array): void {
  const n = background.length;
  // Short runs of background between the person's positions are the person (a gap in the hair).
  const minRun = Math.max(2, Math.round(MARGIN.minRun * n));
  for (let t = 0; t < n;) {
    if (!background[t]) { t++; continue; }
    let end = t;
    while (end < n && background[end]) end++;
    if (end - t < minRun && t > 0 && end < n) background.fill(0, t, end);
    t = end;
  }
  // Where backdrop and person meet the strip mixes both (hair's loose ends, a soft shoulder):
  // those positions are the person's too, so the colour carried over them is clean backdrop.
  const blend = Math.max(2, Math.round(MARGIN.blendRows * n));
  const personRow = Uint8Array.from(background, (b) => 1 - b);
  for (let t = 0; t < n; t++) {
    if (!personRow[t]) continue;
    for (let d = Math.max(0, t - blend); d <= Math.min(n - 1, t + blend); d++) background[d] = 0;
  }
}

/** Positions the person touches take the nearest background before and after them, blended. */
function carryBackdrop(edge: Float32Array, background: Uint8Array): Float32Array {
  const n = background.length;
  const colour = new Float32Array(3 * n);
  let prev = -1;
  for (let t = 0; t < n; t++) {
    if (background[t]) { colour.set(edge.subarray(3 * t, 3 * t + 3), 3 * t); prev = t; continue; }
    let next = t + 1;
    while (next < n && !background[next]) next++;
    for (let ch = 0; ch < 3; ch++) {
      const a = prev >= 0 ? edge[3 * prev + ch] : edge[3 * next + ch];
      const b = next < n ? edge[3 * next + ch] : a;
      const w = prev >= 0 && next < n ? (t - prev) / (next - prev) : 0;
      colour[3 * t + ch] = a + (b - a) * w;
    }
  }
  return colour;
}

/**
 * The background colour along one edge of the picture (`inner` in frame pixels), one RGB triple
 * per position along it, and whether that backdrop is plain.
 */
export function edgeBackground(img: RgbImage, inner: Rect, side: Side, person?: PersonAt): { colour: Float32Array; background: Uint8Array; plain: boolean; tol: number } {
  const strip = readStrip(img, inner, side);
  const masked = person ? unmaskedPositions(strip, person) : null;
  const bd = readBackdrop(strip, side, masked);
  const background = bd.fromMask ? backgroundByMask(strip, masked!, bd) : backgroundByColour(strip, side, bd);
  trimBackground(background);
  if (!background.includes(1)) {
    const colour = new Float32Array(3 * strip.n);
    for (let t = 0; t < strip.n; t++) colour.set(bd.colour, 3 * t);
    return { colour, background, plain: true, tol: bd.tol };
  }
  return { colour: carryBackdrop(strip.edge, background), background, plain: bd.plain, tol: bd.tol };
}

/** The frame pixels of the picture's `k`-th line in from its `side` edge, as pixel indices. */
function lineIn(img: RgbImage, inner: Rect, side: Side, k: number): number[] {
  const vertical = side === 'left' || side === 'right';
  const n = vertical ? inner.height : inner.width;
  const at = (t: number): number => {
    const x = side === 'left' ? inner.x + k : side === 'right' ? inner.x + inner.width - 1 - k : inner.x + t;
    const y = side === 'top' ? inner.y + k : side === 'bottom' ? inner.y + inner.height - 1 - k : inner.y + t;
    return y * img.width + x;
  };
  return Array.from({ length: n }, (_, t) => at(t));
}

/**
 * Replaces a picture's outermost line on `side` by the next one in where it stands out as a
 * border (MARGIN.edgeLineStep). A resizer that scaled the picture with its border blurs the
 * border into the next line too, overshooting the other way (a light border leaves a dark line
 * beside it: Lanczos' negative lobe): where that line is off the lines inside it by more than
 * they differ from each other (MARGIN.edgeRingStep), both lines take the one inside them, or
 * the repaired edge would still show as a line of two pixels beside the margin.
 */
export function repairEdgeLineInPlace(img: RgbImage, inner: Rect, side: Side): void {
  if (Math.min(inner.width, inner.height) < 3) return;
  const deep = Math.min(inner.width, inner.height) >= 4;
  const [l0, l1, l2, l3] = [0, 1, 2, deep ? 3 : 2].map((k) => lineIn(img, inner, side, k));
  const d = img.data;
  const luma = (i: number) => 0.299 * d[3 * i] + 0.587 * d[3 * i + 1] + 0.114 * d[3 * i + 2];
  const step = (a: number[], b: number[]) => a.reduce((sum, i, t) => sum + Math.abs(luma(i) - luma(b[t])), 0) / a.length;
  const offset = (a: number[], b: number[]) => a.reduce((sum, i, t) => sum + luma(i) - luma(b[t]), 0) / a.length;
  const outer = step(l0, l1);
  if (outer <= MARGIN.edgeLineStep) return;
  const ring = deep ? Math.abs(offset(l1, l2)) : 0, inside = step(l2, l3);
  if (deep && ring > Math.max(MARGIN.edgeRingStep, 2 * inside) && inside <= outer / 2) {
    for (const line of [l0, l1]) line.forEach((i, t) => d.copyWithin(3 * i, 3 * l2[t], 3 * l2[t] + 3));
    return;
  }
  if (step(l1, l2) > outer / 2) return;
  l0.forEach((i, t) => d.copyWithin(3 * i, 3 * l1[t], 3 * l1[t] + 3));
}

