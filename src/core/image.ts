// Reading pixels of the RGB pictures the stages pass around.
import { clamp } from './geometry.js';
import type { RgbImage } from './types.js';

/** BT.601 luma of the pixel nearest (x, y), the picture's edge held beyond it. */
export function lumaAt(img: RgbImage, x: number, y: number): number {
  const xi = clamp(Math.round(x), 0, img.width - 1), yi = clamp(Math.round(y), 0, img.height - 1);
  const i = (yi * img.width + xi) * 3;
  return 0.299 * img.data[i] + 0.587 * img.data[i + 1] + 0.114 * img.data[i + 2];
}
