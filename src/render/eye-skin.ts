// The lid skin a closing lid is made of, measured once per eye in the picture: the dark band of
// lashes, liner and crease shadow above the lid line, the skin's tone above it, and its fine
// texture. Pure.
import { clamp, smoothstep } from '../core/geometry.js';
import { lumaAt } from '../core/image.js';
import type { EyeRig, RgbImage } from '../core/types.js';
import { EYE } from './eye-config.js';
import { LUMA, yuvOf } from './yuv.js';

/** Luma at (u across, v down) in the eye's frame, over three pixels across, so a single lash or pore does not decide. */
function lumaAcross(img: RgbImage, rig: EyeRig, u: number, v: number): number {
  const { center: c, axis: a } = rig;
  let sum = 0;
  for (let d = -1; d <= 1; d++) sum += lumaAt(img, c.x + (u + d) * a.x - v * a.y, c.y + (u + d) * a.y + v * a.x);
  return sum / 3;
}

/** Each sample the median of itself and its two neighbours (an end counts itself twice). */
function median3(a: Float32Array): Float32Array<ArrayBuffer> {
  const n = a.length;
  return Float32Array.from(a, (v, k) => [a[Math.max(0, k - 1)], v, a[Math.min(n - 1, k + 1)]].sort((x, y) => x - y)[1]);
}

/** `passes` rounds of [1 2 1] / 4 across the samples (an end weighs itself twice). */
function smooth121(a: Float32Array<ArrayBuffer>, passes: number): Float32Array<ArrayBuffer> {
  const n = a.length;
  let out = a;
  for (let pass = 0; pass < passes; pass++) {
    const prev = out;
    out = prev.map((v, k) => (prev[Math.max(0, k - 1)] + 2 * v + prev[Math.min(n - 1, k + 1)]) / 4);
  }
  return out;
}

/**
 * Where the lid skin starts: `vTop`, or lower where the brow reaches down into the band above the
 * lid (a low brow, a squint: the flag man's lid band began in the middle of his brow, and a shut
 * lid covered its lower half with a flat patch of skin, cut square at the eye's corners). Across
 * the eye's middle, the darkest row from a little above `vTop` to halfway down to the lid is the
 * brow's when the skin below it is EYE.browContrast levels lighter and the rows darker than
 * half-way between the two make a band (EYE.browThick of the eye's width; a crease is a line);
 * the skin starts where the light has come half-way back, never lower than half-way to the lid.
 */
export function belowBrow(img: RgbImage, rig: EyeRig, vTop: number): number {
  const up = Math.min(...rig.upperLid);
  const W = rig.width;
  // Each row's mean once: the three scans below cross the same rows.
  const rows = new Map<number, number>();
  const row = (v: number): number => {
    let mean = rows.get(v);
    if (mean === undefined) {
      let sum = 0, n = 0;
      for (let u = -EYE.browRowAcross * W; u <= EYE.browRowAcross * W; u += 2) { sum += lumaAcross(img, rig, u, v); n++; }
      mean = sum / n;
      rows.set(v, mean);
    }
    return mean;
  };
  const lowest = vTop + 0.5 * (up - vTop);
  let dark = Infinity, darkV = vTop;
  for (let v = vTop - EYE.browAbove * W; v <= lowest; v += 0.5) {
    const l = row(v);
    if (l < dark) { dark = l; darkV = v; }
  }
  let peak = dark;
  for (let v = darkV; v <= up - EYE.lashMin * W; v += 0.5) peak = Math.max(peak, row(v));
  if (peak - dark < EYE.browContrast) return vTop;
  // The dark run about that row: a brow is a band, a crease or a liner's edge a line.
  const half = dark + 0.5 * (peak - dark);
  let top = darkV, bottom = darkV;
  while (top > vTop - EYE.browReachUp * W && row(top - 0.5) < half) top -= 0.5;
  while (bottom < lowest && row(bottom) < half) bottom += 0.5;
  return bottom - top < EYE.browThick * W ? vTop : Math.max(vTop, bottom);
}

/**
 * The dark band above the upper lid line, per lid sample: from the line up to the highest point,
 * within lashReach of the lid skin, that is darker than lashDark x that column's lid skin (its
 * upper part's 75th percentile of luma, so a brow hair or two does not lower it). Lashes, liner
 * and a crease shadow all fall in it; what is above is the skin a closing lid is made of.
 */
