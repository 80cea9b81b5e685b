// The face as the picture shows it, before it is rigged: what the landmarks alone do not say. Pure.
import type { FaceLandmarks, RgbImage } from '../../core/types.js';
import { withEyesOnIrises } from './eye-place.js';
import { withOpenMouth } from './open-mouth.js';
import { eyesBehindLenses } from './plausible.js';
import { eyeOpenings, eyesOf } from './rig.js';
import { withRoundEyes } from './round-eyes.js';

/**
 * Eyes open less than this (lid gap over eye width) are shut in the picture: a sleeping or
 * meditating face, a smile with the eyes closed. The fixtures' open eyes measure 0.22 (a broad
 * smile's squint) to 0.56; a shut eye 0.05-0.07. Blinking them only moved their lash lines.
 */
export const SHUT_EYE_OPENING = 0.12;

/**
 * How far round an eye, x its width, a blink moves the picture: along the eye line either way
 * (the lids widened over an outline past the corners, render/eye-outline.ts) and up to the lid
 * skin under the brow and down past the lower lid.
 */
export const EYE_REACH = Object.freeze({ along: 0.9, up: 0.7, down: 0.45 });

/**
 * Whether an eye's reach leaves the picture: a face cut by the picture's edge through an eye. A
 * lid closing there was drawn as a patch of skin out in the margin beside the picture.
 */
export function eyesCutByEdge(points: Float32Array, width: number, height: number): boolean {
  const R = EYE_REACH;
  return eyesOf(points).some(({ center: c, axis: a, width: W }) =>
    [[-R.along, -R.up], [R.along, -R.up], [-R.along, R.down], [R.along, R.down]].some(([u, v]) => {
      const x = c.x + W * (u * a.x - v * a.y), y = c.y + W * (u * a.y + v * a.x);
      return x < 0 || y < 0 || x > width || y > height;
    }));
}

/**
 * Faces laid out from a few points carry human eyes; an animal's or a drawing's round eyes are
 * measured in the picture so that blinks close them whole. Their lips are laid out closed: a
 * mouth the picture shows open is found in its pixels, so that silence closes it. A face mesh's
 * eye laid where the picture shows no iris is moved onto the iris beside it, and eyes behind dark
 * glasses or shut in the picture are marked hidden: there is nothing of them to move (a drawing's
 * plain black eyes, laid out from points, are not lenses); so are eyes the picture's edge cuts
 * through, with no picture round them to close a lid from.
 */
export function fitToPicture(face: FaceLandmarks, image: RgbImage): FaceLandmarks {
  if (face.method === 'points' || face.method === 'cat-cascade' || face.method === 'animal-eyes') return withOpenMouth(withRoundEyes(face, image), image);
  const placed = withEyesOnIrises(face, image);
  const shut = eyeOpenings(placed.points).every((o) => o < SHUT_EYE_OPENING);
  const hidden = shut || eyesBehindLenses(placed, image) || eyesCutByEdge(placed.points, image.width, image.height);
  return hidden ? { ...placed, eyesHidden: true } : placed;
}
