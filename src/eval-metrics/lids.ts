// The blink check: in a frame where the eyes are shut, does the closed lid look like lid skin?
// Compares the eye opening (what the lid now covers, above the lash line at its edge) in the
// closed frame with the lid skin above the same eye in an open frame (the pixels between the
// lashes and the brow that are skin, as src/render/lid-skin.ts tells them from brow hair, liner,
// lashes and crease shadow: the renderer's closed lid is made from the same reading; an animal's
// or a drawing's, fur or paint, the band's brighter two thirds, and as far as the skin under the
// eye, which a drawn lid's tone reaches at its edge): brightness, colour, and fine texture. A lid
// made of lashes and shadow stretched over the eye is darker and browner than that skin; a lid
// made of skin is not. Pure.
import type { EyeRig, Point } from '../core/types.js';
import { measureLidSkin } from '../render/lid-skin.js';
import { profileAt } from '../render/sample.js';
import { EYE } from '../render/eye-config.js';

/** How far above the lid the skin band starts, x eye width (the renderer's lid skin reaches as far). */
const SKIN_ABOVE = 0.38;
/** Middle share of the eye's width measured: the corners barely close. */
const ACROSS = 0.6;
/** Share of the opening measured from the upper lid down: the lash line lies below it. */
const DOWN = 0.6;
/** An animal's or a drawing's lid skin (fur, paint): the band above the lashes, from this far above the upper lid line (x eye width), its brighter two thirds. */
const LASHES = 0.1;

export interface LidFigures {
  /**
   * Mean luma of the covered opening over that of the lid skin (1 = as bright; a smear is well
   * under); an animal's or a drawing's: over that of the nearest colour from the band above's to
   * the skin's under the eye.
   */
  readonly lumaRatio: number;
  /** Distance between their mean colours (or to that nearest colour), levels of 255 (RGB Euclidean). */
  readonly colourDiff: number;
  /** Fine texture (mean absolute step between horizontal neighbours) of the opening over the skin's. */
  readonly textureRatio: number;
}

interface Stats { n: number; r: number; g: number; b: number; l: number; step: number; steps: number }

/** Mean colour, luma and horizontal step of the pixels of `rgb` whose local eye coordinates pass `inside`. */
function regionStats(rgb: Uint8Array, width: number, height: number, eye: EyeRig, shift: Point, region: (u: number, v: number) => boolean, brightHalf = false): Stats {
  const s: Stats = { n: 0, r: 0, g: 0, b: 0, l: 0, step: 0, steps: 0 };
  const reach = eye.width;
  const cx = eye.center.x + shift.x, cy = eye.center.y + shift.y, ax = eye.axis.x, ay = eye.axis.y;
  const x0 = Math.max(0, Math.floor(cx - reach)), x1 = Math.min(width - 2, Math.ceil(cx + reach));
  const y0 = Math.max(0, Math.floor(cy - reach)), y1 = Math.min(height - 1, Math.ceil(cy + reach));
  const lum = (i: number) => 0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2];
  // The skin of a band that may hold brow hair, a crease or lashes: its brighter two thirds.
  let floor = -1;
  if (brightHalf) {
    const all: number[] = [];
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) {
      const dx = x - cx, dy = y - cy;
      if (region(dx * ax + dy * ay, dy * ax - dx * ay)) all.push(lum((y * width + x) * 3));
    }
    all.sort((p, q) => p - q);
    floor = all.length ? all[Math.floor(all.length / 3)] : -1;
  }
  const inside = (u: number, v: number): boolean => {
    if (!region(u, v)) return false;
    if (floor < 0) return true;
    const x = Math.round(cx + u * ax - v * ay), y = Math.round(cy + u * ay + v * ax);
    return lum((y * width + x) * 3) >= floor;
  };
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x - cx, dy = y - cy;
      const u = dx * ax + dy * ay, v = dy * ax - dx * ay;
      if (!inside(u, v)) continue;
      const i = (y * width + x) * 3;
      s.n++; s.r += rgb[i]; s.g += rgb[i + 1]; s.b += rgb[i + 2]; s.l += lum(i);
      if (inside(u + ax, v - ay)) { s.step += Math.abs(lum(i + 3) - lum(i)); s.steps++; }
    }
  }
  return s;
}

