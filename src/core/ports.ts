// The small interfaces behind which infrastructure sits. Implementations live in src/adapters
// and are passed in by the entry points (CLI, service), never imported by the pipeline stages
// (scripts/test.mjs checks the imports: a stage importing an adapter fails the tests).
import type { FaceLandmarks, Rect, RgbImage, SynthesizedSpeech, Voice } from './types.js';

/** Finds faces in an image. */
export interface FaceDetector {
  /** All faces found, in image pixels; empty when there is none. */
  detect(image: RgbImage): Promise<FaceLandmarks[]>;
  /**
   * Starts loading the model in the background, so that a detect() soon after waits less (the
   * pipeline calls it while the inputs are still decoding). Failures surface in detect().
   * Resolves when the load is over, failed or not.
   */
  warmUp?(): Promise<void> | void;
}

/** Downloads input URLs. */
export interface SourceFetcher {
  /** Downloads `url`, refusing more than `maxBytes`. */
  fetch(url: string, opts: { maxBytes: number; signal?: AbortSignal }): Promise<Uint8Array>;
}

/** Text to speech with phoneme timings (src/tts). */
export interface SpeechSynthesizer {
  listVoices(): Promise<Voice[]>;
  /** `speed` 1 = the voice's normal rate; 0.5-2 allowed. `semitones` shifts the pitch (-12..12). */
  synthesize(text: string, voiceId: string, opts?: { speed?: number; semitones?: number; signal?: AbortSignal }): Promise<SynthesizedSpeech>;
}

/** An RGBA layer placed in the frame at (x, y): the watermark. */
export interface PlacedLayer {
  readonly rgba: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly x: number;
  readonly y: number;
}

/**
 * How much each pixel of a picture is the person (0 backdrop .. 255 person), at the mask's own
 * size: it covers the whole picture, scaled (mask x = picture x * width / picture width).
 */
export interface PersonMask {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Separates the person from the backdrop (for margins that continue the backdrop only). */
export interface PersonSegmenter {
  /** The mask, or null when no segmentation model is available. */
  segment(image: RgbImage): Promise<PersonMask | null>;
}

/** Decodes pictures and draws the still parts of a frame (sharp). */
export interface ImageCodec {
  /** JPEG/PNG/WebP/... -> packed RGB, upright; `source` names the input in errors. */
  decode(bytes: Uint8Array, source: string): Promise<RgbImage>;
  /**
   * `region` of `image` (whole pixels inside it) scaled to `width` x `height`: a base frame's
   * pixels (render/base-frame.ts places them and fills a padded frame's margins).
   */
  resizeRegion(image: RgbImage, region: Rect, width: number, height: number): Promise<RgbImage>;
  /** `text` drawn as a layer placed in a frame of this size. */
  renderTextOverlay(text: string, frameWidth: number, frameHeight: number): Promise<PlacedLayer>;
}

/** A tool exited with a failure; the stage that ran it knows what the failure means for its input. */
export class ToolFailure extends Error {
  constructor(readonly program: string, readonly exitCode: number | null, readonly stderr: string) {
    super(`${program} exited with ${exitCode}: ${stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 600)}`);
  }
}

/** Raw frames into an encoder, in order. */
export interface FrameSink {
  /** Queues one frame; resolves when it is written. Do not reuse `frame` before then. */
  write(frame: Uint8Array): Promise<void>;
  /** Closes the input and waits for the file to be finished. */
  finish(): Promise<void>;
  /** Stops the encoder; the output file must be treated as garbage. */
  abort(): void;
}

/** ffmpeg, with arguments built by the pure functions in src/encode. */
export interface MediaEncoder {
  /**
   * Runs it to completion and answers its stdout; rejects with ToolFailure on a non-zero exit.
   * `niceness`: that much below this process's priority, for work done beside more urgent work
   * on CPU the rest leaves idle.
   */
  run(args: readonly string[], opts?: { signal?: AbortSignal; niceness?: number }): Promise<Buffer>;
  /** Starts one that reads raw frames of `frameBytes` each on stdin (see encodeArgs). */
  start(args: readonly string[], frameBytes: number, signal?: AbortSignal): FrameSink;
  /**
   * A file's first sound stream as its container describes it (ffprobe); null when it has none.
   * Optional: without it every sound is encoded anew (see encode's soundCopies). `niceness` as run's.
   */
  probeSound?(file: string, opts?: { signal?: AbortSignal; niceness?: number }): Promise<SoundStream | null>;
}

/** What a sound stream is, as far as putting it in a video unchanged goes. */
export interface SoundStream {
  /** ffmpeg's names for its codec ('aac', 'mp3', 'pcm_s16le', ...) and its profile ('LC', 'HE-AAC', ...; '' if none). */
  readonly codec: string;
  readonly profile: string;
  readonly channels: number;
  readonly sampleRate: number;
  /** When it starts in its file (0 where the container does not say). */
  readonly startSeconds: number;
  /**
   * How long it is where its container indexes its packets (MP4, MOV, M4A: exact); null elsewhere
   * (a raw stream's length is estimated from its bitrate, no length to cut to).
   */
  readonly seconds: number | null;
}

/** What the render pipeline needs from outside: the embedded defaults are in src/adapters. */
export interface PipelineDeps {
  readonly faceDetector: FaceDetector;
  readonly imageCodec: ImageCodec;
  readonly encoder: MediaEncoder;
  /** Optional: without it padded margins tell the backdrop by colour alone. */
  readonly segmenter?: PersonSegmenter;
}
