// What the pipeline renders from: the render specification (src/spec, validated at the edge and
// trusted here) and the inputs as local files (made local by src/tasks/inputs.ts or the CLI).
import type { FaceLandmarks, PhonemeEvent } from '../core/types.js';
import { VIDEO } from '../core/video.js';

export type { RenderSpec } from '../spec/index.js';

/** One speaker's speech as a local file. */
export interface SpeakerSpeech {
  readonly audio: string;
  readonly phonemes?: readonly PhonemeEvent[];
}

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
  /**
   * Every face already found in this image, numbered left to right (a stored avatar): speakers
   * name them by number without the image being looked at again. Omitted = detect.
   */
  readonly faces?: readonly FaceLandmarks[];
  /** Phoneme timeline of the audio when it was synthesized from the spec's text (src/tts): exact visemes. */
  readonly phonemes?: readonly PhonemeEvent[];
  /**
   * The speech of each of the spec's speakers (pipeline/speakers.ts), in the spec's order: a
   * local file, with its phonemes when synthesized. Then `audio` stays empty. Absent = the one
   * main face speaks `audio`.
   */
  readonly speakers?: readonly SpeakerSpeech[];
}

/** Frames for a duration at the output rate; at least one. */
export const frameCountFor = (seconds: number): number => Math.max(1, Math.round(seconds * VIDEO.fps));

/**
 * Frame ranges for rendering a video in parallel segments of about `segmentFrames` each. Ranges
 * are whole GOPs (two seconds, the encoder's keyframe interval) except the last, and about equal,
 * so no worker is left with a sliver; a video shorter than one and a half segments stays whole.
 */
export function planSegments(frameCount: number, segmentFrames: number): { start: number; end: number }[] {
  const gop = VIDEO.fps * 2;
  const count = Math.max(1, Math.round(frameCount / Math.max(gop, segmentFrames)));
  const size = Math.ceil(frameCount / count / gop) * gop;
  const ranges: { start: number; end: number }[] = [];
  for (let start = 0; start < frameCount; start += size) ranges.push({ start, end: Math.min(frameCount, start + size) });
  return ranges;
}
