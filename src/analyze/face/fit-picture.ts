// The face as the picture shows it, before it is rigged: what the landmarks alone do not say. Pure.
import type { FaceLandmarks, RgbImage } from '../../core/types.js';
import { withEyesOnIrises } from './eye-place.js';
import { withOpenMouth } from './open-mouth.js';
import { eyesBehindLenses } from './plausible.js';
import { withRoundEyes } from './round-eyes.js';

/**
 * Faces laid out from a few points carry human eyes; an animal's or a drawing's round eyes are
 * measured in the picture so that blinks close them whole. Their lips are laid out closed: a
 * mouth the picture shows open is found in its pixels, so that silence closes it. A face mesh's
 * eye laid where the picture shows no iris is moved onto the iris beside it, and eyes behind dark
 * glasses are marked hidden (a drawing's plain black eyes, laid out from points, are not lenses).
 */
export function fitToPicture(face: FaceLandmarks, image: RgbImage): FaceLandmarks {
  if (face.method === 'points' || face.method === 'cat-cascade') return withOpenMouth(withRoundEyes(face, image), image);
  const placed = withEyesOnIrises(face, image);
  return eyesBehindLenses(placed, image) ? { ...placed, eyesHidden: true } : placed;
}