export function measureLashBand(img: RgbImage, rig: EyeRig, vTop: number): Float32Array {
  const n = rig.upperLid.length;
  const W = rig.width;
  const at = (u: number, v: number): number => lumaAcross(img, rig, u, v);
  const raw = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const u = (k / (n - 1) - 0.5) * W;
    const up = rig.upperLid[k];
    const span = Math.max(1, up - vTop);
    const skin: number[] = [];
    for (let v = vTop; v < vTop + 0.35 * span; v += 0.5) skin.push(at(u, v));
    skin.sort((x, y) => x - y);
    const ref = skin[Math.floor(0.75 * (skin.length - 1))] ?? 128;
    let top = up;
    for (let v = up - EYE.lashReach * span; v <= up; v += 0.5) {
      if (at(u, v) < EYE.lashDark * ref) { top = v; break; }
    }
    raw[k] = clamp(up - top, EYE.lashMin * W, EYE.lashReach * span);
  }
  // Median of three neighbours, then smoothed: one column caught on a stray hair does not
  // notch the lid, and a band that thickens towards a corner (a winged liner) does so smoothly.
  const out = median3(raw);
  // A band much thicker than across most of the eye is a shadow (the socket's, beside the nose),
  // not lashes: held to lashCap x its median, so the skin over the lid does not change abruptly
  // from column to column.
  const cap = EYE.lashCap * Float32Array.from(out).sort()[n >> 1];
  return smooth121(out.map((v) => Math.min(v, cap)), 3);
}

/**
 * How much an eye the picture shows at each lid sample (0..1): the strongest difference in luma,
 * over the lash band and the opening between the rig's lids, from the lid skin's (`lidTone`),
 * from lashShowFrom to lashShowTo levels. A rig laid or widened past the eye's corner (a painted
 * eye's soft outline, a mesh that overshoots) has skin there, and a closing lid drew its lash
 * line on across that skin as a dark stroke past the eye.
 */
export function measureLashShow(img: RgbImage, rig: EyeRig, lashBand: Float32Array, lidTone: Float32Array): Float32Array {
  const n = rig.upperLid.length;
  const raw = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const u = (k / (n - 1) - 0.5) * rig.width;
    const up = rig.upperLid[k], low = Math.max(up, rig.lowerLid[k]);
    let most = 0;
    for (let v = up - lashBand[k]; v <= low; v += 0.5) most = Math.max(most, Math.abs(16 + LUMA.ys * lumaAcross(img, rig, u, v) - lidTone[3 * k]));
    raw[k] = smoothstep(EYE.lashShowFrom, EYE.lashShowTo, most);
  }
  return smooth121(median3(raw), 2);
}

/**
 * The lid skin's colour (limited-range Y, Cb, Cr) per lid sample: about the 70th percentile of
 * luma over the lid skin, from a little below the brow down to the lash band (`lashBand`, from
 * measureLashBand) or, without it, to the lid line. On a lined, older face the crease shadow and
 * lashes in the band pulled the tone down and the closed lid came out darker than the skin.
 * A closed lid is convex and catches the light like the skin under the brow; a mean would take in
 * the crease shadow, the liner and, on faces whose brows sit low, brow hair.
 */
export function measureLidTone(img: RgbImage, rig: EyeRig, vTop: number, lashBand?: Float32Array): Float32Array {
  // Above the lashes, liner and crease shadow when their band is known: they are not the lid's skin.
  return toneBetween(img, rig, () => vTop, (k) => Math.max(vTop + 1, rig.upperLid[k] - (lashBand ? lashBand[k] : 0)));
}

/**
 * The skin's colour (as measureLidTone's) per lid sample just below the eye, from belowSkinFrom
 * to belowSkinTo x the eye's width under the lower lid's line: past its lashes and liner.
 */
export function measureSkinBelow(img: RgbImage, rig: EyeRig): Float32Array {
  return toneBetween(img, rig, (k) => rig.lowerLid[k] + EYE.belowSkinFrom * rig.width, (k) => rig.lowerLid[k] + EYE.belowSkinTo * rig.width);
}

