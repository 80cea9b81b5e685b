// A padded frame's margins beside a textured backdrop: its mirror image without the person,
// blurred more the further out (variable box passes over summed-area tables) and fading towards
// its own smoothed colour. Pure.
import type { Rect, RgbImage } from '../core/types.js';
import { MARGIN, type PersonAt, type Side } from './margin-config.js';
import { distance } from './margin-edge.js';

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
export function continueTexture(img: RgbImage, inner: Rect, side: Side, edge: { background: Uint8Array; colour: Float32Array; tol: number }, far: Float32Array, person?: PersonAt): Float32Array {
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

