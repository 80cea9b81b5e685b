// Eyes by warping the real image. Gaze: inside the lid aperture the eyeball content (iris and
// sclera) shifts, most at the middle and not at all at the corners, so the iris slides under
// the lids. Blink: the skin of the upper lid, between the lid edge and a little below the brow,
// is stretched down over the eye while the eye stays put (it disappears under the lid instead
// of being squashed), with a soft lash line at the moving edge; looking down lowers the lid a
// little, as real lids follow the eye. Brow: above the lid skin, brow and the forehead below it
// lift on a raise, fading out towards the hairline and beyond the brow's ends. Pure.
import { clamp, smoothstep } from '../core/geometry.js';
import type { EyeRig, Rect, RgbImage } from '../core/types.js';
import type { PixelSource } from './map.js';
import { localBox, profileAt } from './sample.js';

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
  blink: number;
  browLift: number;
  shiftU: number;
  shiftV: number;
}

export function prepareEye(base: RgbImage, rig: EyeRig): EyeWarp {
  const half = rig.width / 2;
  const vTop = Math.min(...rig.upperLid) - EYE.skinAbove * rig.width;
  const vBottom = Math.max(...rig.lowerLid) + 0.1 * rig.width + 1;
  const vBrow = vTop - EYE.browReach * rig.width;
  const across = Math.max(half, EYE.browHalfLength * rig.width);
  const box = (u0: number, u1: number, v0: number, v1: number): Rect => localBox(rig.center, rig.axis, u0, u1, v0, v1, base.width, base.height, 1);
  return {
    rig, vTop, vBottom, vBrow,
    bounds: box(-across, across, vBrow, vBottom),
    lidBounds: box(-half, half, vTop, vBottom),
    blink: 0, browLift: 0, shiftU: 0, shiftV: 0,
  };
}

/** Sets this frame's lid closure (0 open .. 1 closed), gaze (-1..1 per axis, +y down) and brow raise (0..1). */
export function updateEyeInPlace(w: EyeWarp, blink: number, gazeX: number, gazeY: number, browRaise = 0): void {
  w.browLift = clamp(browRaise, 0, 1) * EYE.browLift * w.rig.width;
  const gy = clamp(gazeY, -1, 1);
  w.blink = clamp(clamp(blink, 0, 1) + EYE.lidFollow * Math.max(0, gy), 0, 1);
  w.shiftU = clamp(gazeX, -1, 1) * EYE.gazeTravelX * w.rig.width;
  const aperture = Math.max(0, ...w.rig.lowerLid.map((l, k) => l - w.rig.upperLid[k]));
  w.shiftV = gy * EYE.gazeTravelY * aperture;
}

/** Box (base-frame pixels) of the area the eye warp can change. */
export const eyeBox = (w: EyeWarp): Rect => w.bounds;

/** Traces base-frame point (x, y) back through the eye warp into s.x/s.y, with lash darkening in s.dark. */
export function mapEye(w: EyeWarp, x: number, y: number, s: PixelSource): void {
  const rig = w.rig;
  const half = rig.width / 2;
  const ax = rig.axis.x, ay = rig.axis.y;
  const dx = x - rig.center.x, dy = y - rig.center.y;
  const u = dx * ax + dy * ay;
  const v = dy * ax - dx * ay;
  s.x = x; s.y = y; s.dark = 1;
  if (v <= w.vTop) {
    // Brow and forehead: lifted most across the brow, nothing at the lid skin, the hairline and
    // past the brow's ends, so it joins the lid warp and the still skin around without a seam.
    if (w.browLift === 0 || v <= w.vBrow) return;
    const W = rig.width;
    const along = 1 - smoothstep(0.5 * W, EYE.browHalfLength * W, Math.abs(u));
    const up = smoothstep(w.vTop, w.vTop - 0.35 * W, v) * (1 - smoothstep(w.vTop - 0.7 * W, w.vBrow, v));
    const lift = w.browLift * along * up;
    if (lift === 0) return;
    // Sampling from further down the face moves the brow up.
    s.x = x - lift * rig.axis.y;
    s.y = y + lift * rig.axis.x;
    return;
  }
  if (u <= -half || u >= half || v >= w.vBottom) return;
  const up = profileAt(rig.upperLid, rig.width, u);
  const low = profileAt(rig.lowerLid, rig.width, u);
  const b = w.blink;
  const lidEdge = up + b * EYE.closeReach * Math.max(0, low - up);
  let us = u, vs = v;
  if (v < lidEdge && lidEdge > up) {
    vs = w.vTop + ((v - w.vTop) * (up - w.vTop)) / (lidEdge - w.vTop);
  } else if (v > up && v < low) {
    // Eyeball content: shift most in the middle, not at all at the corners; stay inside the lids.
    const c = Math.cos((Math.PI * u) / rig.width);
    const k = c * c;
    us = u - w.shiftU * k;
    vs = clamp(v - w.shiftV * k, Math.min(v, up + 0.5), Math.max(v, low - 0.5));
  }
  s.x = rig.center.x + us * ax - vs * ay;
  s.y = rig.center.y + us * ay + vs * ax;
  const lash = Math.max(1, EYE.lashWidth * rig.width);
  // Lashes only darken a lid that is really coming down: a lid contour that does not quite fit
  // (cartoon eyes) must not grow a dark line while the eye is open.
  const lashing = smoothstep(0.2, 0.6, b);
  if (lashing > 0 && v < lidEdge + 0.5 && v > lidEdge - lash) {
    s.dark = 1 - EYE.lashDarken * lashing * (1 - (lidEdge - v) / lash) * clamp((low - up) / 2, 0, 1);
  }
}
