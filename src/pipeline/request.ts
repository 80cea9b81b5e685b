// What the pipeline renders from: the render specification (src/spec, validated at the edge and
// trusted here) and the inputs as local files (made local by src/tasks/inputs.ts or the CLI).
import type { FaceLandmarks, PhonemeEvent } from '../core/types.js';
import { VIDEO } from '../core/video.js';

export type { RenderSpec } from '../spec/index.js';

export interface LocalInputs {
  /** Local picture file. */
  readonly image: string;
  /** Local speech file. */
  readonly audio: string;
  /**
   * Landmarks already found in this image (a stored avatar): detection is skipped. null = known
   * to have no face; omitted = detect. The spec's facePoints win over both.
   */
  readonly face?: FaceLandmarks | null;
  /** Phoneme timeline of the audio when it was synthesized from the spec's text (src/tts): exact visemes. */
  readonly phonemes?: readonly PhonemeEvent[];
}

/** Frames for a duration at the output rate; at least one. */
export const frameCountFor = (seconds: number): number => Math.max(1, Math.round(seconds * VIDEO.fps));
