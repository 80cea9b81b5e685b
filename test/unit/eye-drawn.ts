// What the eye tests share: the synthetic eye cards and rig, and what they read back from a warped eye (a base point traced through the eye warp).
import type { EyeRig, RgbImage } from '../../src/core/types.js';
import { PROFILE_SAMPLES } from '../../src/analyze/face/rig.js';
import type { prepareEye } from '../../src/render/eye-prepare.js';
import { mapEye } from '../../src/render/eyes.js';
import { newPixelSource } from '../../src/render/map.js';

export const luma = (r: number, g: number, b: number): number => 0.299 * r + 0.587 * g + 0.114 * b;

/** Luma at base point (x, y) traced through the eye warp, as the renderer draws it (nearest pixel, darkening and cover). */
export function drawn(img: RgbImage, w: ReturnType<typeof prepareEye>, x: number, y: number): number {
  const s = newPixelSource();
  mapEye(w, x, y, s);
  const i = (Math.round(s.y) * img.width + Math.round(s.x)) * 3;
  let l = luma(img.data[i], img.data[i + 1], img.data[i + 2]) * s.dark;
  if (s.cover > 0) l += ((s.cy - 16) * (255 / 219) - l) * s.cover;
  return l;
}

/** The synthetic eye's picture size, width, centre and skin. */
export const SYNTHETIC = Object.freeze({ W: 120, H: 100, EW: 40, cx: 60, cy: 55, skin: [205, 160, 140] as const });
type Rgb = readonly [number, number, number];
/** A lid profile `depth` px from the eye's line at its middle, a half sine across. */
export const lidProfile = (depth: number) => Float32Array.from({ length: PROFILE_SAMPLES }, (_, k) => depth * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1)));
/** The synthetic eye's rig: lids 8 px above and 7 px below its centre line at the middle. */
export const syntheticRig: EyeRig = { center: { x: SYNTHETIC.cx, y: SYNTHETIC.cy }, axis: { x: 1, y: 0 }, width: SYNTHETIC.EW, upperLid: lidProfile(-8), lowerLid: lidProfile(7), iris: null };

/**
 * A synthetic human eye on skin: a white eye with a dark iris between the lids, a 3 px band of
 * dark lashes at the upper lid line; `above(u, v, up)` colours what lies above the lashes (u, v
 * from the eye's centre, `up` the upper lid line there), null for skin.
 */
export function syntheticEye(above: (u: number, v: number, up: number) => Rgb | null): RgbImage {
  const { W, H, EW, cx, cy, skin } = SYNTHETIC;
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const u = x - cx, v = y - cy;
      const s = Math.abs(u) < EW / 2 ? Math.sin(Math.PI * (u / EW + 0.5)) : 0;
      const up = -8 * s, low = 7 * s;
      let c: Rgb = skin;
      if (Math.abs(u) < EW / 2 && v > up && v < low) c = Math.hypot(u, v) < 7 ? [50, 35, 25] : [232, 230, 228];
      else if (Math.abs(u) < EW / 2 && v <= up && v > up - 3) c = [35, 25, 25];
      else c = above(u, v, up) ?? skin;
      data.set(c, (y * W + x) * 3);
    }
  }
  return { data, width: W, height: H };
}

/** Skin, a 4 px band of dark lashes and liner above the upper lid, a white eye with a dark iris. */
export function eyeCard(): RgbImage {
  const { W, H, EW } = SYNTHETIC;
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const u = x - 60, v = y - 55;
      const k = ((u / EW + 0.5) * (PROFILE_SAMPLES - 1));
      const inside = Math.abs(u) < EW / 2;
      const up = inside ? -8 * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1)) : 0, low = inside ? 7 * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1)) : 0;
      let c: Rgb = SYNTHETIC.skin;
      if (inside && v > up && v < low) c = Math.hypot(u, v) < 7 ? [50, 35, 25] : [232, 230, 228];
      else if (inside && v <= up && v > up - 4) c = [35, 25, 25];
      data.set(c, (y * W + x) * 3);
    }
  }
  return { data, width: W, height: H };
}

/** Fur around a round, dark eye (radius 16 at (60, 52)) with a highlight: an animal's eye, no white. */
export function darkEyeCard(): RgbImage {
  const { W, H } = SYNTHETIC;
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const r = Math.hypot(x - 60, y - 52);
    const c: [number, number, number] = r < 3 && x > 62 ? [240, 240, 240] : r < 16 ? [20, 14, 10] : [200 + ((x * 7 + y * 3) % 9), 150, 100];
    data.set(c, (y * W + x) * 3);
  }
  return { data, width: W, height: H };
}
