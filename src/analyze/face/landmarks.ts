// MediaPipe FaceMesh landmark indices the rig uses (canonical face mesh topology,
// google/mediapipe `face_mesh_connections`). Image-left is the subject's right.
export const LM = Object.freeze({
  mouthCornerLeft: 61,
  mouthCornerRight: 291,
  /** Inner lip contours, image-left corner to image-right corner. */
  innerUpper: [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308],
  innerLower: [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308],
  noseBase: 2,
  chin: 152,
  forehead: 10,
  cheekLeft: 234,
  cheekRight: 454,
  /** Outer lip edges at the centre. */
  upperLipTop: 0,
  lowerLipBottom: 17,
  /** Iris centres (468-472 and 473-477 are the two irises; which is which is matched by distance). */
  irisCenters: [468, 473],
  jawLeft: 58,
  jawRight: 288,
  /** Eyes in image order; lids run from the image-left corner to the image-right corner. */
  eyes: [
    {
      upper: [33, 246, 161, 160, 159, 158, 157, 173, 133],
      lower: [33, 7, 163, 144, 145, 153, 154, 155, 133],
    },
    {
      upper: [362, 398, 384, 385, 386, 387, 388, 466, 263],
      lower: [362, 382, 381, 380, 374, 373, 390, 249, 263],
    },
  ],
});

export const LANDMARK_COUNT = 478;

/**
 * An eye's centre: the mean of its lid contours (not the corners' midpoint, which sits low on
 * a hooded or round eye). The few-point template, its reports and the round eyes all use it.
 */
export function eyeCentre(points: Float32Array, eye: { readonly upper: readonly number[]; readonly lower: readonly number[] }): { x: number; y: number } {
  const idx = [...eye.upper, ...eye.lower];
  let x = 0, y = 0;
  for (const i of idx) { x += points[2 * i] / idx.length; y += points[2 * i + 1] / idx.length; }
  return { x, y };
}
