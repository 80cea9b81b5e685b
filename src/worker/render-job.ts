// One task's heavy work, run inside the render process: download the inputs (SSRF-guarded),
// synthesize speech when text was given, render the video, grab a thumbnail. Everything lands in
// the task's scratch folder; the main thread moves the results into the media store.
import fs from 'node:fs/promises';
import path from 'node:path';
import { toDhError, withoutServerPathsIn } from '../core/errors.js';
import type { SpeechSynthesizer } from '../core/ports.js';
import { VIDEO } from '../core/video.js';
import type { FaceLandmarks, NumberedFace, PhonemeEvent } from '../core/types.js';
import { faceList } from '../analyze/face/index.js';
import { createSafeFetcher } from '../adapters/safe-fetch.js';
import { ffmpegEncoder, probe, runTool } from '../adapters/ffmpeg.js';
import { sharpImageCodec } from '../adapters/image-sharp.js';
import { createHumanSegmenter } from '../adapters/segment-human.js';
import { createOneShotFaceDetector } from './face-detect-once.js';
import { joinSegments, planVideo, renderSegment, renderVideo, type FrameRange, type FrameThreadKeeper, type LocalInputs, type RenderSpec } from '../pipeline/index.js';
import { fetchInputs, type InputRef, type ResolvedInputs } from '../tasks/inputs.js';
import { encodeWav } from '../encode/wav.js';

/** One task's render as the render process receives it: where the inputs are, the spec as stored. */
export interface RenderJob {
  readonly resolvedInputs: ResolvedInputs;
  readonly spec: RenderSpec;
  readonly run: {
    readonly taskId: number;
    readonly scratchDir: string;
    /** Cut a thumbnail from the video (no thumbnailUrl was given). */
    readonly thumbnail: boolean;
    readonly allowPrivateUrls: boolean;
    /** Frame threads for this render: the machine's cores shared among the renders running at once. */
    readonly frameWorkers: number;
  };
  /** Phonemes of speech synthesized earlier (by a segmented task's plan): the mouth follows them. */
  readonly phonemes?: readonly PhonemeEvent[];
  /** One part of a task rendered in segments; omitted = the whole video in one go. */
  readonly part?: RenderPart;
}

/**
 * The parts of a video rendered in segments: a plan (inputs fetched, speech synthesized, length
 * and face decided), frame ranges rendered by any workers, and the join.
 */
export type RenderPart =
  | { readonly kind: 'plan' }
  | { readonly kind: 'segment'; readonly range: FrameRange }
  | { readonly kind: 'join'; readonly segments: readonly string[]; readonly frameCount: number };

export interface RenderPlanResult {
  readonly frameCount: number;
  readonly face: FaceLandmarks;
  /** Local copies of the inputs, to be shared with the segments' workers. */
  readonly image: string;
  readonly audio: string;
  readonly phonemes?: readonly PhonemeEvent[];
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
  /** Their landmarks, where they were looked for (what an avatar keeps). */
  readonly foundFaces: readonly FaceLandmarks[];
  readonly timings: Readonly<Record<string, number>>;
}

