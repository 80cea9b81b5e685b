// What the eye tests read back from a warped eye: a base point traced through the eye warp.
import type { RgbImage } from '../../src/core/types.js';
import type { prepareEye } from '../../src/render/eyes.js';
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