/** Per lid sample k, the light skin's colour over three pixels across from v = from(k) down to to(k). */
function toneBetween(img: RgbImage, rig: EyeRig, from: (k: number) => number, to: (k: number) => number): Float32Array {
  const n = rig.upperLid.length;
  const { center: c, axis: a, width: W } = rig;
  const out = new Float32Array(3 * n);
  for (let k = 0; k < n; k++) {
    const u = (k / (n - 1) - 0.5) * W;
    const px: [number, number, number, number][] = [];
    const end = to(k);
    for (let v = from(k); v < end; v += 0.5) {
      for (let d = -1; d <= 1; d++) {
        const x = clamp(Math.round(c.x + (u + d) * a.x - v * a.y), 0, img.width - 1), y = clamp(Math.round(c.y + (u + d) * a.y + v * a.x), 0, img.height - 1);
        const i = (y * img.width + x) * 3;
        px.push(yuvOf(img.data[i], img.data[i + 1], img.data[i + 2]).concat(0) as [number, number, number, number]);
      }
    }
    px.sort((p, q) => p[0] - q[0]);
    // The mean of the 50th-90th percentiles of luma: about the 70th, with the colour of many
    // pixels rather than one (a single bright pixel of fur or a highlight is nearly grey).
    const lo = Math.floor(0.5 * px.length), hi = Math.max(lo + 1, Math.ceil(0.9 * px.length));
    const sum = [0, 0, 0];
    for (let j = lo; j < Math.min(hi, px.length); j++) for (let ch = 0; ch < 3; ch++) sum[ch] += px[j][ch];
    const m = Math.min(hi, px.length) - lo;
    out[3 * k] = m > 0 ? sum[0] / m : 128; out[3 * k + 1] = m > 0 ? sum[1] / m : 128; out[3 * k + 2] = m > 0 ? sum[2] / m : 128;
  }
  return out;
}

/**
 * The lid skin's fine texture across the eye: luma less its 5 x 5 px median where that is within
 * lidTexture levels (0 elsewhere), 1 px apart from (u = -width / 2, vTop) down over the skin
 * above the lashes (the lower quartile of its height across the eye, at least lidTextureBand x
 * the eye's width).
 */
export function measureLidTexture(img: RgbImage, rig: EyeRig, vTop: number, lashBand: Float32Array): { detail: Float32Array; cols: number; rows: number } {
  const n = rig.upperLid.length;
  const { center: c, axis: a, width: W } = rig;
  const heights = Array.from(rig.upperLid, (up, k) => up - lashBand[k] - vTop).sort((x, y) => x - y);
  const band = Math.max(2, Math.round(Math.max(EYE.lidTextureBand * W, heights[Math.floor(0.25 * (n - 1))])));
  const cols = Math.ceil(W) + 1;
  // Luma on the grid with a 2 px margin all round, for the 5 x 5 medians.
  const gc = cols + 4, gr = band + 4;
  const g = new Float32Array(gc * gr);
  for (let j = 0; j < gr; j++) for (let i = 0; i < gc; i++) {
    const u = i - 2 - W / 2, v = vTop + j - 2;
    g[j * gc + i] = lumaAt(img, c.x + u * a.x - v * a.y, c.y + u * a.y + v * a.x);
  }
  // Rows across a feature (the crease, a brow's edge: their mean off the rows' median) are left
  // out, so it is not repeated down the lid as lines.
  const rowMean = Array.from({ length: band }, (_, j) => g.subarray((j + 2) * gc + 2, (j + 2) * gc + 2 + cols).reduce((s2, x) => s2 + x, 0) / cols);
  const mid = [...rowMean].sort((x, y) => x - y)[band >> 1];
  let keep = rowMean.map((m, j) => (Math.abs(m - mid) <= EYE.lidTexture ? j : -1)).filter((j) => j >= 0);
  if (keep.length < 2) keep = rowMean.map((_, j) => j);
  const detail = new Float32Array(cols * keep.length);
  const win = new Float32Array(25);
  keep.forEach((j, r) => {
    for (let i = 0; i < cols; i++) {
      for (let dj = 0; dj < 5; dj++) for (let di = 0; di < 5; di++) win[dj * 5 + di] = g[(j + dj) * gc + i + di];
      // Fine texture only: luma less its 5 x 5 median, where that is small; a larger step is a
      // feature (a brow hair, a lash, a mole).
      const d = g[(j + 2) * gc + i + 2] - win.sort()[12];
      detail[r * cols + i] = Math.abs(d) <= EYE.lidTexture ? d : 0;
    }
  });
  return { detail, cols, rows: keep.length };
}

/** The upper lid's crease as the picture shows it, per lid sample (eye-config.ts EyeWarp creaseHeight, creaseDepth). */
export interface Crease {
  /** How far above the upper lid line the crease lies (px). */
  readonly height: Float32Array;
  /** How much darker (luma levels) its line is than the skin either side of it; 0 where it shows none. */
  readonly depth: Float32Array;
  /**
   * How much the lid folds there (0..1): 1 where the crease was found, 0 where it was not in an eye
   * that has one (there the lid unfolds as one sheet: a crease filled in from its neighbours fell
   * inside liner and make-up and drew a light line through them); creaseNone across an eye without one.
   */
  readonly hold: Float32Array;
}

