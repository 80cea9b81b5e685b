// Whether a face is in a photo (or a painting), a drawing, or is an animal's: it decides how the
// mouth opens (render/mouth-interior.ts). Pure.
//
// Picture texture alone does not tell a drawing from a smooth photo: on the fixtures, the noise
// left in flat skin (second differences), the share of near-flat gradients and the number of
// distinct colours in the face put the anime girl and the 3D cartoon among the retouched photos
// (photo-woman-outdoors.jpg is as smooth as the anime girl). What does separate them is the face's
// drawn proportions, which the face model reproduces even as it pulls them towards a human's: a
// small mouth (mouth width / eye distance 0.62 and 0.67 against 0.72-1.18 on the photos and
// paintings) under wide-set eyes (eye distance / face height 0.44 and 0.42 against 0.29-0.37,
// and 0.43 on one photo, photo-full-body.png, whose mouth is 0.72). Both must hold.
import type { AvatarStyle, FaceLandmarks, MouthStyle } from '../../core/types.js';

/** Below this mouth width / eye distance and above this eye distance / face height a face is drawn. */
export const DRAWN = Object.freeze({ maxMouthToEyes: 0.7, minEyesToFace: 0.4 });

export interface StyleReading {
  readonly style: MouthStyle;
  /** How it was decided: 'given' (the spec or the avatar), 'animal' (a detector), 'proportions', 'default'. */
  readonly by: 'given' | 'animal' | 'proportions' | 'default';
  readonly mouthToEyes?: number;
  readonly eyesToFace?: number;
}

const dist = (p: Float32Array, a: number, b: number) => Math.hypot(p[2 * a] - p[2 * b], p[2 * a + 1] - p[2 * b + 1]);

/** Mouth width / eye distance and eye distance / face height of FaceMesh landmarks. */
export function faceProportions(points: Float32Array): { mouthToEyes: number; eyesToFace: number } {
  const p = points;
  const eye = (i: number, j: number) => [(p[2 * i] + p[2 * j]) / 2, (p[2 * i + 1] + p[2 * j + 1]) / 2];
  const [l, r] = [eye(33, 133), eye(362, 263)];
  const eyes = Math.max(1e-6, Math.hypot(l[0] - r[0], l[1] - r[1]));
  return { mouthToEyes: dist(p, 61, 291) / eyes, eyesToFace: eyes / Math.max(1e-6, dist(p, 10, 152)) };
}

/**
 * The mouth style for `face`: the one asked for (`wanted`, else the one kept with the face), else
 * read from it. Faces the face model did not fit on the whole picture (a head crop, a cat-face
 * box, points) are animals' and drawings' as often as not: without a style given they open as an
 * animal's (no teeth), as before styles existed.
 */
export function resolveStyle(wanted: AvatarStyle | undefined, face: FaceLandmarks): StyleReading {
  const given = wanted && wanted !== 'auto' ? wanted : face.style;
  if (given) return { style: given, by: 'given' };
  if (face.animal || (face.method ?? 'facemesh') !== 'facemesh') return { style: 'animal', by: face.animal ? 'animal' : 'default' };
  const { mouthToEyes, eyesToFace } = faceProportions(face.points);
  const drawn = mouthToEyes < DRAWN.maxMouthToEyes && eyesToFace > DRAWN.minEyesToFace;
  return { style: drawn ? 'drawing' : 'photo', by: 'proportions', mouthToEyes, eyesToFace };
}
