// One task's heavy work, run inside a worker thread: download the inputs (SSRF-guarded),
// synthesize speech when text was given, render the video, grab a thumbnail. Everything lands in
// the task's scratch folder; the main thread moves the results into the media store.
import fs from 'node:fs/promises';
import path from 'node:path';
import { toDhError, withoutServerPathsIn } from '../core/errors.js';
import type { SpeechSynthesizer } from '../core/ports.js';
import type { FaceLandmarks, FacePoints, NumberedFace, PhonemeEvent, ResizeMode } from '../core/types.js';
import { createSafeFetcher } from '../adapters/safe-fetch.js';
import { createOneShotFaceDetector } from './face-detect-once.js';
import { runTool } from '../adapters/ffmpeg.js';
import { readSource } from '../ingest/index.js';
import { renderVideo, type RenderRequest, type SpeakerRequest } from '../pipeline/index.js';
import { encodeWav } from '../media/wav.js';

/**
 * Where an input comes from: a URL to download, or a file the service already holds, with what
 * the client calls it (messages name inputs by that, never by where the service keeps them).
 */
export type InputRef = { readonly url: string } | { readonly file: string; readonly label: string };

export interface RenderJob {
  readonly taskId: number;
  readonly scratchDir: string;
  readonly image: InputRef;
  readonly audio?: InputRef;
  readonly speech?: { readonly text: string; readonly voice: string; readonly speed?: number };
  readonly durationSeconds: number;
  readonly resizeMode: ResizeMode;
  readonly prompt?: string;
  readonly watermark?: string;
  /** Stored avatar landmarks (skip detection), when the task reuses an avatar. */
  readonly face?: FaceLandmarks | null;
  /** The face marked by hand (the task's facePoints): wins over detection and a stored avatar's face. */
  readonly facePoints?: FacePoints;
  /** Several faces each speaking its part (instead of audio/speech): the task's speakers with their inputs resolved. */
  readonly speakers?: readonly JobSpeaker[];
  readonly thumbnail: boolean;
  readonly allowPrivateUrls: boolean;
  /** Frame threads for this render: the machine's cores shared among the renders running at once. */
  readonly frameWorkers: number;
}

/** One speaker of a job: its face (number or points) and its speech (a file or URL, or text). */
export interface JobSpeaker {
  readonly face?: number;
  readonly facePoints?: FacePoints;
  readonly audio?: InputRef;
  readonly speech?: { readonly text: string; readonly voice: string; readonly speed?: number };
}

export interface RenderJobResult {
  readonly video: string;
  readonly thumbnail: string | null;
  /** Local copies of the inputs as used (kept as the task's inputs, and as an avatar's image). */
  readonly image: string;
  readonly audio: string;
  readonly width: number;
  readonly height: number;
  readonly durationSeconds: number;
  readonly face: FaceLandmarks | null;
  /** Every face in the picture, numbered left to right. */
  readonly faces: readonly NumberedFace[];
  readonly timings: Readonly<Record<string, number>>;
}

/** ffmpeg arguments for a 480-pixel-wide JPEG of the frame at `seconds`. */
export function thumbnailArgs(video: string, output: string, seconds: number): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-y', '-ss', seconds.toFixed(2), '-i', video, '-frames:v', '1', '-vf', 'scale=480:-2', '-q:v', '4', output];
}

// Progress of the whole job, as percentages: fetching and speech are quick next to rendering.
const SHARE = { fetched: 8, speech: 14, rendered: 95 };

let synthesizer: SpeechSynthesizer | null = null;

async function speechEngine(): Promise<SpeechSynthesizer> {
  if (!synthesizer) {
    const mod = await import('../tts/index.js') as { createSpeechSynthesizer(): SpeechSynthesizer };
    synthesizer = mod.createSpeechSynthesizer();
  }
  return synthesizer;
}

/** The speech engine as the voice endpoints use it, in the same thread pool. */
export async function synthesizeToWav(text: string, voice: string, speed: number | undefined, output: string, signal?: AbortSignal): Promise<{ durationSeconds: number; phonemes: readonly PhonemeEvent[] }> {
  const speech = await (await speechEngine()).synthesize(text, voice, { speed, signal });
  await fs.writeFile(output, encodeWav(speech.audio));
  return { durationSeconds: speech.durationSeconds, phonemes: speech.phonemes };
}

export async function listVoices() {
  return (await speechEngine()).listVoices();
}

