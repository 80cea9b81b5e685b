/**
 * Where one output pixel comes from: a point of the base frame, optionally covered by a drawn
 * colour (mouth interior) and darkened (lash line). Reused for every pixel to avoid allocation.
 */
export interface PixelSource {
  x: number;
  y: number;
  /** 0 = the sampled base colour; 1 = the drawn colour (cy, cu, cv) only. */
  cover: number;
  cy: number;
  cu: number;
  cv: number;
  /** Luma multiplier (1 = unchanged). */
  dark: number;
  /**
   * A closing human lid's pixel (eyes.ts mapEye): its luma is the mean of three rows through it
   * (pixels.ts), traced from (qx, qy) (the point the head motion brought it to) through eye `eye`.
   */
  split: boolean;
  eye: number;
  qx: number;
  qy: number;
}

export const newPixelSource = (): PixelSource => ({ x: 0, y: 0, cover: 0, cy: 0, cu: 128, cv: 128, dark: 1, split: false, eye: 0, qx: 0, qy: 0 });
