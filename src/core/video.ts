// Fixed properties of every video the product makes (see the product spec: 720p, 25 fps, <= 3 min).

/** How the picture becomes the frame: see `planLayout` (render/layout.ts). */
export const RESIZE_MODES = ['adaptive', 'fixedMinSide'] as const;

export const VIDEO = Object.freeze({
  fps: 25,
  /** Output of resizeMode adaptive. */
  width: 1280,
  height: 720,
  /** Short side of resizeMode fixedMinSide. */
  minSide: 720,
  minDurationSeconds: 1,
  maxDurationSeconds: 180,
  /** fixedMinSide refuses images more elongated than this (long side / short side). */
  maxAspect: 3,
  /** Images smaller than this on their short side carry too little face to animate. */
  minImageSide: 64,
});
