// What the face-check thread answers: the faces in an image and the frames the renderer would
// cut from it, so the console previews exactly what the video will show.
import type { FaceMethod, FaceSummary, Rect } from '../core/types.js';

export interface FaceCheckLayout {
  readonly width: number;
  readonly height: number;
  /** Window of the source image (image pixels) that fills the frame; may extend past the image. */
  readonly crop: Rect;
  /** The window extends past the image and the margin is filled. */
  readonly padded: boolean;
}

export interface FaceCheckResult {
  readonly found: boolean;
  /** The face that will be animated when one speech is given (`faces[main]`), or null. */
  readonly box: Rect | null;
  /** The animated face's method, confidence and points (eyes, mouth corners, chin), or null. */
  readonly face: FaceSummary | null;
  /** Every face, numbered left to right: the numbers speakers name. */
  readonly faces: readonly { readonly index: number; readonly box: Rect; readonly method: FaceMethod; readonly score: number }[];
  /** The number of the face that speaks when one speech is given; null when none was found. */
  readonly main: number | null;
  readonly width: number;
  readonly height: number;
  readonly layouts: { readonly adaptive: FaceCheckLayout; readonly fixedMinSide: FaceCheckLayout | null };
  /** Why resizeMode fixedMinSide cannot take this image (too elongated), or null. */
  readonly fixedMinSideError: { readonly code: number; readonly message: string } | null;
}
