// The margin of a padded frame (adaptive framing of a picture too narrow or too short for 16:9)
// continues the picture's background, never the person. Along each edge of the picture the
// outermost strip of pixels is read; positions whose colour belongs to the background (close to
// the colour of the edge's part the person rarely reaches: the upper part of a side, the ends of
// the bottom) are kept, and positions the person touches (shoulders, an arm, hair at the edge)
// take the background of their nearest kept neighbours instead. On a plain backdrop the margin is
// that colour carried outwards, smoothed along the edge only a little (a studio wall keeps its
// exact tone and gradient). A textured one (foliage, a flag, a painted canvas) is continued as
// its mirror image without the person, blurred more the further out and fading towards its own
// smoothed colour, as broadcasters fill a landscape frame around portrait footage: one colour per
// row carried outwards would draw each row's edge as a long horizontal streak. Where a person
// mask is given (a segmentation model's), it decides which positions and pixels are the person
// instead of the colours: a busy backdrop strays from its own colour as much as a shoulder does.
// Pure: RGB in, RGB changed in place.
import type { Rect, RgbImage } from '../core/types.js';

export const MARGIN = Object.freeze({
  /** Width of the edge strip read, px of the frame. */
  strip: 6,
  /**
   * A position is background while its colour is within this of the background's (distance in
   * Y, Cb, Cr with chroma counted chromaWeight times: a dark suit against a dark blue wall
   * differs in hue more than in brightness), ...
   */
  tolerance: 22,
  chromaWeight: 2,
  /** Extra tolerance for single pixels of the strip (grain, JPEG noise), levels. */
  pixelNoise: 8,
  /** ... plus this many times the backdrop's own spread along the edge. */
  toleranceSpread: 2.5,
  /** Runs of background shorter than this share of the edge, with the person on both sides, are the person's (hair strands, shadow). */
  minRun: 0.04,
  /** Positions this close (share of the edge) to the person's are taken as theirs: the strip blends both there. */
  blendRows: 0.008,
  /** How fast the background colour followed along the edge adapts (share per pixel). */
  follow: 0.1,
  /** Share of a side's length, from its top, where the backdrop is read (people reach the sides lower down). */
  referenceSpan: 0.4,
  /**
   * A backdrop whose edge colour strays less than this (mean distance, levels) from its own
   * trend (the colour smoothed over detailSpan of the edge's length) is plain.
   */
  plainSpread: 3,
  detailSpan: 0.05,
  /** On a dark backdrop small differences tell more: the tolerance shrinks with its luma below this, down to minScale. */
  toleranceLuma: 160,
  toleranceMinScale: 0.35,
  /**
   * Smoothing along the edge, as a share of the frame's short side: at the picture's edge, and
   * from farOut (share of the short side) away from it on, where a textured backdrop is only its
   * colours: the continuation blurs as it leaves the picture.
   */
  smoothNear: 0.006,
  smoothFar: 0.11,
  farOut: 0.2,
  /** With a person mask: a strip pixel at least this much the person makes its position the person's. */
  personLevel: 0.1,
  /**
   * A picture's outermost line (a column or row left by a resizer or a scanner: a light or dark
   * border one pixel wide) that differs from the next line in by more than this mean luma, while
   * that line and the one after it agree within half of it, is replaced by the next line, so a
   * padded frame shows no seam of it beside its margin.
   */
  edgeLineStep: 16,
  /**
   * A textured backdrop (foliage, a flag, a painted canvas) is continued as its mirror image,
   * blurred more the further it is from the picture, fading towards its own smoothed colour: the
   * way broadcasters fill a 16:9 frame around portrait footage. Carrying each row's edge colour
   * outwards instead draws long horizontal streaks. The mirrored band is this deep (share of the
   * frame's short side) with a person mask, which keeps the person out of it pixel by pixel ...
   */
  mirrorDepth: 0.3,
  /**
   * ... and this deep without one, where the positions along the edge and the colours tell the
   * person's: a band pixel counts as backdrop as far as its colour is within the edge's tolerance
   * of the backdrop carried along the edge (fully within half of it).
   */
  mirrorDepthByColour: 0.1,
  /** Blur radius at the picture's edge (share of the short side) and its growth per pixel out. */
  blurNear: 0.004,
  blurGrowth: 0.4,
  /** A mirrored pixel is backdrop in full below this much person, and not at all from personFull on. */
  personFull: 0.5,
  /** The mask is read this far around each pixel (share of the short side), the most person found counting: its edge is soft and loose hair strays past it. */
  personReach: 0.015,
  /** A mask that calls less than this share of the picture the person has missed the subject (an animal, a drawing): the band is then as deep as without one. */
  personMinShare: 0.05,
  /** Boxes up to this many times (2^levels) larger fill in where the person left too little backdrop; past them the colour carried along the edge does. */
  fillLevels: 2,
  /** The continuation fades towards the backdrop's smoothed colour: up to this share, reached fadeOut (share of the short side) from the picture. */
  fadeMax: 0.45,
  fadeOut: 0.45,
});

