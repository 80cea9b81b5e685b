// The speakers as the pipeline's speakers stage takes them (pipeline/speakers.ts), and the check
// of their faces that the schema (spec/options.ts) cannot make: one face each, no face twice.
import { DhError, invalidArgument } from '../core/errors.js';
import type { FacePoints, PhonemeEvent } from '../core/types.js';
import { checkFacePoints } from '../analyze/face/index.js';
import { toFacePoints, type RenderSpec } from '../spec/index.js';

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


/** What the edge calls the fields a spec with speakers excludes (the API's param.x, the CLI's --x). */
export interface SpeakerFieldNames {
  /** Prefix of each speaker's fields in messages (`param.speakers` -> param.speakers[0].face). */
  readonly speakers: string;
  /** The speakers as named in "was given together with ..." (`speakers`, `--speaker`). */
  readonly together: string;
  readonly audio: string;
  readonly text: string;
  readonly facePoints: string;
  readonly voice: string;
}

/**
 * The rules of a spec's speakers that its schema cannot state, shared by the API and the CLI:
 * speakers replace the one speech (audio or text) and the one marked face; each speaker brings
 * either audio or text with a voice; each names one face, and no face twice. `audioGiven` says
 * whether the request also had the one speech's audio.
 */
export function checkSpeakersSpec(spec: RenderSpec, audioGiven: boolean, names: SpeakerFieldNames): void {
  const speakers = spec.speakers;
  if (!speakers) return;
  const field = names.speakers;
  if (audioGiven || spec.text) throw invalidArgument(audioGiven ? names.audio : names.text, `was given together with ${names.together}`, `Give each face its speech in ${names.together} (audio, or text + voice), or one speech for the main face, not both.`);
  if (spec.facePoints) throw invalidArgument(names.facePoints, `was given together with ${names.together}`, `Mark a speaker's face in its own facePoints (${names.together}).`);
  speakers.forEach((s, i) => {
    const at = `${field}[${i}]`;
    if (s.audioUrl && s.text) throw invalidArgument(`${at}.text`, 'was given together with audioUrl', 'Give this speaker either audioUrl or text + voice, not both.');
    if (!s.audioUrl && !s.text) throw invalidArgument(`${at}.audioUrl`, 'is required', 'Give this speaker\'s speech (or text + voice to synthesize it).');
    if (s.text && !s.voice) throw invalidArgument(`${at}.voice`, 'is required with text', 'Pick a voice id from GET /api/2dvh/v1/voice/list.');
    if (s.text !== undefined && !s.text.trim()) throw new DhError('TEXT_EMPTY', { field: `${at}.text` });
  });
  checkSpeakerFaces(speakers.map((s) => ({
    ...(s.face !== undefined ? { face: s.face } : {}), ...(s.facePoints ? { facePoints: toFacePoints(s.facePoints) } : {}),
  })), field);
}