/** Mean colour, luma and horizontal step of the pixels `pixels` (y * width + x) of `rgb`. */
function pixelStats(rgb: Uint8Array, width: number, pixels: Int32Array): Stats {
  const s: Stats = { n: 0, r: 0, g: 0, b: 0, l: 0, step: 0, steps: 0 };
  const set = new Set(pixels);
  const lum = (i: number) => 0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2];
  for (const p of pixels) {
    const i = p * 3;
    s.n++; s.r += rgb[i]; s.g += rgb[i + 1]; s.b += rgb[i + 2]; s.l += lum(i);
    if ((p + 1) % width !== 0 && set.has(p + 1)) { s.step += Math.abs(lum(i + 3) - lum(i)); s.steps++; }
  }
  return s;
}

/**
 * Lid figures for one eye: `closed` is a frame with the eye shut, `open` one with it open (both
 * rgb24, width x height); `eye` is the eye as rigged, `shift` where the face has moved to in the
 * closed frame relative to the open one (px). `furred`: an animal's or a drawing's eye, whose lid
 * is fur or paint, not skin with a brow's hair over it: its lid skin is the band above the
 * lashes' brighter two thirds, and the lid may be of any colour from that band's to the skin's
 * under the eye (a drawn eye's lid goes from one to the other, eye-config.ts drawnLidLift).
 * `lowerRise`: the share of the closing an animal's lower lid makes (EYE.lowerRise): the upper
 * lid, and so what is measured, covers the rest of the opening.
 */
export function lidFigures(closed: Uint8Array, open: Uint8Array, width: number, height: number, eye: EyeRig, shift: Point = { x: 0, y: 0 }, furred = false, lowerRise = 0): LidFigures | null {
  const half = (ACROSS * eye.width) / 2;
  const top = Math.min(...eye.upperLid) - SKIN_ABOVE * eye.width;
  const opening = (u: number, v: number): boolean => {
    if (Math.abs(u) > half) return false;
    const up = profileAt(eye.upperLid, eye.width, u), low = profileAt(eye.lowerLid, eye.width, u);
    return v > up + 0.5 && v < up + DOWN * (1 - lowerRise) * (low - up);
  };
  // The lid skin between the brow and the lashes, across the eye: a human's with brow hair,
  // liner, lashes and crease shadow left out; an animal's or a drawing's the band's brighter part.
  const a = regionStats(closed, width, height, eye, shift, opening);
  const band = (u: number, v: number): boolean => Math.abs(u) <= half && v >= top && v < profileAt(eye.upperLid, eye.width, u) - LASHES * eye.width;
  const b = furred ? regionStats(open, width, height, eye, { x: 0, y: 0 }, band, true) : pixelStats(open, width, measureLidSkin({ data: open, width, height }, eye, top).pixels);
  if (a.n < 4 || b.n < 4 || a.steps === 0 || b.steps === 0) return null;
  const mean = (s: Stats) => [s.r / s.n, s.g / s.n, s.b / s.n, s.l / s.n];
  const lid = mean(a);
  let skin = mean(b);
  if (furred) {
    const under = (u: number, v: number): boolean => {
      if (Math.abs(u) > half) return false;
      const low = profileAt(eye.lowerLid, eye.width, u);
      return v > low + EYE.belowSkinFrom * eye.width && v < low + EYE.belowSkinTo * eye.width;
    };
    const c = regionStats(open, width, height, eye, { x: 0, y: 0 }, under, true);
    if (c.n >= 4) skin = nearestOnSegment(lid, skin, mean(c));
  }
  return {
    lumaRatio: lid[3] / Math.max(1, skin[3]),
    colourDiff: Math.hypot(lid[0] - skin[0], lid[1] - skin[1], lid[2] - skin[2]),
    textureRatio: a.step / a.steps / Math.max(0.25, b.step / b.steps),
  };
}

/** The point of segment p..q (r, g, b, luma) nearest to `x` in colour (its luma goes with it). */
function nearestOnSegment(x: number[], p: number[], q: number[]): number[] {
  const d = [0, 1, 2].map((i) => q[i] - p[i]);
  const len2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
  const t = len2 > 0 ? Math.min(1, Math.max(0, ((x[0] - p[0]) * d[0] + (x[1] - p[1]) * d[1] + (x[2] - p[2]) * d[2]) / len2)) : 0;
  return p.map((v, i) => v + t * (q[i] - v));
}
