// The speakers of a render request (pipeline/speakers.ts), as the request carries them, and
// their shape check at the boundary.
import { DhError, invalidArgument } from '../core/errors.js';
import type { FacePoints, PhonemeEvent } from '../core/types.js';
import { checkFacePoints } from '../analyze/face/index.js';

/** One part of a dialogue: whose face speaks, and what. */
export interface SpeakerRequest {
  /** Face number, left to right by the centre of the face boxes (see analyze/face/number.ts). */
  readonly face?: number;
  /** The speaking face marked by hand, for faces no detector finds; instead of `face`. */
  readonly facePoints?: FacePoints;
  /** Local path or http(s) URL of this speaker's speech; starts at 0 on the video's timeline. */
  readonly audio: string;
  /** Phoneme timeline of that audio when it was synthesized from text. */
  readonly phonemes?: readonly PhonemeEvent[];
}

export const SPEAKER_LIMITS = Object.freeze({ max: 6 });

/** Checks the speakers' shape (before any input is read); `field` prefixes the names in errors. */
export function validateSpeakers(speakers: readonly SpeakerRequest[], field = 'speakers'): void {
  if (speakers.length === 0) throw invalidArgument(field, 'is empty', 'Give one speaker per speaking face, e.g. [{ face: 0, audio }, { face: 1, audio }], or leave it out.');
  if (speakers.length > SPEAKER_LIMITS.max) throw invalidArgument(field, `has ${speakers.length} speakers`, `Give at most ${SPEAKER_LIMITS.max}.`);
  speakers.forEach((s, i) => {
    if (!s.audio) throw invalidArgument(`${field}[${i}].audio`, 'is missing', 'Give this speaker\'s speech as a file path or an http(s) URL.');
  });
  checkSpeakerFaces(speakers, field);
}

/**
 * Each speaker names one face, by number or by points, and no face has two speakers. Shared by
 * the render request and the API (whose speakers bring URLs or text instead of files).
 */
export function checkSpeakerFaces(speakers: readonly { readonly face?: number; readonly facePoints?: FacePoints }[], field = 'speakers'): void {
  const byFace = new Map<number, number>();
  speakers.forEach((s, i) => {
    const at = `${field}[${i}]`;
    if (s.face !== undefined && s.facePoints) throw invalidArgument(`${at}.face`, 'was given together with facePoints', 'Name the face by its number or mark it with facePoints, not both.');
    if (s.face === undefined && !s.facePoints) throw invalidArgument(`${at}.face`, 'is missing', 'Give the face number (0 = leftmost face) or mark the face with facePoints.');
    if (s.face !== undefined) {
      if (!Number.isInteger(s.face) || s.face < 0) throw invalidArgument(`${at}.face`, `${JSON.stringify(s.face)} is not a face number`, 'Faces are numbered 0, 1, 2 ... from the left of the picture.');
      const other = byFace.get(s.face);
      if (other !== undefined) throw new DhError('SPEAKER_FACE_TAKEN', { field: `${at}.face`, face: s.face, other: `${field}[${other}]` });
      byFace.set(s.face, i);
    }
    if (s.facePoints) checkFacePoints(s.facePoints, Infinity, Infinity, `${at}.facePoints`);
  });
}

