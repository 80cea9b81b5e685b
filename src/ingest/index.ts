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
  let samples: Float32Array;
  try {
    samples = await decodeMono(file, encoder, ANALYSIS_SAMPLE_RATE, maxSeconds + 1, signal);
  } catch (err) {
    if (err instanceof ToolFailure) {
      throw new DhError('AUDIO_UNREADABLE', { source: spec, reason: decodeFailure(err) });
    }
    throw err;
  }
  if (samples.length === 0) throw new DhError('AUDIO_EMPTY', { source: spec });
  return { path: file, audio: { samples, sampleRate: ANALYSIS_SAMPLE_RATE }, durationSeconds: samples.length / ANALYSIS_SAMPLE_RATE };
}

/** A decoded track whose peak stays below this (-60 dBFS) is silence. */
const SILENT_PEAK = 1e-3;

const peakOf = (x: Float32Array): number => {
  let p = 0;
  for (let i = 0; i < x.length; i++) p = Math.max(p, Math.abs(x[i]));
  return p;
};

/**
 * `file` decoded to mono float PCM at `sampleRate`, at most `maxSeconds` (decodeAudioArgs). A
 * stereo file whose channels are each other's negative (a microphone wired out of phase) is heard
 * as speech but sums to silence, and the mouth stayed shut: a silent downmix is decoded again as
 * the channels' difference, kept where louder (a mono file has no second channel to take).
 */
export async function decodeMono(file: string, encoder: MediaEncoder, sampleRate: number, maxSeconds: number, signal?: AbortSignal): Promise<Float32Array> {
  // ffmpeg writes the samples into a file rather than a pipe this thread drains: the face model
  // loads on this thread meanwhile, and a full pipe held the decoding up until it paused (the
  // inputs of a 180 s video took 370 ms to read instead of 295, of a 60 s one 250 instead of 200).
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dh-speech-'));
  try {
    const decode = async (side: boolean): Promise<Float32Array> => {
      const out = path.join(dir, side ? 'side.f32' : 'speech.f32');
      await encoder.run(decodeAudioArgs(file, sampleRate, maxSeconds, out, { side }), { signal });
      const pcm = await fs.readFile(out);
      // A view when the bytes are 4-byte aligned (large buffers always are), a copy otherwise.
      const n = Math.floor(pcm.byteLength / 4);
      return pcm.byteOffset % 4 === 0 ? new Float32Array(pcm.buffer, pcm.byteOffset, n) : new Float32Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + 4 * n));
    };
    const sum = await decode(false);
    const peak = peakOf(sum);
    if (sum.length === 0 || peak >= SILENT_PEAK) return sum;
    const side = await decode(true).catch((err: unknown) => { if (err instanceof ToolFailure) return null; throw err; });
    return side && peakOf(side) > peak ? side : sum;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
