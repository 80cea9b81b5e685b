// Eyes by warping the real image. Gaze: inside the lid aperture the eyeball content (iris and
// sclera) shifts, most at the middle and not at all at the corners, so the iris slides under
// the lids. Blink: a closing lid is lid skin, not stretched lashes. Above the lash line the
// picture's lid skin (between the lashes and a little below the brow, measured per eye: where
// the dark band of lashes, liner and crease shadow ends) unfolds down over the eye, moving
// least near the brow and most near the lid's edge, as a real lid unfolds from its crease,
// shaded a little darker towards the edge, its fine texture kept. The lashes and liner travel
// with the edge, squeezed into a thin dark line, so they are never smeared over the eye. The
// eye stays put (it disappears under the lid instead of being squashed); looking down lowers
// the lid a little, as real lids follow the eye. Brow: above the lid skin, brow and the
// forehead below it lift on a raise, fading out towards the hairline and beyond the brow's
// ends. Pure.
import { clamp, smoothstep } from '../core/geometry.js';
import type { EyeRig, Rect, RgbImage } from '../core/types.js';
import type { PixelSource } from './map.js';
import { localBox, profileAt } from './sample.js';
import { yuvOf } from './yuv.js';
import { lumaAt } from '../core/image.js';
import { fitDarkEye } from './dark-eye.js';
import { fitWideEye } from './wide-eye.js';
import { fitEyeOutline } from './eye-outline.js';

export const EYE = Object.freeze({
  /** How far above the lid the stretched skin starts, x eye width. */
  skinAbove: 0.38,
  /**
   * At full closure the lid travels this fraction of the aperture: a little past the lower lid's
   * landmark line, which tends to sit a pixel or two low, so no white shows under a closed lid.
   */
  closeReach: 1.08,
  /** Lash line thickness, x eye width, and how dark it gets at full closure. */
  lashWidth: 0.07,
  lashDarken: 0.35,
  /**
   * The band of lashes, liner and crease shadow above the lid line is where the picture is this
   * much darker than the lid skin above it (luma ratio), looked for up to this far above the
   * line (x the lid skin's height) and at least lashMin thick (x eye width).
   */
  lashDark: 0.86,
  lashReach: 0.6,
  lashMin: 0.03,
  /** ...and at most lashCap x its median across the eye (thicker is the socket's shadow). */
  lashCap: 1.5,
  /** Thickness of the lash line on a closed eye, x eye width: about the lash roots' row. */
  lashClosed: 0.035,
  /**
   * The lash line is no lighter than this x the lid skin's luma (above black): the band squeezed
   * into it is pale on a painted lid or where white lies under a refitted lid line, and read as a
   * grey or white sliver at the closed lid's edge.
   */
  lashTone: 0.4,
  /** The closed lid darkens this much towards its edge, over this lower share of its height. */
  lidShade: 0.07,
  lidShadeSpan: 0.35,
  /**
   * A closed lid is at least this much its skin's own colour (with its texture, lidTexture), and
   * fully so where the stretched picture differs from that colour by lidCoverDark levels:
   * stretched lashes, brow hairs, crease shadow and highlights would run down the lid in streaks.
   * 0.25 left the stretch's streaks showing (fur, an old photo's grain) once the cover had texture.
   */
  lidCover: 0.6,
  lidCoverDark: 30,
  /**
   * The cover's texture: the fine detail (luma less its 5 x 5 px median, where within lidTexture levels)
   * of the lid skin above the lashes, a band of lidTextureBand x eye width at least, repeated
   * (mirrored) down the lid at its own scale. A cover of the skin's tone alone read as a flat disc.
   */
  lidTexture: 12,
  lidTextureBand: 0.1,
  /** How fast the lid skin may unfold at the top, x its own height: about half the stretch stays near the edge. */
  unfoldTop: 1.9,
  /** Iris travel at full gaze, x eye width (horizontal) and x aperture height (vertical). */
  gazeTravelX: 0.16,
  gazeTravelY: 0.18,
  /** Extra lid closure when looking fully down. */
  lidFollow: 0.3,
  /** Brow lift at a full raise, the brow's half length, and how far up the lift reaches, x eye width. */
  browLift: 0.09,
  browHalfLength: 0.75,
  browReach: 1.1,
});

