// The whole pipeline for one video: ingest -> analyze (face, audio) -> animate -> render -> encode.
// This is the one place that wires the pure stages to the ports (core/ports.ts) it is given; it
// owns the temporary output and guarantees that `output` either appears complete or not at all.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DhError } from '../core/errors.js';
import { ToolFailure, type FrameSink, type MediaEncoder, type PipelineDeps } from '../core/ports.js';
import type { FaceLandmarks, ParamTracks, ProgressFn, RawAudio, Rect, RgbImage } from '../core/types.js';
import { VIDEO } from '../core/video.js';
import { loadAudio, loadImage } from '../ingest/index.js';
import { checkFacePoints, faceList, fitToPicture, landmarksFromPoints, numberFaces, pickMainFace, quarterTurnsOf, resolveStyle, rigFromLandmarks, turnFace, turnImage, undoTurns, type NumberedFace } from '../analyze/face/index.js';
import { styleFromPrompt, type AnimateInput } from '../animate/index.js';
import { backgroundFrame, fixedMinSideSize, mayPad, pictureInFrame, rgbToYuv420, yuv420Size, planLayout, rectToFrame, toFrameCoords, type Overlay } from '../render/index.js';
import { audioEncodeArgs, concatList, joinSegmentsArgs, muxArgs, soundCopies, videoEncodeArgs } from '../encode/index.js';
import { toFacePoints, watermarkText } from '../spec/index.js';
import { frameCountFor, type LocalInputs, type RenderSpec } from './request.js';
import { FRAME_POOL_DEFAULTS, FRAME_THREAD_NICENESS, startFramePool, type FrameRange, type FrameThreadKeeper } from './frame-pool.js';
import { prepareSpeakers, type PrepareContext, type SpeakerReport } from './speakers.js';
import { baseFrame } from './base-frame.js';

export type { PipelineDeps } from '../core/ports.js';