/**
 * The upper lid's crease: per lid sample, the darkest row between creaseReach x the lid skin's
 * height above the lid line (and no more than creaseAbove x the eye's width above the lash band)
 * and creaseGap x the eye's width above it that has brighter skin both
 * above it (within creaseAbove x the eye's width) and below it (the tarsal skin showing between
 * crease and lashes), by at least creaseContrast x the lid skin's luma above black. A crease is a
 * valley: liner, lashes and eyeshadow shade down to the lashes without one, and so does a lid
 * whose fold hangs over its lashes. Where fewer than creaseShare of the samples show one (a
 * monolid, a small or soft face, a painting), the eye has none: its crease is put creaseDefault
 * above the lash band, with no depth of its own, and its lid does not fold (hold creaseNone).
 */
export function measureCrease(img: RgbImage, rig: EyeRig, vTop: number, lashBand: Float32Array, lidTone: Float32Array): Crease {
  const n = rig.upperLid.length;
  const W = rig.width;
  const at = (u: number, v: number): number => lumaAcross(img, rig, u, v);
  const raw = new Float32Array(n), depth = new Float32Array(n);
  const found: boolean[] = [];
  const gap = Math.max(1, EYE.creaseGap * W), above = Math.max(1, EYE.creaseAbove * W);
  for (let k = 0; k < n; k++) {
    const u = (k / (n - 1) - 0.5) * W;
    const up = rig.upperLid[k];
    const span = Math.max(1, up - vTop);
    // Within the lid skin's lower part and at most `above` over the band (which takes in the crease's shadow): never up at the brow.
    const v0 = Math.max(vTop + above, up - EYE.creaseReach * span, up - lashBand[k] - above), v1 = up - gap;
    // The profile at half-pixel steps from `above` over the search down to the lid line.
    const from = v0 - above, m = Math.max(0, Math.floor((up - from) * 2));
    const p = new Float32Array(m + 1);
    for (let j = 0; j <= m; j++) p[j] = at(u, from + j / 2);
    let best = 0, bestV = NaN;
    const jA = Math.round(above * 2);
    for (let j = jA; from + j / 2 <= v1; j++) {
      let hiA = 0, hiB = 0;
      for (let i = j - jA; i < j; i++) hiA = Math.max(hiA, p[i]);
      for (let i = j + 1; i <= m; i++) hiB = Math.max(hiB, p[i]);
      const contrast = Math.min(hiA, hiB) - p[j];
      if (contrast > best) { best = contrast; bestV = from + j / 2; }
    }
    const ok = best >= EYE.creaseContrast * (lidTone[3 * k] - 16);
    found.push(ok);
    raw[k] = ok ? up - bestV : NaN;
    depth[k] = ok ? best : 0;
  }
  // Only the middle of the eye decides whether it has a crease: the corners' folds run into the socket's shadow.
  const mid = found.slice(Math.round(0.2 * (n - 1)), Math.round(0.8 * (n - 1)) + 1);
  const none = mid.filter(Boolean).length < EYE.creaseShare * mid.length;
  let height = new Float32Array(n);
  let hold = Float32Array.from(found, (f) => (none ? EYE.creaseNone : f ? 1 : 0));
  if (none) {
    for (let k = 0; k < n; k++) { height[k] = lashBand[k] + EYE.creaseDefault * W; depth[k] = 0; }
  } else {
    // Samples without one take the nearest found's height; then the median of three and smoothed, as the lash band.
    for (let k = 0; k < n; k++) {
      if (!Number.isNaN(raw[k])) { height[k] = raw[k]; continue; }
      let d = 1;
      while (Number.isNaN(raw[Math.max(0, k - d)]) && Number.isNaN(raw[Math.min(n - 1, k + d)])) d++;
      height[k] = Number.isNaN(raw[Math.max(0, k - d)]) ? raw[Math.min(n - 1, k + d)] : raw[Math.max(0, k - d)];
    }
    height = median3(height);
    // A fold follows the lid's curve: held within creaseSpread of its height across the eye's middle.
    const mh = [...height.slice(Math.round(0.2 * (n - 1)), Math.round(0.8 * (n - 1)) + 1)].sort((x, y) => x - y);
    const med = mh[mh.length >> 1], spread = EYE.creaseSpread * W;
    height = height.map((h) => clamp(h, med - spread, med + spread));
  }
  return { height: smooth121(height, 3), depth: smooth121(depth, 3), hold: smooth121(hold, 3) };
}
