// The face as the picture shows it, before it is rigged: what the landmarks alone do not say. Pure.
import type { FaceLandmarks, RgbImage } from '../../core/types.js';
import { withEyesOnIrises } from './eye-place.js';
import { withOpenMouth } from './open-mouth.js';
import { eyesBehindLenses } from './plausible.js';
import { eyeOpenings } from './rig.js';
import { withRoundEyes } from './round-eyes.js';

/**
 * Eyes open less than this (lid gap over eye width) are shut in the picture: a sleeping or
 * meditating face, a smile with the eyes closed. The fixtures' open eyes measure 0.22 (a broad
 * smile's squint) to 0.56; a shut eye 0.05-0.07. Blinking them only moved their lash lines.
 */
export const SHUT_EYE_OPENING = 0.12;

/**
 * Faces laid out from a few points carry human eyes; an animal's or a drawing's round eyes are
 * measured in the picture so that blinks close them whole. Their lips are laid out closed: a
 * mouth the picture shows open is found in its pixels, so that silence closes it. A face mesh's
 * eye laid where the picture shows no iris is moved onto the iris beside it, and eyes behind dark
 * glasses or shut in the picture are marked hidden: there is nothing of them to move (a drawing's
 * plain black eyes, laid out from points, are not lenses).
 */
export function fitToPicture(face: FaceLandmarks, image: RgbImage): FaceLandmarks {
  if (face.method === 'points' || face.method === 'cat-cascade') return withOpenMouth(withRoundEyes(face, image), image);
  const placed = withEyesOnIrises(face, image);
  const shut = eyeOpenings(placed.points).every((o) => o < SHUT_EYE_OPENING);
  return shut || eyesBehindLenses(placed, image) ? { ...placed, eyesHidden: true } : placed;
}