export interface RenderOptions {
  /** Where the MP4 goes; written under a temporary name and renamed when complete. */
  readonly output: string;
  /** Seeds blinks and idle motion; omitted = derived from the decoded inputs, so reruns match anywhere. */
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressFn;
  /**
   * Threads that render frames (default FRAME_POOL_DEFAULTS.workers). A service running several
   * renders at once gives each a share of the cores: more threads than cores only add memory.
   */
  readonly frameWorkers?: number;
  /** Render threads kept between videos (a render process's); none: the render's own, ended with it. */
  readonly frameThreads?: FrameThreadKeeper;
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
  /**
   * The landmarks of every face found in the picture, numbered as `faces` (what an avatar keeps,
   * so that speakers can name them later without detection); empty when none was looked for.
   */
  readonly foundFaces: readonly FaceLandmarks[];
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
const seedOf = (seed: number | undefined, image: RgbImage, audio: RawAudio): number =>
  seed ?? createHash('sha256')
    .update(image.data)
    .update(new Uint8Array(audio.samples.buffer, audio.samples.byteOffset, audio.samples.byteLength))
    .digest().readUInt32LE(0);

/**
 * One video from a validated render specification and local input files. The spec is trusted:
 * it was checked at the edge (the API's create, the CLI's flags) by its schema in src/spec.
 */
export async function renderVideo(spec: RenderSpec, inputs: LocalInputs, deps: PipelineDeps, opts: RenderOptions): Promise<RenderResult> {
  return renderFrames(spec, inputs, deps, opts, null);
}

/**
 * Frames `range` of the video into `opts.output` as a video-only MP4 segment. The animation is
 * computed for the whole video from the same inputs and seed, so segments rendered apart (by
 * different workers) continue each other exactly; joinSegments puts them together with the
 * sound. Give `inputs.face` (the face planVideo found) so every segment animates the same face.
 */
export async function renderSegment(spec: RenderSpec, inputs: LocalInputs, deps: PipelineDeps, range: FrameRange, opts: RenderOptions): Promise<RenderResult> {
  return renderFrames(spec, inputs, deps, opts, range);
}

async function renderFrames(spec: RenderSpec, inputs: LocalInputs, deps: PipelineDeps, opts: RenderOptions, segment: FrameRange | null): Promise<RenderResult> {
  const { signal, output } = opts;
  const progress = opts.onProgress ?? (() => {});
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => { const now = performance.now(); timings[name] = Math.round(now - mark); mark = now; };
  const started = mark;
  const partial = partialPath(output);
  const mixPath = `${partial}.mix.wav`;
  const videoPath = `${partial}.video.mp4`, soundPath = `${partial}.sound.m4a`;
  let sink: FrameSink | null = null;
  // A sound that fails to encode stops the frames, rather than being found after them.
  const sound = soundEncoder(deps.encoder, soundPath, signal, () => sink?.abort());
  // The render threads start now: they load while the inputs decode, and one animates the speech.
  const pool = startFramePool({ ...FRAME_POOL_DEFAULTS, workers: opts.frameWorkers ?? FRAME_POOL_DEFAULTS.workers }, opts.frameThreads);
  try {
    const ctx = { seed: opts.seed, signal, progress, lap, soundReady: segment ? () => {} : sound.start, animate: (input: AnimateInput) => pool.animate(input) };
    // Several speakers (pipeline/speakers.ts) render in one piece: the runner never splits them into segments.
    if (spec.speakers && segment) throw new DhError('INTERNAL', { reason: 'a video with speakers is rendered whole, not in segments' });
    const { layout, base, rig, tracks, overlays, background, frameCount, audioSeconds, face, style, faces, foundFaces, ...group } = spec.speakers
      ? await prepareSpeakers(spec, inputs, deps, mixPath, ctx)
      : { ...await prepare(spec, inputs, deps, ctx), more: undefined, speakers: undefined };
    const range = segment ?? { start: 0, end: frameCount };
    // Without overlays the background is the base's own conversion.
    const baseYuv = overlays.length > 0 ? rgbToYuv420(base.data, base.width, base.height) : background;
    if (range.start < 0 || range.end > frameCount || range.start >= range.end) {
      throw new DhError('INTERNAL', { reason: `segment ${range.start}-${range.end} outside the video's ${frameCount} frames` });
    }
    if (sound.failure) throw sound.failure;
    const frames = range.end - range.start;
    const encoding = deps.encoder.start(videoEncodeArgs({ width: layout.width, height: layout.height, fps: VIDEO.fps, frameCount: frames, outputPath: segment ? partial : videoPath }),
      yuv420Size(layout.width, layout.height), signal);
    sink = encoding;
    let renderMs = 0, renderCpuMs = NaN;
    try {
      ({ renderMs, renderCpuMs } = await pool.render({ base, rig, overlays, tracks, yuv: { base: baseYuv, background }, ...(group.more ? { more: group.more } : {}) }, background, range, async (f, data) => {
        // Report each whole percent once: fine enough for a progress bar, cheap for a 180 s video.
        const done = f - range.start;
        if (Math.floor((done * 100) / frames) !== Math.floor(((done - 1) * 100) / frames)) progress('render', done / frames);
        await encoding.write(data);
      }, signal));
      progress('encode', 1);
      await encoding.finish();
    } catch (err) {
      encoding.abort();
      throw signal?.aborted ? new DhError('CANCELLED') : sound.failure ?? err;
    }
    timings.renderMs = Math.round(renderMs);
    if (Number.isFinite(renderCpuMs)) timings.renderCpuMs = Math.round(renderCpuMs);
    lap('renderEncodeMs');
    if (!segment) {
      await sound.done();
      await deps.encoder.run(muxArgs({ videoPath, audioPath: soundPath, outputPath: partial, metadata: { comment: AI_LABEL } }), { signal })
        .catch((err: unknown) => { throw encodeFailure(err); });
      lap('muxMs');
    }
    await fs.rename(partial, output);
    timings.totalMs = Math.round(performance.now() - started);
    progress('done', 1);
    return {
      video: path.resolve(output),
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
      foundFaces,
      ...(group.speakers ? { speakers: group.speakers } : {}),
      promptCues: style.cues,
      timings,
    };
  } finally {
    await Promise.all([pool.close(), sound.close()]);
    await Promise.all([partial, mixPath, videoPath, soundPath].map((file) => fs.rm(file, { force: true })));
  }
}

/**
 * A whole video's sound, encoded into `file` as soon as it is decoded (`start`), in a process of
 * its own below the render threads' priority: it takes the CPU the face analysis leaves idle, and
 * its encoding (1.6 s of CPU a minute of sound) is no longer done between the frames by their
 * ffmpeg, whose main thread feeds x264. A sound that is AAC already is copied instead
 * (encode's soundCopies). `onFailure` runs when it fails.
 */
function soundEncoder(encoder: MediaEncoder, file: string, signal: AbortSignal | undefined, onFailure: () => void) {
  // Stops it when the frames fail, not only when the caller cancels.
  const stop = new AbortController();
  let running: Promise<void> | null = null;
  let failure: unknown = null;
  const encode = async (audioPath: string, frameCount: number, audioSeconds: number, stopping: AbortSignal) => {
    const copy = await copiesSound(encoder, audioPath, audioSeconds, frameCount, { signal: stopping, niceness: FRAME_THREAD_NICENESS });
    await encoder.run(audioEncodeArgs({ audioPath, frameCount, fps: VIDEO.fps, outputPath: file, copy }), { signal: stopping, niceness: FRAME_THREAD_NICENESS });
  };
  return {
    /** `audioSeconds`: how long the sound in `audioPath` is (as far as it was read). */
    start(audioPath: string, frameCount: number, audioSeconds: number): void {
      const stopping = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
      running = encode(audioPath, frameCount, audioSeconds, stopping)
        .then(() => {}, (err: unknown) => { failure = encodeFailure(err); onFailure(); throw failure; });
      running.catch(() => {});
    },
    get failure(): unknown { return failure; },
    /** Resolves once `file` is complete. */
    done: (): Promise<void> => running ?? Promise.reject(new DhError('INTERNAL', { reason: 'the sound was never encoded' })),
    /** Stops it if it still runs and waits for its process to exit, so that its file can be removed. */
    async close(): Promise<void> { stop.abort(); await running?.catch(() => {}); },
  };
}

/**
 * Whether the sound of `file` goes into a video of `frameCount` frames copied (encode's
 * soundCopies). `seconds`: how long it is, as decoded; null to take its container's word. `opts`
 * as MediaEncoder.run's: a whole render's sound is probed at its encoder's priority, beside the
 * start-up's work (ffprobe takes about 0.12 s of CPU).
 */
async function copiesSound(encoder: MediaEncoder, file: string, seconds: number | null, frameCount: number, opts: { signal?: AbortSignal; niceness?: number }): Promise<boolean> {
  // A file ffprobe cannot read is left to ffmpeg, whose failure says what is wrong with it.
  const stream = encoder.probeSound ? await encoder.probeSound(file, opts).catch(() => null) : null;
  return soundCopies(stream, seconds ?? stream?.seconds ?? 0, frameCount, VIDEO.fps);
}

/** A tool's failure while encoding, as the error the caller sees. */
const encodeFailure = (err: unknown): unknown => err instanceof ToolFailure ? new DhError('ENCODE_FAILED', { reason: err.message }) : err;

/** Written under a temporary name beside the output and renamed when complete. */
const partialPath = (output: string): string =>
  path.join(path.dirname(path.resolve(output)), `.${path.basename(output)}.${process.pid}.partial.mp4`);

/**
 * The segments of a video (files renderSegment made, in order, `frameCount` frames together)
 * joined into `opts.output` with the sound of `inputs.audio` muxed once over the whole length:
 * the video is copied, not re-encoded, so the joins cost nothing and show nothing.
 */
export async function joinSegments(inputs: Pick<LocalInputs, 'audio'>, segments: readonly string[], frameCount: number, deps: Pick<PipelineDeps, 'encoder'>, opts: Pick<RenderOptions, 'output' | 'signal'>): Promise<void> {
  const partial = partialPath(opts.output);
  const listPath = `${partial}.ffconcat`;
  try {
    await fs.writeFile(listPath, concatList(segments.map((s) => path.resolve(s))));
    // Copied as a whole render copies it, where its container says it is long enough.
    const copy = await copiesSound(deps.encoder, inputs.audio, null, frameCount, { signal: opts.signal });
    await deps.encoder.run(joinSegmentsArgs({ listPath, fps: VIDEO.fps, frameCount, audioPath: inputs.audio, outputPath: partial, metadata: { comment: AI_LABEL }, copy }), { signal: opts.signal });
    await fs.rename(partial, opts.output);
  } catch (err) {
    throw encodeFailure(err);
  } finally {
    await fs.rm(partial, { force: true });
    await fs.rm(listPath, { force: true });
  }
}

/** The face the video animates: marked by hand, known from an avatar, or detected. */
async function findFace(spec: RenderSpec, inputs: LocalInputs, image: RgbImage, deps: PipelineDeps): Promise<{ face: FaceLandmarks; faces: NumberedFace[]; found: readonly FaceLandmarks[] }> {
  // A picture fixedMinSide cannot frame is refused before any face is looked for.
  if (spec.resizeMode === 'fixedMinSide') fixedMinSideSize(image.width, image.height);
  let face: FaceLandmarks | null;
  let found: FaceLandmarks[] | null = null;
  if (spec.facePoints) {
    const points = toFacePoints(spec.facePoints);
    checkFacePoints(points, image.width, image.height);
    face = landmarksFromPoints(points);
  } else if (inputs.face !== undefined) {
    face = inputs.face;
    // An avatar keeps every face of its image: they are still numbered as found.
    if (inputs.faces?.length) found = [...inputs.faces];
  } else {
    const detected = await deps.faceDetector.detect(image);
    face = pickMainFace(detected, image.width, image.height);
    found = numberFaces(detected);
  }
  // A face-less video would be a still picture with sound: refused, with how to mark the face.
  if (!face) throw new DhError('FACE_NOT_FOUND');
  // A style given goes with the face, so an avatar made from this task keeps it.
  if (spec.style && spec.style !== 'auto') face = { ...face, style: spec.style };
  // Every face, numbered left to right; the one used when it was given rather than looked for.
  return { face, faces: faceList(found ?? [face]), found: found ?? [] };
}

export interface VideoPlan {
  readonly frameCount: number;
  /** The face every segment animates (found once, so no segment can find another). */
  readonly face: FaceLandmarks;
}

/**
 * What a video rendered in segments needs decided once, before any segment: its length in
 * frames and its face. Checks the inputs as a whole render would, so a bad input fails here.
 */
export async function planVideo(spec: RenderSpec, inputs: LocalInputs, deps: PipelineDeps, opts: Pick<RenderOptions, 'signal'> = {}): Promise<VideoPlan> {
  const [image, sound] = await Promise.all([
    loadImage(inputs.image, deps.imageCodec),
    loadAudio(inputs.audio, deps.encoder, opts.signal, spec.duration ?? VIDEO.maxDurationSeconds),
  ]);
  if (spec.duration === undefined && sound.durationSeconds > VIDEO.maxDurationSeconds) {
    throw new DhError('AUDIO_TOO_LONG', { seconds: sound.durationSeconds.toFixed(1), max: VIDEO.maxDurationSeconds });
  }
  return { frameCount: frameCountFor(spec.duration ?? sound.durationSeconds), face: (await findFace(spec, inputs, image, deps)).face };
}

/**
 * Everything before the frame loop: inputs decoded, face and speech analysed, tracks made. Kept
 * apart so the decoded picture and audio samples are garbage once it returns: rendering holds
 * only what the frames need, whatever the size of the inputs.
 */
async function prepare(spec: RenderSpec, inputs: LocalInputs, deps: PipelineDeps, ctx: PrepareContext & { animate: (input: AnimateInput) => Promise<ParamTracks> }) {
  const { signal, progress, lap } = ctx;
  progress('ingest', 0);
  // The face model loads while the inputs decode (it is needed unless the face is given).
  if (!spec.facePoints && inputs.face === undefined) void deps.faceDetector.warmUp?.();
  const [image, sound] = await Promise.all([
    loadImage(inputs.image, deps.imageCodec),
    loadAudio(inputs.audio, deps.encoder, signal, spec.duration ?? VIDEO.maxDurationSeconds),
  ]);
  if (spec.duration === undefined && sound.durationSeconds > VIDEO.maxDurationSeconds) {
    throw new DhError('AUDIO_TOO_LONG', { seconds: sound.durationSeconds.toFixed(1), max: VIDEO.maxDurationSeconds });
  }
  const seconds = spec.duration ?? sound.durationSeconds;
  const frameCount = frameCountFor(seconds);
  ctx.soundReady(sound.path, frameCount, sound.durationSeconds);
  lap('ingestMs');

  progress('analyze', 0);
  // The speech is animated on a render thread while this one looks for the face: the tracks do
  // not depend on the face.
  const style = styleFromPrompt(spec.prompt);
  const animating = ctx.animate({ audio: sound.audio, phonemes: inputs.phonemes, fps: VIDEO.fps, frameCount, seed: seedOf(ctx.seed, image, sound.audio), style });
  animating.catch(() => {});
  const finding = findFace(spec, inputs, image, deps);
  finding.catch(() => {});
  // A picture narrower than the frame may need margins, whose backdrop is told from the person
  // by segmentation: the mask is made while the face is looked for (in parallel where detection
  // has threads of its own, as in the service), and used if the layout pads.
  const segmenting = mayPad(image.width, image.height, spec.resizeMode) && deps.segmenter ? deps.segmenter.segment(image) : null;
  segmenting?.catch(() => {});
  const { face: found, faces, found: foundFaces } = await finding;
  // A picture on its side or upside down is rendered upright (analyze/face/upright.ts); the face
  // is reported, and kept with an avatar, in the picture as it came.
  const turns = quarterTurnsOf(found);
  const picture = turnImage(image, turns);
  const upright = fitToPicture(turnFace(found, turns, image.width, image.height), picture);
  const face = turnFace(upright, undoTurns(turns), picture.width, picture.height);
  lap('faceMs');
  // The frame is laid out while the speech may still be animated (a long speech takes longer
  // than the face): nothing here depends on the tracks.
  const layout = planLayout(picture.width, picture.height, upright.box, spec.resizeMode);
  // The mask made while the face was looked for is of the picture as it came.
  const masking = turns > 0 && layout.padded && deps.segmenter ? deps.segmenter.segment(picture) : segmenting;
  const person = layout.padded && masking ? await masking : null;
  const base = await baseFrame(deps.imageCodec, picture, layout, person);
  // Photo, drawing or animal: how the mouth opens (teeth only in a photo's). Given, or read from the face.
  const look = resolveStyle(spec.style, upright);
  const rig = rigFromLandmarks(toFrameCoords(upright.points, layout), rectToFrame(upright.box, layout),
    { style: look.style, eyesHidden: upright.eyesHidden, picture: pictureInFrame(picture.width, picture.height, layout) });
  const mark = watermarkText(spec);
  const overlays: Overlay[] = mark ? [await deps.imageCodec.renderTextOverlay(mark, layout.width, layout.height)] : [];
  const background = backgroundFrame(base, overlays);
  lap('analyzeMs');
  const tracks = await animating;
  lap('animateMs');
  return { layout, base, rig, tracks, overlays, background, frameCount, audioSeconds: sound.durationSeconds, face, style, faces, foundFaces };
}
