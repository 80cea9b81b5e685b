// A padded frame's margins beside a textured backdrop: its mirror image without the person,
// blurred more the further out (variable box passes over summed-area tables) and fading towards
// its own smoothed colour. Pure.
//
// It runs once per video, on a few hundred thousand margin pixels, before the first frame: the
// loops work on flat typed arrays with precomputed strides and offsets, no callback or small
// array per pixel. Every sum is taken in the order the plain formulation takes it (row by row
// along the margin's depth, box corners as e - b - c + a), so the bytes do not depend on how the
// loops are arranged: scripts/check-margins.mjs compares them against an earlier commit.
import { DhError } from '../core/errors.js';
import type { Rect, RgbImage } from '../core/types.js';
import { MARGIN, type PersonAt, type Side } from './margin-config.js';
import { distance } from './margin-edge.js';

/**
 * A side's margin and the picture band beside it, in coordinates along the side (t) and out from
 * it (d, k). Picture pixel `k` in from its edge at position `t` along the picture (0 .. length-1)
 * is frame pixel `band0 + t * bandT + k * bandK`: strides, not a function per pixel. It stands at
 * (x0 + inward * k, y0 + t) on the left and right, (x0 + t, y0 + inward * k) at the top and bottom.
 */
interface SideFrame {
  /** Positions along the side over the whole frame, and the margin's depth. */
  readonly n: number;
  readonly depth: number;
  /** Where the picture starts along the side, and its length there. */
  readonly start: number;
  readonly length: number;
  /** The picture's size across the side (how deep a band it has). */
  readonly across: number;
  readonly band0: number;
  readonly bandT: number;
  readonly bandK: number;
  readonly x0: number;
  readonly y0: number;
  /** Whether `t` runs along y (left and right sides) rather than x. */
  readonly vertical: boolean;
  /** +1 where `k` runs towards larger coordinates (left, top), -1 otherwise. */
  readonly inward: number;
}

function sideFrame(img: RgbImage, inner: Rect, side: Side): SideFrame {
  const { width, height } = img;
  const x1 = inner.x + inner.width, y1 = inner.y + inner.height;
  const along = { n: height, start: inner.y, length: inner.height, across: inner.width, vertical: true };
  const across = { n: width, start: inner.x, length: inner.width, across: inner.height, vertical: false };
  switch (side) {
    case 'left': return { ...along, depth: inner.x, x0: inner.x, y0: inner.y, inward: 1, band0: inner.y * width + inner.x, bandT: width, bandK: 1 };
    case 'right': return { ...along, depth: width - x1, x0: x1 - 1, y0: inner.y, inward: -1, band0: inner.y * width + x1 - 1, bandT: width, bandK: -1 };
    case 'top': return { ...across, depth: inner.y, x0: inner.x, y0: inner.y, inward: 1, band0: inner.y * width + inner.x, bandT: 1, bandK: width };
    case 'bottom': return { ...across, depth: height - y1, x0: inner.x, y0: y1 - 1, inward: -1, band0: (y1 - 1) * width + inner.x, bandT: 1, bandK: -width };
  }
}

/** `v` reflected into 0 .. n-1 (..., 1, 0, 0, 1, ..., n-1, n-1, n-2, ...): a mirror image repeated without seams. */
const reflect = (v: number, n: number): number => {
  const p = ((v % (2 * n)) + 2 * n) % (2 * n);
  return p < n ? p : 2 * n - 1 - p;
};

/** The share of the placed picture the mask calls the person (read on a coarse grid). */
function personShare(inner: Rect, person: PersonAt): number {
  let sum = 0, count = 0;
  const step = Math.max(1, Math.round(Math.min(inner.width, inner.height) / 64));
  for (let y = inner.y; y < inner.y + inner.height; y += step) for (let x = inner.x; x < inner.x + inner.width; x += step) { sum += person(x, y) >= MARGIN.personFull ? 1 : 0; count++; }
  return sum / Math.max(1, count);
}

/**
 * How much each band pixel (length x band, position-major) is backdrop, by the mask: the most
 * person found within `reach` of it (its edge is soft, loose hair strays past it). Positions along
 * the edge given to the person are left out whole (0): with a mask these are also where the
 * backdrop beside its soft edge stands out in colour (an ear's tip, a strand).
 */
