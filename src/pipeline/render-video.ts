// The whole pipeline for one video: ingest -> analyze (face, audio) -> animate -> render -> encode.
// This is the one place that wires the pure stages to the adapters; it owns the temporary
// files and guarantees that `output` either appears complete or not at all.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DhError } from '../core/errors.js';
import type { PipelineDeps } from '../core/ports.js';
import type { FaceLandmarks, ProgressFn, RawAudio, Rect, RgbImage } from '../core/types.js';
import { VIDEO } from '../core/video.js';
import { loadAudio, loadImage } from '../ingest/index.js';
import { checkFacePoints, faceList, landmarksFromPoints, numberFaces, pickMainFace, rigFromLandmarks, withRoundEyes, type NumberedFace } from '../analyze/face/index.js';
import { animate, styleFromPrompt } from '../animate/index.js';
import { backgroundFrame, fixedMinSideSize, yuv420Size, planLayout, rectToFrame, toFrameCoords, type Overlay } from '../render/index.js';
import { encodeArgs } from '../encode/index.js';
import { composeBaseFrame, renderTextOverlay } from '../adapters/image-sharp.js';
import { startEncoder } from '../adapters/ffmpeg.js';
import { frameCountFor, validateRenderRequest, type RenderRequest } from './request.js';
import { FRAME_POOL_DEFAULTS, renderFramesInOrder } from './frame-pool.js';
import { prepareSpeakers, type SpeakerReport } from './speakers.js';

export type { PipelineDeps } from '../core/ports.js';

export interface RenderOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressFn;
  /**
   * Threads that render frames (default FRAME_POOL_DEFAULTS.workers). A service running several
   * renders at once gives each a share of the cores: more threads than cores only add memory.
   */
  readonly frameWorkers?: number;
}

export interface RenderResult {
  readonly video: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly frameCount: number;
  readonly durationSeconds: number;
  /** Seconds of audio read: all of it, or up to a second past an explicit duration. */
  readonly audioSeconds: number;
  readonly faceFound: boolean;
  /** The landmarks used, in source-image pixels (what an avatar stores for reuse). */
  readonly face: FaceLandmarks | null;
  /** Face box in output-frame pixels. */
  readonly faceBox: Rect;
  /**
   * Every face in the picture, numbered left to right (the numbers speakers name); the one
   * used when the face was given (stored avatar, points) rather than looked for.
   */
  readonly faces: readonly NumberedFace[];
  /** Who says what, when the request had speakers. */
  readonly speakers?: readonly SpeakerReport[];
  /** The motion cues understood in the prompt (calm, lively, nodding, ...); empty without any. */
  readonly promptCues: readonly string[];
  readonly timings: Readonly<Record<string, number>>;
}

/** Metadata label every video carries: it is machine-made. */
export const AI_LABEL = 'AI-generated (Image Digital Human)';

/**
 * The same picture and sound give the same video wherever their files live: the seed comes from
 * the decoded content, not from paths or URLs.
 */
const seedOf = (req: RenderRequest, image: RgbImage, audio: RawAudio): number =>
  req.seed ?? createHash('sha256')
    .update(image.data)
    .update(new Uint8Array(audio.samples.buffer, audio.samples.byteOffset, audio.samples.byteLength))
    .digest().readUInt32LE(0);