type Side = 'left' | 'right' | 'top' | 'bottom';

/** How much frame pixel (x, y), inside the placed picture, is the person: 0 .. 1 (a segmentation mask). */
export type PersonAt = (x: number, y: number) => number;

/** Colour distance with chroma weighted up (BT.601 weights; only relative sizes matter). */
const distance = (r: number, g: number, b: number, c: readonly number[]): number => {
  const dr = r - c[0], dg = g - c[1], db = b - c[2];
  const dy = 0.299 * dr + 0.587 * dg + 0.114 * db;
  return Math.hypot(dy, MARGIN.chromaWeight * 0.564 * (db - dy), MARGIN.chromaWeight * 0.713 * (dr - dy));
};

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : 0;
};

/** Box blur of a series of RGB triples along its length, edges held; three passes approach a Gaussian. */
function smoothAlong(c: Float32Array, n: number, radius: number): void {
  const r = Math.max(0, Math.round(radius));
  if (r === 0) return;
  const tmp = new Float32Array(c.length);
  for (let pass = 0; pass < 3; pass++) {
    for (let ch = 0; ch < 3; ch++) {
      for (let t = 0; t < n; t++) {
        let sum = 0;
        for (let d = -r; d <= r; d++) sum += c[3 * Math.min(n - 1, Math.max(0, t + d)) + ch];
        tmp[3 * t + ch] = sum / (2 * r + 1);
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
  /** Frame pixel `d` pixels in from the edge at position `t`. */
  at(t: number, d: number): [number, number];
}

function readStrip(img: RgbImage, inner: Rect, side: Side): EdgeStrip {
  const vertical = side === 'left' || side === 'right';
  const n = vertical ? inner.height : inner.width;
  const depth = Math.max(1, Math.min(MARGIN.strip, vertical ? inner.width : inner.height));
  const at = (t: number, d: number): [number, number] => [
    side === 'left' ? inner.x + d : side === 'right' ? inner.x + inner.width - 1 - d : inner.x + t,
    side === 'top' ? inner.y + d : side === 'bottom' ? inner.y + inner.height - 1 - d : inner.y + t,
  ];
  const edge = new Float32Array(3 * n);
  // Each strip pixel too, so a position is judged by its least backdrop-like pixel: where a
  // shoulder just reaches the edge, the strip's mean is still mostly wall.
  const pixels = new Float32Array(3 * n * depth);
  for (let t = 0; t < n; t++) {
    let r = 0, g = 0, b = 0;
    for (let d = 0; d < depth; d++) {
      const [x, y] = at(t, d);
      const i = (y * img.width + x) * 3;
      r += img.data[i]; g += img.data[i + 1]; b += img.data[i + 2];
      pixels.set(img.data.subarray(i, i + 3), 3 * (t * depth + d));
    }
    edge[3 * t] = r / depth; edge[3 * t + 1] = g / depth; edge[3 * t + 2] = b / depth;
  }
  return { n, depth, edge, pixels, at };
}

/** With a person mask, the positions where none of the strip is the person (1), else 0. */
function unmaskedPositions(strip: EdgeStrip, person: PersonAt): Uint8Array {
  const masked = new Uint8Array(strip.n);
  for (let t = 0; t < strip.n; t++) {
    let most = 0;
    for (let d = 0; d < strip.depth; d++) most = Math.max(most, person(...strip.at(t, d)));
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
  for (let t = 0; t < n; t++) {
    if (!masked[t]) continue;
    const near: number[][] = [[], [], []];
    for (let d = Math.max(0, t - reach); d <= Math.min(n - 1, t + reach); d++) if (masked[d]) for (let ch = 0; ch < 3; ch++) near[ch].push(edge[3 * d + ch]);
    background[t] = distance(edge[3 * t], edge[3 * t + 1], edge[3 * t + 2], near.map(median)) <= bd.tol + MARGIN.pixelNoise ? 1 : 0;
  }
  return background;
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

/** Replaces a picture's outermost line on `side` by the next one in where it stands out as a border (MARGIN.edgeLineStep). */
function repairEdgeLineInPlace(img: RgbImage, inner: Rect, side: Side): void {
  if (Math.min(inner.width, inner.height) < 3) return;
  const [l0, l1, l2] = [0, 1, 2].map((k) => lineIn(img, inner, side, k));
  const d = img.data;
  const luma = (i: number) => 0.299 * d[3 * i] + 0.587 * d[3 * i + 1] + 0.114 * d[3 * i + 2];
  const step = (a: number[], b: number[]) => a.reduce((sum, i, t) => sum + Math.abs(luma(i) - luma(b[t])), 0) / a.length;
  const outer = step(l0, l1);
  if (outer <= MARGIN.edgeLineStep || step(l1, l2) > outer / 2) return;
  l0.forEach((i, t) => d.copyWithin(3 * i, 3 * l1[t], 3 * l1[t] + 3));
}

/** A side's margin and the picture band beside it, in coordinates along the side (t) and out from it (d, k). */
interface SideFrame {
  /** Positions along the side over the whole frame, and the margin's depth. */
  readonly n: number;
  readonly depth: number;
  /** Where the picture starts along the side, and its length there. */
  readonly start: number;
  readonly length: number;
  /** The picture's size across the side (how deep a band it has). */
  readonly across: number;
  /** Frame pixel index of the margin pixel `d` out from the picture at position `t`. */
  margin(t: number, d: number): number;
  /** Frame pixel index of the picture pixel `k` in from its edge at position `t` along the picture (0 .. length-1). */
  band(t: number, k: number): number;
}

function sideFrame(img: RgbImage, inner: Rect, side: Side): SideFrame {
  const { width, height } = img;
  const x1 = inner.x + inner.width, y1 = inner.y + inner.height;
  switch (side) {
    case 'left': return { n: height, depth: inner.x, start: inner.y, length: inner.height, across: inner.width,
      margin: (t, d) => t * width + inner.x - 1 - d, band: (t, k) => (inner.y + t) * width + inner.x + k };
    case 'right': return { n: height, depth: width - x1, start: inner.y, length: inner.height, across: inner.width,
      margin: (t, d) => t * width + x1 + d, band: (t, k) => (inner.y + t) * width + x1 - 1 - k };
    case 'top': return { n: width, depth: inner.y, start: inner.x, length: inner.width, across: inner.height,
      margin: (t, d) => (inner.y - 1 - d) * width + t, band: (t, k) => (inner.y + k) * width + inner.x + t };
    case 'bottom': return { n: width, depth: height - y1, start: inner.x, length: inner.width, across: inner.height,
      margin: (t, d) => (y1 + d) * width + t, band: (t, k) => (y1 - 1 - k) * width + inner.x + t };
  }
}

/** `v` reflected into 0 .. n-1 (..., 1, 0, 0, 1, ..., n-1, n-1, n-2, ...): a mirror image repeated without seams. */
const reflect = (v: number, n: number): number => {
  const p = ((v % (2 * n)) + 2 * n) % (2 * n);
  return p < n ? p : 2 * n - 1 - p;
};

/** Summed-area table of RGB weighted by w, and of w (4 values per cell), over an n x depth field. */
function summedArea(n: number, depth: number, value: (t: number, d: number, out: number[]) => number): Float64Array {
  const stride = depth + 1, sat = new Float64Array((n + 1) * stride * 4);
  const px = [0, 0, 0];
  for (let t = 0; t < n; t++) {
    const row = [0, 0, 0, 0];
    for (let d = 0; d < depth; d++) {
      const w = value(t, d, px);
      row[0] += w * px[0]; row[1] += w * px[1]; row[2] += w * px[2]; row[3] += w;
      const o = ((t + 1) * stride + d + 1) * 4, up = (t * stride + d + 1) * 4;
      for (let c = 0; c < 4; c++) sat[o + c] = sat[up + c] + row[c];
    }
  }
  return sat;
}

/** Sums of the box of positions t0..t1, d0..d1 (inclusive, clipped to the field) into out[0..3]. */
function boxSum(sat: Float64Array, n: number, depth: number, t: number, d: number, r: number, out: number[]): number {
  const t0 = Math.max(0, t - r), t1 = Math.min(n - 1, t + r), d0 = Math.max(0, d - r), d1 = Math.min(depth - 1, d + r);
  const stride = depth + 1;
  const a = (t0 * stride + d0) * 4, b = (t0 * stride + d1 + 1) * 4, c = ((t1 + 1) * stride + d0) * 4, e = ((t1 + 1) * stride + d1 + 1) * 4;
  for (let k = 0; k < 4; k++) out[k] = sat[e + k] - sat[b + k] - sat[c + k] + sat[a + k];
  return (t1 - t0 + 1) * (d1 - d0 + 1);
}

/**
 * One blur pass over a side's field (RGB per position, 3 * n * depth): each position takes the
 * weighted mean of the box of radius `radius(d)` around it. Where the box holds too little
 * backdrop (the person mirrored into it), boxes twice, four times ... as large fill in, each
 * mixed in as far as the finer one lacks weight (normalized convolution over a pyramid of
 * boxes); past MARGIN.fillLevels, `fallback` (a colour per position) is: much larger boxes would
 * draw the far backdrop in as rays fanning out from the picture.
 */
function blurPass(n: number, depth: number, sat: Float64Array, radius: (d: number) => number, fallback: (t: number, out: number[]) => void): Float32Array {
  const out = new Float32Array(3 * n * depth);
  const sums: number[][] = [], areas: number[] = [];
  const acc = [0, 0, 0];
  const whole = Math.max(n, depth);
  for (let t = 0; t < n; t++) {
    for (let d = 0; d < depth; d++) {
      // Finer boxes first, until one is nearly all backdrop (a coarser one would change it by under 1 %).
      let levels = 0;
      for (let r = Math.max(0, Math.round(radius(d))); ; r = 2 * r + 1) {
        const s = sums[levels] ??= [0, 0, 0, 0];
        const area = boxSum(sat, n, depth, t, d, r, s);
        areas[levels++] = area;
        if (s[3] >= 0.9 * area || r >= whole || levels > MARGIN.fillLevels) break;
      }
      if (sums[levels - 1][3] >= 0.9 * areas[levels - 1]) {
        const s = sums[levels - 1];
        for (let c = 0; c < 3; c++) acc[c] = s[c] / s[3];
      } else {
        fallback(t, acc);
      }
      for (let l = levels - 2; l >= 0; l--) {
        const s = sums[l], lambda = 0.01 * areas[l];
        for (let c = 0; c < 3; c++) acc[c] = (s[c] + lambda * acc[c]) / (s[3] + lambda);
      }
      out.set(acc, 3 * (t * depth + d));
    }
  }
  return out;
}

/** The share of the placed picture the mask calls the person (read on a coarse grid). */
function personShare(inner: Rect, person: PersonAt): number {
  let sum = 0, count = 0;
  const step = Math.max(1, Math.round(Math.min(inner.width, inner.height) / 64));
  for (let y = inner.y; y < inner.y + inner.height; y += step) for (let x = inner.x; x < inner.x + inner.width; x += step) { sum += person(x, y) >= MARGIN.personFull ? 1 : 0; count++; }
  return sum / Math.max(1, count);
}

/**
 * A textured backdrop continued into one side's margin: the picture's band beside it mirrored
 * outwards (the person's pixels left out: by the mask, and at the positions along the edge the
 * person touches), blurred more with the distance from the picture, and faded towards `far`
 * (the backdrop's colour along the edge, smoothed). RGB per margin pixel, 3 * n * depth, with
 * n positions along the whole frame's side (`SideFrame`).
 */
function continueTexture(img: RgbImage, inner: Rect, side: Side, edge: { background: Uint8Array; colour: Float32Array; tol: number }, far: Float32Array, person?: PersonAt): Float32Array {
  const { background, colour: near, tol } = edge;
  const f = sideFrame(img, inner, side);
  const { n, depth, start, length } = f;
  const short = Math.min(img.width, img.height);
  const masked = person && personShare(inner, person) >= MARGIN.personMinShare;
  const band = Math.max(1, Math.min(f.across, Math.round((masked ? MARGIN.mirrorDepth : MARGIN.mirrorDepthByColour) * short)));
  const reach = Math.max(1, Math.round(MARGIN.personReach * short));
  const x1 = inner.x + inner.width - 1, y1 = inner.y + inner.height - 1;
  const personNear = (x: number, y: number): number => Math.max(person!(x, y),
    person!(Math.max(inner.x, x - reach), y), person!(Math.min(x1, x + reach), y), person!(x, Math.max(inner.y, y - reach)), person!(x, Math.min(y1, y + reach)));
  // The band's backdrop weight, once per band pixel.
  const weight = new Float32Array(length * band);
  for (let t = 0; t < length; t++) {
    // The positions along the edge given to the person are left out whole: with a mask these are
    // also where the backdrop beside its soft edge stands out in colour (an ear's tip, a strand).
    if (!background[t]) continue;
    for (let k = 0; k < band; k++) {
      const i = f.band(t, k);
      if (masked) {
        const p = personNear(i % img.width, Math.floor(i / img.width));
        weight[t * band + k] = Math.min(1, Math.max(0, (MARGIN.personFull - p) / (MARGIN.personFull - MARGIN.personLevel)));
      } else {
        const dc = distance(img.data[3 * i], img.data[3 * i + 1], img.data[3 * i + 2], [near[3 * t], near[3 * t + 1], near[3 * t + 2]]);
        weight[t * band + k] = Math.min(1, Math.max(0, 2 - (2 * dc) / tol));
      }
    }
  }
  const along = (t: number) => reflect(t - start, length);
  const sat1 = summedArea(n, depth, (t, d, px) => {
    const tt = along(t), k = reflect(d, band), i = 3 * f.band(tt, k);
    px[0] = img.data[i]; px[1] = img.data[i + 1]; px[2] = img.data[i + 2];
    return weight[tt * band + k];
  });
  const r0 = MARGIN.blurNear * short;
  // Two box passes of radius r / sqrt(2) each: about one box's spread of r, shaped like a tent, without a box's hard outline.
  const radius = (d: number) => (r0 + MARGIN.blurGrowth * d) * Math.SQRT1_2;
  const fallback = (arr: Float32Array) => (t: number, out: number[]) => {
    const k = 3 * Math.min(length - 1, Math.max(0, t - start));
    out[0] = arr[k]; out[1] = arr[k + 1]; out[2] = arr[k + 2];
  };
  const once = blurPass(n, depth, sat1, radius, fallback(near));
  const sat2 = summedArea(n, depth, (t, d, px) => {
    const j = 3 * (t * depth + d);
    px[0] = once[j]; px[1] = once[j + 1]; px[2] = once[j + 2];
    return 1;
  });
  const twice = blurPass(n, depth, sat2, radius, fallback(near));
  const fadeOut = Math.max(1, MARGIN.fadeOut * short), fc = [0, 0, 0];
  for (let t = 0; t < n; t++) {
    fallback(far)(t, fc);
    for (let d = 0; d < depth; d++) {
      const w = Math.min(1, d / fadeOut), s = MARGIN.fadeMax * w * w * (3 - 2 * w), j = 3 * (t * depth + d);
      for (let c = 0; c < 3; c++) twice[j + c] += (fc[c] - twice[j + c]) * s;
    }
  }
  return twice;
}

/**
 * Fills everything of `img` outside `inner` (where the picture was placed) with the picture's
 * background continued outwards. Corners take the nearer side's colour.
 */
export function fillMarginsInPlace(img: RgbImage, inner: Rect, person?: PersonAt): void {
  const { width, height, data } = img;
  const short = Math.min(width, height);
  const sides: Side[] = [];
  if (inner.x > 0) sides.push('left');
  if (inner.x + inner.width < width) sides.push('right');
  if (inner.y > 0) sides.push('top');
  if (inner.y + inner.height < height) sides.push('bottom');
  for (const side of sides) repairEdgeLineInPlace(img, inner, side);
  const near = new Map<Side, Float32Array>(), far = new Map<Side, Float32Array>(), textured = new Map<Side, Float32Array>();
  for (const side of sides) {
    const { colour, background, plain, tol } = edgeBackground(img, inner, side, person);
    const n = colour.length / 3;
    smoothAlong(colour, n, MARGIN.smoothNear * short);
    near.set(side, colour);
    // A plain backdrop keeps its tone and gradient all the way out.
    const wide = Float32Array.from(colour);
    if (!plain) smoothAlong(wide, n, MARGIN.smoothFar * short);
    far.set(side, wide);
    if (!plain && background.includes(1)) textured.set(side, continueTexture(img, inner, side, { background, colour, tol }, wide, person));
  }
  // The textured continuations read the picture only: computed before any margin pixel is written.
  const fills = near;
  const fade = Math.max(1, MARGIN.farOut * short);
  const at = (side: Side, t: number, dist: number, out: number[]): void => {
    const a = near.get(side)!, b = far.get(side)!;
    const k = 3 * Math.min(a.length / 3 - 1, Math.max(0, t));
    const w = Math.min(1, dist / fade), s = w * w * (3 - 2 * w);
    for (let ch = 0; ch < 3; ch++) out[ch] = a[k + ch] + (b[k + ch] - a[k + ch]) * s;
  };
  const px = [0, 0, 0];
  const x1 = inner.x + inner.width, y1 = inner.y + inner.height;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inX = x >= inner.x && x < x1, inY = y >= inner.y && y < y1;
      if (inX && inY) continue;
      // Distance past each edge; the side it is furthest past (relative) fills it.
      const dl = inner.x - x, dr = x - x1 + 1, dt = inner.y - y, db = y - y1 + 1;
      const horizontal = Math.max(dl, dr), verticalPast = Math.max(dt, db);
      let side: Side;
      if (horizontal > 0 && (verticalPast <= 0 || !fills.has(dt > 0 ? 'top' : 'bottom') || horizontal >= verticalPast) && fills.has(dl > 0 ? 'left' : 'right')) side = dl > 0 ? 'left' : 'right';
      else side = dt > 0 ? 'top' : 'bottom';
      if (!fills.has(side)) continue;
      const across = side === 'left' || side === 'right';
      const field = textured.get(side);
      if (field) {
        const depth = across ? (side === 'left' ? inner.x : width - x1) : (side === 'top' ? inner.y : height - y1);
        const j = 3 * ((across ? y : x) * depth + (across ? horizontal : verticalPast) - 1);
        px[0] = field[j]; px[1] = field[j + 1]; px[2] = field[j + 2];
      } else {
        at(side, across ? y - inner.y : x - inner.x, across ? horizontal : verticalPast, px);
      }
      const i = (y * width + x) * 3;
      data[i] = px[0] + 0.5; data[i + 1] = px[1] + 0.5; data[i + 2] = px[2] + 0.5;
    }
  }
}
