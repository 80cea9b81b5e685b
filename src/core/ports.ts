// The small interfaces behind which infrastructure sits. Implementations live in src/adapters
// and are passed in by the entry points (CLI, service), never imported by the pipeline stages.
import type { FaceLandmarks, RgbImage, SynthesizedSpeech, Voice } from './types.js';

/** Finds faces in an image. */
export interface FaceDetector {
  /** All faces found, in image pixels; empty when there is none. */
  detect(image: RgbImage): Promise<FaceLandmarks[]>;
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

/** What the render pipeline needs from outside: the embedded defaults are in src/adapters. */
export interface PipelineDeps {
  readonly faceDetector: FaceDetector;
  readonly fetcher: SourceFetcher;
}