export interface EyeWarp {
  readonly rig: EyeRig;
  readonly vTop: number;
  readonly vBottom: number;
  /** Top of the brow area that lifts. */
  readonly vBrow: number;
  /** Everything the warp can change, and the part around the lids where it has edges. */
  readonly bounds: Rect;
  readonly lidBounds: Rect;
  /** Height of the dark band (lashes, liner, crease shadow) above the upper lid line, across the eye. */
  readonly lashBand: Float32Array;
  /** The lid skin's mean colour (Y, Cb, Cr triples) across the eye, and the widest aperture. */
  readonly lidTone: Float32Array;
  /** The lid skin's fine texture (lidTexture): texRows rows of texCols values, 1 px apart from (u = -width / 2, vTop). */
  readonly lidTexture: Float32Array;
  readonly texCols: number;
  readonly texRows: number;
  readonly aperture: number;
  /**
   * The eye's own width, as rigged: the iris travel and the lash line's thickness are measured in
   * it. A rig refitted round the white or widened over an outline is wider than the iris moves,
   * and a lash line of its width came out half as thick again, a heavy grey line.
   */
  readonly irisWidth: number;
  /**
   * Where the eye's own middle lies along the rig (u): the eyeball turns about it, over
   * irisWidth, whatever the lids were widened over. Turned over the widened rig, the eye's corners
   * and the skin past them slid with every gaze shift.
   */
  readonly irisU: number;
  /** The picture the lid skin is read from, to cover what is darker than the skin. */
  readonly base: RgbImage;
  blink: number;
  browLift: number;
  shiftU: number;
  shiftV: number;
}

/**
 * `darkEyes`: the face is an animal's or a drawing's (no human teeth either), whose eyes may be
 * dark all across and larger than the mesh laid them out; a human eye is refitted only where its
 * white shows outside the rig (wide-eye.ts).
 */
export function prepareEye(base: RgbImage, rigged: EyeRig, opts: { darkEyes?: boolean } = {}): EyeWarp {
  const dark = opts.darkEyes ? fitDarkEye(base, rigged) : rigged;
  const wide = dark !== rigged ? dark : fitWideEye(base, rigged);
  const rig = dark !== rigged ? dark : fitEyeOutline(base, wide, { drawn: opts.darkEyes });
  const half = rig.width / 2;
  // The lid skin's height as for the eye without its outline: a lid widened over a painted
  // outline or a liner's wing is no taller, and reaching up as far as it is wide read the brow.
  const vTop = Math.min(...rig.upperLid) - EYE.skinAbove * wide.width;
  const vBottom = Math.max(...rig.lowerLid) + 0.1 * rig.width + 1;
  const vBrow = vTop - EYE.browReach * rig.width;
  const across = Math.max(half, EYE.browHalfLength * rig.width);
  const lashBand = measureLashBand(base, rig, vTop);
  const tex = measureLidTexture(base, rig, vTop, lashBand);
  const box = (u0: number, u1: number, v0: number, v1: number): Rect => localBox(rig.center, rig.axis, u0, u1, v0, v1, base.width, base.height, 1);
  return {
    rig, vTop, vBottom, vBrow,
    bounds: box(-across, across, vBrow, vBottom),
    lidBounds: box(-half, half, vTop, vBottom),
    lashBand,
    lidTone: measureLidTone(base, rig, vTop, lashBand),
    lidTexture: tex.detail, texCols: tex.cols, texRows: tex.rows,
    base,
    aperture: Math.max(1e-3, ...rig.lowerLid.map((l, k) => l - rig.upperLid[k])),
    irisWidth: dark !== rigged ? rig.width : rigged.width,
    irisU: dark !== rigged ? 0 : (rigged.center.x - rig.center.x) * rig.axis.x + (rigged.center.y - rig.center.y) * rig.axis.y,
    blink: 0, browLift: 0, shiftU: 0, shiftV: 0,
  };
}