function weightsByMask(f: SideFrame, inner: Rect, background: Uint8Array, band: number, reach: number, person: PersonAt): Float32Array {
  const weight = new Float32Array(f.length * band);
  const xMin = inner.x, xMax = inner.x + inner.width - 1, yMin = inner.y, yMax = inner.y + inner.height - 1;
  // The mask read once over the band and `reach` around it (within the picture), not five times a pixel.
  const xs = [f.x0, f.vertical ? f.x0 + f.inward * (band - 1) : f.x0 + f.length - 1], ys = [f.y0, f.vertical ? f.y0 + f.length - 1 : f.y0 + f.inward * (band - 1)];
  const gx0 = Math.max(xMin, Math.min(...xs) - reach), gx1 = Math.min(xMax, Math.max(...xs) + reach);
  const gy0 = Math.max(yMin, Math.min(...ys) - reach), gy1 = Math.min(yMax, Math.max(...ys) + reach);
  const gw = gx1 - gx0 + 1, grid = new Float64Array(gw * (gy1 - gy0 + 1));
  for (let y = gy0; y <= gy1; y++) for (let x = gx0; x <= gx1; x++) grid[(y - gy0) * gw + x - gx0] = person(x, y);
  const scale = MARGIN.personFull - MARGIN.personLevel;
  for (let t = 0; t < f.length; t++) {
    if (!background[t]) continue;
    for (let k = 0; k < band; k++) {
      const x = f.vertical ? f.x0 + f.inward * k : f.x0 + t, y = f.vertical ? f.y0 + t : f.y0 + f.inward * k;
      // The pixel and the four `reach` away from it (within the picture), as grid cells.
      const row = (y - gy0) * gw, col = x - gx0;
      const p = Math.max(grid[row + col], grid[row + Math.max(xMin, x - reach) - gx0], grid[row + Math.min(xMax, x + reach) - gx0],
        grid[(Math.max(yMin, y - reach) - gy0) * gw + col], grid[(Math.min(yMax, y + reach) - gy0) * gw + col]);
      weight[t * band + k] = Math.min(1, Math.max(0, (MARGIN.personFull - p) / scale));
    }
  }
  return weight;
}

/**
 * How much each band pixel is backdrop, by its colour: fully within half the edge's tolerance of
 * the backdrop carried along the edge (`near`), not at all past the whole of it.
 */
function weightsByColour(f: SideFrame, data: Uint8Array, background: Uint8Array, band: number, near: Float32Array, tol: number): Float32Array {
  const weight = new Float32Array(f.length * band);
  const c = [0, 0, 0];
  for (let t = 0; t < f.length; t++) {
    if (!background[t]) continue;
    c[0] = near[3 * t]; c[1] = near[3 * t + 1]; c[2] = near[3 * t + 2];
    for (let k = 0; k < band; k++) {
      const i = 3 * (f.band0 + t * f.bandT + k * f.bandK);
      const dc = distance(data[i], data[i + 1], data[i + 2], c);
      weight[t * band + k] = Math.min(1, Math.max(0, 2 - (2 * dc) / tol));
    }
  }
  return weight;
}

// The summed-area tables are stored depth-major: cell (t, d) of a table over n x depth positions
// is at index C * (d * (n + 1) + t), C values per cell, with a zero first row (t = 0) and column
// (d = 0). A box's corners at a given depth then move by one cell as t does, so the blur passes,
// which run along t at each depth, read four short streams instead of jumping between rows some
// kilobytes apart (the large fill-in boxes span hundreds of rows: row-major, most of those reads
// missed the cache). Each cell is still sat(t, d) = sat(t - 1, d) + (the row's sum up to d, taken along
// d), the order the bytes depend on.

/**
 * Summed-area table of the band mirrored over the margin (n x depth positions: along the whole
 * frame's side the picture reflected, outwards the band reflected), RGB weighted by the band's
 * weight and the weight itself: 4 values per cell.
 */
function mirrorTable(f: SideFrame, data: Uint8Array, weight: Float32Array, band: number): Float64Array {
  const { n, depth } = f, column = 4 * (n + 1);
  const sat = new Float64Array((depth + 1) * column);
  // Where each position along the side reads the band (its picture position, mirrored), in the weights and in the frame.
  const wOf = new Int32Array(n), pixelOf = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const tt = reflect(t - f.start, f.length);
    wOf[t] = tt * band; pixelOf[t] = 3 * (f.band0 + tt * f.bandT);
  }
  // Each row's running sums along d, advanced one depth at a time.
  const row = new Float64Array(4 * n);
  for (let d = 0; d < depth; d++) {
    const k = reflect(d, band), kPixel = 3 * k * f.bandK;
    for (let t = 0, o = (d + 1) * column + 4; t < n; t++, o += 4) {
      const w = weight[wOf[t] + k], i = pixelOf[t] + kPixel, q = 4 * t;
      const r = (row[q] += w * data[i]), g = (row[q + 1] += w * data[i + 1]), b = (row[q + 2] += w * data[i + 2]), s = (row[q + 3] += w);
      sat[o] = sat[o - 4] + r; sat[o + 1] = sat[o - 3] + g; sat[o + 2] = sat[o - 2] + b; sat[o + 3] = sat[o - 1] + s;
    }
  }
  return sat;
}