export async function runRenderJob(job: RenderJob, signal: AbortSignal, onProgress: (percent: number) => void): Promise<RenderJobResult> {
  const labels: [string, string][] = [[job.scratchDir, 'the task\'s working folder']];
  const named = (ref: InputRef, file: string) => labels.push([file, 'url' in ref ? ref.url : ref.label]);
  try {
    return await renderJob(job, signal, onProgress, named);
  } catch (err) {
    throw withoutServerPathsIn(toDhError(err), labels);
  }
}

async function renderJob(job: RenderJob, signal: AbortSignal, onProgress: (percent: number) => void, named: (ref: InputRef, file: string) => void): Promise<RenderJobResult> {
  await fs.mkdir(job.scratchDir, { recursive: true });
  const fetcher = createSafeFetcher({ allowPrivate: job.allowPrivateUrls });
  const local = async (ref: InputRef, kind: 'image' | 'audio'): Promise<string> => {
    if ('file' in ref) { named(ref, ref.file); return ref.file; }
    const file = path.join(job.scratchDir, `input-${kind}`);
    named(ref, file);
    await fs.writeFile(file, await readSource(ref.url, kind, fetcher, signal));
    return file;
  };
  const t0 = performance.now();
  const [image, fetchedAudio] = await Promise.all([local(job.image, 'image'), job.audio ? local(job.audio, 'audio') : null]);
  onProgress(SHARE.fetched);
  let audio = fetchedAudio;
  let phonemes: readonly PhonemeEvent[] | undefined;
  // Each speaker's speech: downloaded or synthesized into a file of its own.
  const speakers: SpeakerRequest[] | undefined = job.speakers && await Promise.all(job.speakers.map(async (sp, i) => {
    const face = { ...(sp.face !== undefined ? { face: sp.face } : {}), ...(sp.facePoints ? { facePoints: sp.facePoints } : {}) };
    if (sp.audio) {
      if ('file' in sp.audio) { named(sp.audio, sp.audio.file); return { ...face, audio: sp.audio.file }; }
      const file = path.join(job.scratchDir, `input-audio-${i}`);
      named(sp.audio, file);
      await fs.writeFile(file, await readSource(sp.audio.url, 'audio', fetcher, signal));
      return { ...face, audio: file };
    }
    if (!sp.speech) throw new Error('a speaker needs audio or speech');
    const file = path.join(job.scratchDir, `speech-${i}.wav`);
    const { phonemes: timed } = await synthesizeToWav(sp.speech.text, sp.speech.voice, sp.speech.speed, file, signal);
    return { ...face, audio: file, phonemes: timed };
  }));
  if (speakers) audio = speakers[0].audio;
  if (!audio) {
    if (!job.speech) throw new Error('a render job needs audio or speech');
    audio = path.join(job.scratchDir, 'speech.wav');
    ({ phonemes } = await synthesizeToWav(job.speech.text, job.speech.voice, job.speech.speed, audio, signal));
  }
  onProgress(SHARE.speech);
  const fetchMs = Math.round(performance.now() - t0);

  const request: RenderRequest = {
    image, audio: speakers ? '' : audio, ...(speakers ? { speakers } : {}), output: path.join(job.scratchDir, 'video.mp4'),
    durationSeconds: job.durationSeconds, resizeMode: job.resizeMode, prompt: job.prompt, watermark: job.watermark,
    ...(job.face !== undefined ? { face: job.face } : {}),
    facePoints: job.facePoints,
    // Timed phonemes from our own synthesizer drive the mouth more precisely than audio alone.
    phonemes,
  };
  const result = await renderVideo(request, { faceDetector: createOneShotFaceDetector(), fetcher }, {
    signal,
    frameWorkers: job.frameWorkers,
    onProgress: (stage, fraction) => {
      const f = stage === 'render' ? fraction : stage === 'encode' || stage === 'done' ? 1 : 0;
      onProgress(SHARE.speech + (SHARE.rendered - SHARE.speech) * f);
    },
  });
  let thumbnail: string | null = null;
  if (job.thumbnail) {
    thumbnail = path.join(job.scratchDir, 'thumbnail.jpg');
    await runTool('ffmpeg', thumbnailArgs(result.video, thumbnail, Math.min(0.5, result.durationSeconds / 2)), { signal });
  }
  onProgress(SHARE.rendered);
  return {
    video: result.video, thumbnail, image, audio,
    width: result.width, height: result.height, durationSeconds: result.durationSeconds,
    face: result.face, faces: result.faces, timings: { fetchMs, ...result.timings },
  };
}