/**
 * The eye a closing lid covers: an animal's or a drawing's dark eye as the picture shows it
 * (dark-eye.ts); any other eye (a drawing's with white too) refitted round the white it shows
 * outside the rig (wide-eye.ts), then widened and lowered over the outline and white the picture
 * shows round it (eye-outline.ts).
 */
export function fitEye(base: RgbImage, rigged: EyeRig, darkEyes: boolean): EyeRig {
  const dark = darkEyes ? fitDarkEye(base, rigged) : rigged;
  return dark !== rigged ? dark : fitEyeOutline(base, fitWideEye(base, rigged), { drawn: darkEyes });
}

/**
 * The dark band above the upper lid line, per lid sample: from the line up to the highest point,
 * within lashReach of the lid skin, that is darker than lashDark x that column's lid skin (its
 * upper part's 75th percentile of luma, so a brow hair or two does not lower it). Lashes, liner
 * and a crease shadow all fall in it; what is above is the skin a closing lid is made of.
 */
export function measureLashBand(img: RgbImage, rig: EyeRig, vTop: number): Float32Array {
  const n = rig.upperLid.length;
  const { center: c, axis: a, width: W } = rig;
  const at = (u: number, v: number): number => {
    // Three pixels across, so a single lash or pore does not decide.
    let sum = 0;
    for (let d = -1; d <= 1; d++) sum += lumaAt(img, c.x + (u + d) * a.x - v * a.y, c.y + (u + d) * a.y + v * a.x);
    return sum / 3;
  };
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
  let out = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const t = [raw[Math.max(0, k - 1)], raw[k], raw[Math.min(n - 1, k + 1)]].sort((x, y) => x - y);
    out[k] = t[1];
  }
  // A band much thicker than across most of the eye is a shadow (the socket's, beside the nose),
  // not lashes: held to lashCap x its median, so the skin over the lid does not change abruptly
  // from column to column.
  const cap = EYE.lashCap * Float32Array.from(out).sort()[n >> 1];
  out = out.map((v) => Math.min(v, cap));
  for (let pass = 0; pass < 3; pass++) {
    const prev = out;
    out = prev.map((v, k) => (prev[Math.max(0, k - 1)] + 2 * v + prev[Math.min(n - 1, k + 1)]) / 4);
  }
  return out;
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
  const n = rig.upperLid.length;
  const { center: c, axis: a, width: W } = rig;
  const out = new Float32Array(3 * n);
  for (let k = 0; k < n; k++) {
    const u = (k / (n - 1) - 0.5) * W;
    const px: [number, number, number, number][] = [];
    // Above the lashes, liner and crease shadow when their band is known: they are not the lid's skin.
    const end = Math.max(vTop + 1, rig.upperLid[k] - (lashBand ? lashBand[k] : 0));
    for (let v = vTop; v < end; v += 0.5) {
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

const toneAt = (tone: Float32Array, width: number, u: number, ch: number): number => {
  const n = tone.length / 3;
  const pos = clamp((u / width + 0.5) * (n - 1), 0, n - 1);
  const i = Math.min(n - 2, Math.floor(pos)), t = pos - i;
  return tone[3 * i + ch] + (tone[3 * (i + 1) + ch] - tone[3 * i + ch]) * t;
};

/** Sets this frame's lid closure (0 open .. 1 closed), gaze (-1..1 per axis, +y down) and brow raise (0..1). */
export function updateEyeInPlace(w: EyeWarp, blink: number, gazeX: number, gazeY: number, browRaise = 0): void {
  w.browLift = clamp(browRaise, 0, 1) * EYE.browLift * w.rig.width;
  const gy = clamp(gazeY, -1, 1);
  w.blink = clamp(clamp(blink, 0, 1) + EYE.lidFollow * Math.max(0, gy), 0, 1);
  w.shiftU = clamp(gazeX, -1, 1) * EYE.gazeTravelX * w.irisWidth;
  const aperture = Math.max(0, ...w.rig.lowerLid.map((l, k) => l - w.rig.upperLid[k]));
  w.shiftV = gy * EYE.gazeTravelY * aperture;
}

/** Box (base-frame pixels) of the area the eye warp can change. */
export const eyeBox = (w: EyeWarp): Rect => w.bounds;

/** Traces base-frame point (x, y) back through the eye warp into s.x/s.y, with lash darkening in s.dark. */
/**
 * Brow and forehead (v above the lid skin): lifted most across the brow, nothing at the lid
 * skin, the hairline and past the brow's ends, so it joins the lid warp and the still skin
 * around without a seam.
 */
function mapBrow(w: EyeWarp, x: number, y: number, u: number, v: number, s: PixelSource): void {
  if (w.browLift === 0 || v <= w.vBrow) return;
  const rig = w.rig, W = rig.width;
  const along = 1 - smoothstep(0.5 * W, EYE.browHalfLength * W, Math.abs(u));
  const up = smoothstep(w.vTop, w.vTop - 0.35 * W, v) * (1 - smoothstep(w.vTop - 0.7 * W, w.vBrow, v));
  const lift = w.browLift * along * up;
  if (lift === 0) return;
  // Sampling from further down the face moves the brow up.
  s.x = x - lift * rig.axis.y;
  s.y = y + lift * rig.axis.x;
}

/** The picture's luma (limited range) at the pixel nearest source point (x, y). */
function baseLuma(img: RgbImage, x: number, y: number): number {
  const xi = clamp(Math.round(x), 0, img.width - 1), yi = clamp(Math.round(y), 0, img.height - 1);
  const i = (yi * img.width + xi) * 3;
  return yuvOf(img.data[i], img.data[i + 1], img.data[i + 2])[0];
}

/** The closing lid's skin over what it unfolds (s.x, s.y): its tone and texture, fully where the picture differs from that tone. */
function lidCover(w: EyeWarp, u: number, cover: number, shade: number, texRow: number, s: PixelSource): void {
  const W = w.rig.width;
  const toneY = toneAt(w.lidTone, W, u, 0);
  const srcY = baseLuma(w.base, s.x, s.y);
  s.cover = cover * (EYE.lidCover + (1 - EYE.lidCover) * clamp(Math.abs(toneY - srcY) / EYE.lidCoverDark, 0, 1));
  const detail = w.lidTexture[texRow * w.texCols + clamp(Math.round(u + W / 2), 0, w.texCols - 1)];
  s.cy = 16 + (toneY + detail - 16) * shade;
  s.cu = toneAt(w.lidTone, W, u, 1);
  s.cv = toneAt(w.lidTone, W, u, 2);
}

/** The lash line: what is squeezed into it darkened to lashTone x the lid's tone where it is lighter (dark lashes are left as they are). */
function lashLine(w: EyeWarp, u: number, cover: number, s: PixelSource): void {
  const W = w.rig.width;
  const lashY = 16 + (toneAt(w.lidTone, W, u, 0) - 16) * EYE.lashTone;
  s.cover = cover * clamp((baseLuma(w.base, s.x, s.y) - lashY) / EYE.lidCoverDark, 0, 1);
  s.cy = lashY;
  s.cu = 128 + (toneAt(w.lidTone, W, u, 1) - 128) * EYE.lashTone;
  s.cv = 128 + (toneAt(w.lidTone, W, u, 2) - 128) * EYE.lashTone;
}

export function mapEye(w: EyeWarp, x: number, y: number, s: PixelSource): void {
  const rig = w.rig;
  const half = rig.width / 2;
  const ax = rig.axis.x, ay = rig.axis.y;
  const dx = x - rig.center.x, dy = y - rig.center.y;
  const u = dx * ax + dy * ay;
  const v = dy * ax - dx * ay;
  s.x = x; s.y = y; s.dark = 1; s.cover = 0;
  if (v <= w.vTop) {
    mapBrow(w, x, y, u, v, s);
    return;
  }
  if (u <= -half || u >= half || v >= w.vBottom) return;
  const up = profileAt(rig.upperLid, rig.width, u);
  const low = profileAt(rig.lowerLid, rig.width, u);
  const b = w.blink;
  const lidEdge = up + b * EYE.closeReach * Math.max(0, low - up);
  let us = u, vs = v;
  let shade = 1, cover = 0, texRow = 0, lashCover = 0;
  if (v < lidEdge && lidEdge > up) {
    // The lid: skin above, the lash line at its edge. Lash band `lash` (source) is squeezed to
    // `line` (drawn); the skin above it, source [vTop, lashTop], unfolds over [vTop, skinEnd].
    // Squeezed as far as the lid has travelled here: not at the corners, where it barely moves.
    const travel = clamp((lidEdge - up) / (EYE.closeReach * w.aperture), 0, 1);
    const lash = profileAt(w.lashBand, rig.width, u);
    const line = lash + travel * (EYE.lashClosed * w.irisWidth - lash);
    const lashTop = up - lash, skinEnd = lidEdge - Math.max(0.5, line);
    if (v >= skinEnd) {
      vs = lashTop + ((v - skinEnd) * lash) / Math.max(0.5, line);
      // The lash roots' row at the edge is the lash line; above it, where the lid has not travelled
      // far and the squeezed band is still thick, the band is covered as the lid's skin at its edge.
      const root = clamp(1 + EYE.lashClosed * w.irisWidth - (lidEdge - v), 0, 1);
      if (root > 0) lashCover = travel * root;
      else { cover = travel; shade = 1 - EYE.lidShade * travel; }
    } else {
      const from = lashTop - w.vTop, to = skinEnd - w.vTop;
      const t = (v - w.vTop) / to;
      // g(t) = a t + (1 - a) t^2: identity near the brow while the lid is short, the stretch
      // gathering towards the edge, monotonic while a < 2.
      const a = Math.min(to / Math.max(1e-3, from), EYE.unfoldTop);
      vs = w.vTop + from * (a * t + (1 - a) * t * t);
      shade = 1 - EYE.lidShade * travel * smoothstep(1 - EYE.lidShadeSpan, 1, t);
      cover = travel * smoothstep(0, 0.3, t);
      // The texture's rows mirrored down the lid: its detail keeps its scale, unstretched.
      texRow = Math.floor(v - w.vTop) % (2 * w.texRows);
      if (texRow >= w.texRows) texRow = 2 * w.texRows - 1 - texRow;
    }
  } else if (v > up && v < low) {
    // Eyeball content: shift most in the eye's middle, not at all at its own corners (nor past
    // them, over what the lids were widened over); stay inside the lids.
    const du = u - w.irisU;
    let k = 0;
    if (Math.abs(du) < w.irisWidth / 2) { const c = Math.cos((Math.PI * du) / w.irisWidth); k = c * c; }
    us = u - w.shiftU * k;
    vs = clamp(v - w.shiftV * k, Math.min(v, up + 0.5), Math.max(v, low - 0.5));
  }
  s.x = rig.center.x + us * ax - vs * ay;
  s.y = rig.center.y + us * ay + vs * ax;
  s.dark = shade;
  if (cover > 0) lidCover(w, u, cover, shade, texRow, s);
  else if (lashCover > 0) lashLine(w, u, lashCover, s);
  const lash = Math.max(1, EYE.lashWidth * w.irisWidth);
  // Lashes only darken a lid that is really coming down: a lid contour that does not quite fit
  // (cartoon eyes) must not grow a dark line while the eye is open.
  const lashing = smoothstep(0.2, 0.6, b);
  if (lashing > 0 && v < lidEdge + 0.5 && v > lidEdge - lash) {
    s.dark = shade * (1 - EYE.lashDarken * lashing * (1 - (lidEdge - v) / lash) * clamp((low - up) / 2, 0, 1));
  }
}
