// A render job as the pipeline receives it, validated once at the boundary.
import { invalidArgument, DhError } from '../core/errors.js';
import type { FaceLandmarks, FacePoints, PhonemeEvent, ResizeMode } from '../core/types.js';
import { VIDEO } from '../core/video.js';
import { validateSpeakers, type SpeakerRequest } from './speaker-request.js';

export interface RenderRequest {
  /** Local path or http(s) URL. */
  readonly image: string;
  readonly audio: string;
  /** Where the MP4 goes; written under a temporary name and renamed when complete. */
  readonly output: string;
  /** Video length; omitted = the audio's length. */
  readonly durationSeconds?: number;
  readonly resizeMode: ResizeMode;
  readonly prompt?: string;
  /** Text drawn in a corner; omitted = no watermark. */
  readonly watermark?: string;
  /**
   * Landmarks already found in this image (a stored avatar): detection is skipped. null = known
   * to have no face; omitted = detect.
   */
  readonly face?: FaceLandmarks | null;
  /** The face marked by hand (any avatar: animals, drawings): detection is skipped. */
  readonly facePoints?: FacePoints;
  /** Seeds blinks and idle motion; omitted = derived from the decoded inputs, so reruns match anywhere. */
  readonly seed?: number;
  /** Phoneme timeline of the audio when it was synthesized from text (src/tts): exact visemes. */
  readonly phonemes?: readonly PhonemeEvent[];
  /**
   * Several faces, each speaking its own track (pipeline/speakers.ts): instead of `audio`, which
   * then stays empty. Absent = the one main face speaks `audio`.
   */
  readonly speakers?: readonly SpeakerRequest[];
}

export const RESIZE_MODES: readonly ResizeMode[] = ['adaptive', 'fixedMinSide'];
export const LIMITS = Object.freeze({ promptChars: 2000, watermarkChars: 60 });

export function validateDuration(value: unknown, field = 'duration'): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidArgument(field, `must be a number of seconds, got ${JSON.stringify(value)}`, `Give a number from ${VIDEO.minDurationSeconds} to ${VIDEO.maxDurationSeconds}.`);
  }
  if (value < VIDEO.minDurationSeconds || value > VIDEO.maxDurationSeconds) {
    throw new DhError('DURATION_OUT_OF_RANGE', { value, min: VIDEO.minDurationSeconds, max: VIDEO.maxDurationSeconds });
  }
  return value;
}

/** Checks a request's fields; throws the catalogue's error naming the first bad field. */
export function validateRenderRequest(req: RenderRequest): RenderRequest {
  if (!req.image) throw invalidArgument('image', 'is missing', 'Give a portrait as a file path or an http(s) URL.');
  if (req.speakers) {
    if (req.audio) throw invalidArgument('audio', 'was given together with speakers', 'Give each face its speech in speakers, or one audio for the main face, not both.');
    validateSpeakers(req.speakers);
  } else if (!req.audio) throw invalidArgument('audio', 'is missing', 'Give speech as a file path or an http(s) URL.');
  if (!req.output || !/\.mp4$/i.test(req.output)) throw invalidArgument('output', `"${req.output ?? ''}" is not an .mp4 path`, 'Name the output file with a .mp4 extension.');
  if (req.durationSeconds !== undefined) validateDuration(req.durationSeconds);
  if (!RESIZE_MODES.includes(req.resizeMode)) {
    throw invalidArgument('resizeMode', `"${req.resizeMode}" is not a resize mode`, `Use one of: ${RESIZE_MODES.join(', ')}.`);
  }
  if (req.prompt !== undefined && req.prompt.length > LIMITS.promptChars) {
    throw invalidArgument('prompt', `is ${req.prompt.length} characters long`, `Keep it under ${LIMITS.promptChars} characters.`);
  }
  if (req.watermark !== undefined && [...req.watermark].length > LIMITS.watermarkChars) {
    throw invalidArgument('watermark', `is ${[...req.watermark].length} characters long`, `Keep it to ${LIMITS.watermarkChars} characters.`);
  }
  return req;
}

/** Frames for a duration at the output rate; at least one. */
export const frameCountFor = (seconds: number): number => Math.max(1, Math.round(seconds * VIDEO.fps));