export async function renderVideo(request: RenderRequest, deps: PipelineDeps, opts: RenderOptions = {}): Promise<RenderResult> {
  const req = validateRenderRequest(request);
  const { signal } = opts;
  const progress = opts.onProgress ?? (() => {});
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => { const now = performance.now(); timings[name] = Math.round(now - mark); mark = now; };
  const started = mark;
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dh-render-'));
  const partial = path.join(path.dirname(path.resolve(req.output)), `.${path.basename(req.output)}.${process.pid}.partial.mp4`);
  try {
    const ctx = { signal, progress, lap };
    const { layout, base, rig, tracks, overlays, background, frameCount, audioPath, audioSeconds, face, style, faces, ...group } =
      req.speakers ? await prepareSpeakers(req, deps, workDir, ctx) : { ...await prepare(req, deps, workDir, ctx), more: undefined, speakers: undefined };

    const sink = startEncoder(encodeArgs({
      width: layout.width, height: layout.height, fps: VIDEO.fps, frameCount,
      audioPath, outputPath: partial, metadata: { comment: AI_LABEL },
    }), yuv420Size(layout.width, layout.height), signal);
    let renderMs = 0;
    try {
      ({ renderMs } = await renderFramesInOrder({ base, rig, overlays, tracks, ...(group.more ? { more: group.more } : {}) }, background, frameCount, async (f, data) => {
        // Report each whole percent once: fine enough for a progress bar, cheap for a 180 s video.
        if (Math.floor((f * 100) / frameCount) !== Math.floor(((f - 1) * 100) / frameCount)) progress('render', f / frameCount);
        await sink.write(data);
      }, { ...FRAME_POOL_DEFAULTS, workers: opts.frameWorkers ?? FRAME_POOL_DEFAULTS.workers }, signal));
      progress('encode', 1);
      await sink.finish();
    } catch (err) {
      sink.abort();
      throw signal?.aborted ? new DhError('CANCELLED') : err;
    }
    timings.renderMs = Math.round(renderMs);
    lap('renderEncodeMs');
    await fs.rename(partial, req.output);
    timings.totalMs = Math.round(performance.now() - started);
    progress('done', 1);
    return {
      video: path.resolve(req.output),
      width: layout.width,
      height: layout.height,
      fps: VIDEO.fps,
      frameCount,
      durationSeconds: frameCount / VIDEO.fps,
      audioSeconds,
      faceFound: face !== null,
      face,
      faceBox: rig.faceBox,
      faces,
      ...(group.speakers ? { speakers: group.speakers } : {}),
      promptCues: style.cues,
      timings,
    };
  } finally {
    await fs.rm(partial, { force: true });
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Everything before the frame loop: inputs decoded, face and speech analysed, tracks made. Kept
 * apart so the decoded picture and audio samples are garbage once it returns: rendering holds
 * only what the frames need, whatever the size of the inputs.
 */
async function prepare(req: RenderRequest, deps: PipelineDeps, workDir: string, ctx: { signal?: AbortSignal; progress: ProgressFn; lap: (name: string) => void }) {
  const { signal, progress, lap } = ctx;
  progress('ingest', 0);
  const [image, sound] = await Promise.all([
    loadImage(req.image, deps.fetcher, signal),
    loadAudio(req.audio, deps.fetcher, workDir, signal, req.durationSeconds ?? VIDEO.maxDurationSeconds),
  ]);
  if (req.durationSeconds === undefined && sound.durationSeconds > VIDEO.maxDurationSeconds) {
    throw new DhError('AUDIO_TOO_LONG', { seconds: sound.durationSeconds.toFixed(1), max: VIDEO.maxDurationSeconds });
  }
  const seconds = req.durationSeconds ?? sound.durationSeconds;
  const frameCount = frameCountFor(seconds);
  lap('ingestMs');

  progress('analyze', 0);
  // A picture fixedMinSide cannot frame is refused before any face is looked for.
  if (req.resizeMode === 'fixedMinSide') fixedMinSideSize(image.width, image.height);
  let face: FaceLandmarks | null;
  let found: FaceLandmarks[] | null = null;
  if (req.facePoints) {
    checkFacePoints(req.facePoints, image.width, image.height);
    face = landmarksFromPoints(req.facePoints);
  } else if (req.face !== undefined) {
    face = req.face;
  } else {
    found = numberFaces(await deps.faceDetector.detect(image));
    face = pickMainFace(found, image.width, image.height);
  }
  // A face-less video would be a still picture with sound: refused, with how to mark the face.
  if (!face) throw new DhError('FACE_NOT_FOUND');
  // Faces laid out from a few points carry human eyes; an animal's or a drawing's round eyes
  // are measured in the picture so that blinks close them whole.
  if (face.method === 'points' || face.method === 'cat-cascade') face = withRoundEyes(face, image);
  lap('faceMs');
  const layout = planLayout(image.width, image.height, face.box, req.resizeMode);
  const base = await composeBaseFrame(image, layout);
  // Drawn teeth only in faces the model found on the whole picture: those found in a crop or
  // from a cat-face box are animals and drawings as often as not.
  const rig = rigFromLandmarks(toFrameCoords(face.points, layout), rectToFrame(face.box, layout), { teeth: (face.method ?? 'facemesh') === 'facemesh' && !face.animal });
  lap('analyzeMs');

  const style = styleFromPrompt(req.prompt);
  const tracks = animate({ audio: sound.audio, phonemes: req.phonemes, fps: VIDEO.fps, frameCount, seed: seedOf(req, image, sound.audio), style });
  const overlays: Overlay[] = req.watermark ? [await renderTextOverlay(req.watermark, layout.width, layout.height)] : [];
  const background = backgroundFrame(base, overlays);
  lap('animateMs');
  const faces = faceList(found ?? [face]);
  return { layout, base, rig, tracks, overlays, background, frameCount, audioPath: sound.path, audioSeconds: sound.durationSeconds, face, style, faces };
}