/** The blur's box radius at each depth (before any fill-in doubles it). */
function radii(depth: number, radius: (d: number) => number): Int32Array {
  const r = new Int32Array(depth);
  for (let d = 0; d < depth; d++) r[d] = Math.max(0, Math.round(radius(d)));
  return r;
}

/** The sum of channel `ch` over a box of a depth-major table: columns lo .. hi (offsets, hi one past), cells a .. b along t (offsets, b one past), as e - b - c + a. */
const box = (sat: Float64Array, lo: number, hi: number, a: number, b: number, ch: number): number =>
  sat[hi + b + ch] - sat[hi + a + ch] - sat[lo + b + ch] + sat[lo + a + ch];

/**
 * The first blur pass over the mirrored band (`sat`, mirrorTable): each position takes the
 * weighted mean of the box of radius `radius[d]` around it. Where that box holds too little
 * backdrop (the person mirrored into it, or a backdrop that strays from its colour), boxes twice
 * and four times as large fill in, each mixed in as far as the finer one lacks weight
 * (normalized convolution over a pyramid of boxes); past those (MARGIN.fillLevels), the colour
 * carried along the edge (`near`) is: much larger boxes would draw the far backdrop in as rays
 * fanning out from the picture. On a busy backdrop most positions take the whole pyramid, so
 * its levels are written out with their sums in locals.
 *
 * The pass is only read through the summed-area table of it (RGB, 3 values per cell) that the
 * second pass blurs: it is summed into that as it goes, a column of positions at a time, each
 * value rounded to single precision first, as a stored field would be.
 */
function weightedBlurTable(sat: Float64Array, n: number, depth: number, radius: Int32Array, start: number, length: number, near: Float32Array): Float64Array {
  if (MARGIN.fillLevels !== 2) throw new DhError('INTERNAL', { reason: 'margin-texture.ts writes out a pyramid of 2 fill-in levels (MARGIN.fillLevels)' });
  const column = 4 * (n + 1), whole = Math.max(n, depth);
  const out = new Float64Array((depth + 1) * 3 * (n + 1)), outColumn = 3 * (n + 1);
  // Each row's running sums of the pass along d.
  const row = new Float64Array(3 * n);
  for (let d = 0; d < depth; d++) {
    // The three levels' radii, and the columns their boxes span (`span` columns, offsets lo .. hi in `sat`).
    const r0 = radius[d], r1 = 2 * r0 + 1, r2 = 2 * r1 + 1;
    const span0 = Math.min(depth - 1, d + r0) + 1 - Math.max(0, d - r0), lo0 = Math.max(0, d - r0) * column, hi0 = (Math.min(depth - 1, d + r0) + 1) * column;
    const span1 = Math.min(depth - 1, d + r1) + 1 - Math.max(0, d - r1), lo1 = Math.max(0, d - r1) * column, hi1 = (Math.min(depth - 1, d + r1) + 1) * column;
    const span2 = Math.min(depth - 1, d + r2) + 1 - Math.max(0, d - r2), lo2 = Math.max(0, d - r2) * column, hi2 = (Math.min(depth - 1, d + r2) + 1) * column;
    for (let t = 0, o = (d + 1) * outColumn + 3; t < n; t++, o += 3) {
      const k = 3 * Math.min(length - 1, Math.max(0, t - start));
      let ar, ag, ab;
      let a = Math.max(0, t - r0), b = Math.min(n - 1, t + r0) + 1;
      const area0 = (b - a) * span0;
      const s0 = box(sat, lo0, hi0, 4 * a, 4 * b, 3);
      const p0 = box(sat, lo0, hi0, 4 * a, 4 * b, 0), q0 = box(sat, lo0, hi0, 4 * a, 4 * b, 1), u0 = box(sat, lo0, hi0, 4 * a, 4 * b, 2);
      // Nearly all backdrop: a coarser box would change it by under 1 %.
      if (s0 >= 0.9 * area0) {
        ar = p0 / s0; ag = q0 / s0; ab = u0 / s0;
      } else if (r0 >= whole) {
        ar = near[k]; ag = near[k + 1]; ab = near[k + 2];
      } else {
        a = Math.max(0, t - r1); b = Math.min(n - 1, t + r1) + 1;
        const area1 = (b - a) * span1;
        const s1 = box(sat, lo1, hi1, 4 * a, 4 * b, 3);
        const p1 = box(sat, lo1, hi1, 4 * a, 4 * b, 0), q1 = box(sat, lo1, hi1, 4 * a, 4 * b, 1), u1 = box(sat, lo1, hi1, 4 * a, 4 * b, 2);
        if (s1 >= 0.9 * area1) {
          ar = p1 / s1; ag = q1 / s1; ab = u1 / s1;
        } else if (r1 >= whole) {
          ar = near[k]; ag = near[k + 1]; ab = near[k + 2];
        } else {
          a = Math.max(0, t - r2); b = Math.min(n - 1, t + r2) + 1;
          const area2 = (b - a) * span2;
          const s2 = box(sat, lo2, hi2, 4 * a, 4 * b, 3);
          if (s2 >= 0.9 * area2) {
            ar = box(sat, lo2, hi2, 4 * a, 4 * b, 0) / s2;
            ag = box(sat, lo2, hi2, 4 * a, 4 * b, 1) / s2;
            ab = box(sat, lo2, hi2, 4 * a, 4 * b, 2) / s2;
          } else {
            ar = near[k]; ag = near[k + 1]; ab = near[k + 2];
          }
          const lambda = 0.01 * area1, w = s1 + lambda;
          ar = (p1 + lambda * ar) / w; ag = (q1 + lambda * ag) / w; ab = (u1 + lambda * ab) / w;
        }
        const lambda = 0.01 * area0, w = s0 + lambda;
        ar = (p0 + lambda * ar) / w; ag = (q0 + lambda * ag) / w; ab = (u0 + lambda * ab) / w;
      }
      const r = (row[3 * t] += Math.fround(ar)), g = (row[3 * t + 1] += Math.fround(ag)), bl = (row[3 * t + 2] += Math.fround(ab));
      out[o] = out[o - 3] + r; out[o + 1] = out[o - 2] + g; out[o + 2] = out[o - 1] + bl;
    }
  }
  return out;
}