/** The segments joined, described as a whole render describes its video. */
async function joinedVideo(inputs: LocalInputs, part: RenderPart & { kind: 'join' }, output: string, signal: AbortSignal) {
  const t0 = performance.now();
  await joinSegments(inputs, part.segments, part.frameCount, { encoder: ffmpegEncoder }, { output, signal });
  const video = (await probe(output, { signal })).streams.find((s) => s.codec_type === 'video');
  return {
    video: path.resolve(output), width: video?.width ?? 0, height: video?.height ?? 0,
    durationSeconds: part.frameCount / VIDEO.fps, face: inputs.face ?? null,
    // The plan's face: a segmented video is never one with speakers.
    faces: inputs.face ? faceList([inputs.face]) : [], foundFaces: inputs.faces ?? [], timings: { joinMs: Math.round(performance.now() - t0) },
  };
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

/** Whether the job looks for faces: a whole render or a plan whose face was neither given (points) nor known (avatar). */
export function detectsFaces({ resolvedInputs, spec, part }: RenderJob): boolean {
  return part?.kind !== 'segment' && part?.kind !== 'join' && resolvedInputs.face === undefined && !spec.facePoints;
}

export async function runRenderJob(job: RenderJob, signal: AbortSignal, onProgress: (percent: number) => void, frameThreads?: FrameThreadKeeper): Promise<RenderJobResult | RenderPlanResult> {
  const labels: [string, string][] = [[job.run.scratchDir, 'the task\'s working folder']];
  const named = (ref: InputRef, file: string) => labels.push([file, 'url' in ref ? ref.url : ref.label]);
  try {
    return await renderJob(job, signal, onProgress, named, frameThreads);
  } catch (err) {
    throw withoutServerPathsIn(toDhError(err), labels);
  }
}

async function renderJob({ resolvedInputs, spec, run, part, phonemes: known }: RenderJob, signal: AbortSignal, onProgress: (percent: number) => void, named: (ref: InputRef, file: string) => void,
  frameThreads: FrameThreadKeeper | undefined): Promise<RenderJobResult | RenderPlanResult> {
  await fs.mkdir(run.scratchDir, { recursive: true });
  const fetcher = createSafeFetcher({ allowPrivate: run.allowPrivateUrls });
  const t0 = performance.now();
  const fetched = await fetchInputs(resolvedInputs, run.scratchDir, fetcher, signal, named);
  onProgress(SHARE.fetched);
  let audio = fetched.audio;
  let phonemes: readonly PhonemeEvent[] | undefined;
  // Each speaker's speech: its fetched file, or its text synthesized into one.
  const speakers = spec.speakers && await Promise.all(spec.speakers.map(async (sp, i) => {
    const file = fetched.speakers?.[i];
    if (file) return { audio: file };
    if (!sp.text || !sp.voice) throw new Error('a speaker needs audio or text and a voice');
    const wav = path.join(run.scratchDir, `speech-${i}.wav`);
    return { audio: wav, phonemes: (await synthesizeToWav(sp.text, sp.voice, sp.speed, wav, signal)).phonemes };
  }));
  // With speakers the sound is their mix, made by the pipeline: there is no one audio.
  if (speakers) audio = '';
  else if (!audio) {
    if (!spec.text || !spec.voice) throw new Error('a render job needs audio or text and a voice');
    audio = path.join(run.scratchDir, 'speech.wav');
    ({ phonemes } = await synthesizeToWav(spec.text, spec.voice, spec.speed, audio, signal));
  }
  onProgress(SHARE.speech);
  const fetchMs = Math.round(performance.now() - t0);

  const local: LocalInputs = {
    image: fetched.image, audio,
    ...(resolvedInputs.face !== undefined ? { face: resolvedInputs.face } : {}),
    ...(resolvedInputs.faces ? { faces: resolvedInputs.faces } : {}),
    ...(speakers ? { speakers } : {}),
    // Timed phonemes from our own synthesizer drive the mouth more precisely than audio alone.
    phonemes: phonemes ?? known,
  };
  // The same adapters as `dh render` (adapters/index.ts), but the face found in the service's own thread.
  const deps = { faceDetector: createOneShotFaceDetector(), imageCodec: sharpImageCodec, encoder: ffmpegEncoder, segmenter: createHumanSegmenter() };
  const output = path.join(run.scratchDir, 'video.mp4');
  const renderProgress = (stage: string, fraction: number) => {
    const f = stage === 'render' ? fraction : stage === 'encode' || stage === 'done' ? 1 : 0;
    onProgress(SHARE.speech + (SHARE.rendered - SHARE.speech) * f);
  };
  if (part?.kind === 'plan') {
    const plan = await planVideo(spec, local, deps, { signal });
    return { frameCount: plan.frameCount, face: plan.face, image: fetched.image, audio, ...(phonemes ? { phonemes } : {}) };
  }
  if (part?.kind === 'segment') {
    const r = await renderSegment(spec, local, deps, part.range, { output, signal, frameWorkers: run.frameWorkers, frameThreads, onProgress: renderProgress });
    return { video: r.video, thumbnail: null, image: fetched.image, audio, width: r.width, height: r.height, durationSeconds: r.durationSeconds, face: r.face, faces: r.faces, foundFaces: r.foundFaces, timings: { fetchMs, ...r.timings } };
  }
  const result = part?.kind === 'join'
    ? await joinedVideo(local, part, output, signal)
    : await renderVideo(spec, local, deps, { output, signal, frameWorkers: run.frameWorkers, frameThreads, onProgress: renderProgress });
  let thumbnail: string | null = null;
  if (run.thumbnail) {
    thumbnail = path.join(run.scratchDir, 'thumbnail.jpg');
    await runTool('ffmpeg', thumbnailArgs(result.video, thumbnail, Math.min(0.5, result.durationSeconds / 2)), { signal });
  }
  onProgress(SHARE.rendered);
  return {
    video: result.video, thumbnail, image: fetched.image, audio,
    width: result.width, height: result.height, durationSeconds: result.durationSeconds,
    face: result.face, faces: result.faces, foundFaces: result.foundFaces, timings: { fetchMs, ...result.timings },
  };
}
