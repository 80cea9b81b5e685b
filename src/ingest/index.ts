// Ingest stage: local input files -> decoded image and audio in the shared types. URLs and stored
// files are made local before (src/tasks/inputs.ts); decoding goes through the ports.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DhError } from '../core/errors.js';
import { ToolFailure, type ImageCodec, type MediaEncoder } from '../core/ports.js';
import type { RawAudio, RgbImage } from '../core/types.js';
import { VIDEO } from '../core/video.js';
import { decodeAudioArgs } from '../encode/ffmpeg-args.js';
import { checkedLocalFile } from './source.js';

export { readSource, isUrl, INPUT_LIMITS } from './source.js';

/** Sample rate the analysis stages work at: speech formants and bursts fit well below 8 kHz. */
export const ANALYSIS_SAMPLE_RATE = 16000;

export async function loadImage(file: string, codec: ImageCodec): Promise<RgbImage> {
  const bytes = await fs.readFile(await checkedLocalFile(file, 'image'));
  const img = await codec.decode(bytes, file);
  if (Math.min(img.width, img.height) < VIDEO.minImageSide) {
    throw new DhError('IMAGE_TOO_SMALL', { width: img.width, height: img.height, min: VIDEO.minImageSide });
  }
  return img;
}

export interface LoadedAudio {
  /** The checked local file, for ffmpeg to mux. */
  readonly path: string;
  readonly audio: RawAudio;
  readonly durationSeconds: number;
}

/**
 * Why ffmpeg could not decode the speech, in the user's terms where it is known: a video or
 * picture with no sound track otherwise reads as ffmpeg's advice about its own -map option.
 */
function decodeFailure(err: ToolFailure): string {
  if (/matches no streams|does not contain any stream|Output file .* does not contain/i.test(err.stderr)) {
    return 'it has no sound track: a video or picture without audio';
  }
  return err.stderr.trim().split('\n').pop()?.slice(0, 300) || `ffmpeg exited with ${err.exitCode}`;
}

/**
 * Decodes speech to mono PCM for analysis. Decoding stops a second past the video's length
 * (`maxSeconds`, by default the longest video), so an hour-long file costs no more than the
 * part that is used; `durationSeconds` then says how much was read.
 */
export async function loadAudio(spec: string, encoder: MediaEncoder, signal?: AbortSignal, maxSeconds: number = VIDEO.maxDurationSeconds): Promise<LoadedAudio> {
  const file = await checkedLocalFile(spec, 'audio');
  let pcm: Buffer;
  // ffmpeg writes the samples into a file rather than a pipe this thread drains: the face model
  // loads on this thread meanwhile, and a full pipe held the decoding up until it paused (the
  // inputs of a 180 s video took 370 ms to read instead of 295, of a 60 s one 250 instead of 200).
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dh-speech-'));
  try {
    const out = path.join(dir, 'speech.f32');
    await encoder.run(decodeAudioArgs(file, ANALYSIS_SAMPLE_RATE, maxSeconds + 1, out), { signal });
    pcm = await fs.readFile(out);
  } catch (err) {
    if (err instanceof ToolFailure) {
      throw new DhError('AUDIO_UNREADABLE', { source: spec, reason: decodeFailure(err) });
    }
    throw err;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  // A view when the bytes are 4-byte aligned (large buffers always are), a copy otherwise.
  const n = Math.floor(pcm.byteLength / 4);
  const samples = pcm.byteOffset % 4 === 0 ? new Float32Array(pcm.buffer, pcm.byteOffset, n) : new Float32Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + 4 * n));
  if (samples.length === 0) throw new DhError('AUDIO_EMPTY', { source: spec });
  return { path: file, audio: { samples, sampleRate: ANALYSIS_SAMPLE_RATE }, durationSeconds: samples.length / ANALYSIS_SAMPLE_RATE };
}
