// The five points of a cat's face from a cat-face cascade box, so a cat the face model cannot fit
// still talks (through landmarksFromPoints). Pure.
import type { FacePoints, Point } from '../../core/types.js';
import { viewToSource } from './view.js';

/**
 * Where a cat's features sit in the cascade's square, as fractions of its side from its top-left
 * corner, with the picture turned so the box is upright. Measured on test/fixtures/images/
 * animal-cat.jpg (box centre 532,488, side 526, turned 18 degrees; eyes 414,480 and 630,416,
 * mouth corners 540,630 and 612,630): eyes at (0.29, 0.42) and (0.72, 0.43), mouth corners at
 * (0.43, 0.76) and (0.56, 0.80); made symmetric. The cascades were trained on boxes drawn the
 * same way (ears to chin), so other cats' features land near these.
 */
export const CAT_FACE = {
  leftEye: { x: 0.29, y: 0.42 },
  rightEye: { x: 0.71, y: 0.42 },
  mouthLeft: { x: 0.43, y: 0.78 },
  mouthRight: { x: 0.57, y: 0.78 },
} as const;

/** Points of the cat face in the square at `center` of side `side`, upright when turned by `angle` degrees (ViewSpec). */
export function catFacePoints(box: { center: Point; side: number; angle: number }): FacePoints {
  const spec = { center: box.center, side: box.side, angle: box.angle, size: 1 };
  const at = (q: Point) => viewToSource(spec, q);
  return { leftEye: at(CAT_FACE.leftEye), rightEye: at(CAT_FACE.rightEye), mouthLeft: at(CAT_FACE.mouthLeft), mouthRight: at(CAT_FACE.mouthRight) };
}