/**
 * The second blur pass (over an all-backdrop field: every box is whole, its weight its area),
 * with the fade towards `far` (the backdrop's smoothed colour at each position) as the margin
 * leaves the picture: up to MARGIN.fadeMax, reached MARGIN.fadeOut (share of `short`) out.
 * RGB per position, position-major (3 * (t * depth + d)), as fillMarginsInPlace reads it.
 */
function plainBlurAndFade(sat: Float64Array, n: number, depth: number, radius: Int32Array, start: number, length: number, far: Float32Array, short: number): Float32Array {
  const out = new Float32Array(3 * n * depth);
  const column = 3 * (n + 1);
  const fadeOut = Math.max(1, MARGIN.fadeOut * short);
  for (let d = 0; d < depth; d++) {
    const w = Math.min(1, d / fadeOut), fade = MARGIN.fadeMax * w * w * (3 - 2 * w);
    const r = radius[d], d0 = Math.max(0, d - r), d1 = Math.min(depth - 1, d + r);
    for (let t = 0, j = 3 * d; t < n; t++, j += 3 * depth) {
      const t0 = Math.max(0, t - r), t1 = Math.min(n - 1, t + r);
      const a = d0 * column + 3 * t0, b = (d1 + 1) * column + 3 * t0, c = d0 * column + 3 * (t1 + 1), e = (d1 + 1) * column + 3 * (t1 + 1);
      const area = (t1 - t0 + 1) * (d1 - d0 + 1);
      // Rounded to the field's precision before the fade, as a stored pass would be.
      const vr = Math.fround((sat[e] - sat[b] - sat[c] + sat[a]) / area);
      const vg = Math.fround((sat[e + 1] - sat[b + 1] - sat[c + 1] + sat[a + 1]) / area);
      const vb = Math.fround((sat[e + 2] - sat[b + 2] - sat[c + 2] + sat[a + 2]) / area);
      const k = 3 * Math.min(length - 1, Math.max(0, t - start));
      out[j] = vr + (far[k] - vr) * fade; out[j + 1] = vg + (far[k + 1] - vg) * fade; out[j + 2] = vb + (far[k + 2] - vb) * fade;
    }
  }
  return out;
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
  const weight = masked
    ? weightsByMask(f, inner, background, band, Math.max(1, Math.round(MARGIN.personReach * short)), person)
    : weightsByColour(f, img.data, background, band, near, tol);
  const r0 = MARGIN.blurNear * short;
  // Two box passes of radius r / sqrt(2) each: about one box's spread of r, shaped like a tent, without a box's hard outline.
  const radius = radii(depth, (d) => (r0 + MARGIN.blurGrowth * d) * Math.SQRT1_2);
  const once = weightedBlurTable(mirrorTable(f, img.data, weight, band), n, depth, radius, start, length, near);
  return plainBlurAndFade(once, n, depth, radius, start, length, far, short);
}
