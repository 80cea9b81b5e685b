// Several people in one picture, each speaking their own part. Each speaker names a face (its
// number, left to right) or marks one with points, and brings its own speech; every track
// starts at 0 on one timeline. Each face gets the single-face machinery of its own: a rig, and
// tracks animated from its own audio only (a face whose track is silent keeps its mouth closed
// and still blinks, breathes and moves), then listening motion towards whoever speaks. The
// video's sound is the tracks' mix. Faces found but named by no speaker listen too.
import fs from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { DhError } from '../core/errors.js';
import type { PipelineDeps } from '../core/ports.js';
import type { FaceLandmarks, ParamTracks, ProgressFn, RawAudio, Rect } from '../core/types.js';
import { VIDEO } from '../core/video.js';
import { decodeMono, loadAudio, loadImage, ANALYSIS_SAMPLE_RATE } from '../ingest/index.js';
import { checkFacePoints, commonTurns, faceList, fitToPicture, landmarksFromPoints, numberFaces, resolveStyle, rigFromLandmarks, turnFace, turnImage, undoTurns, type NumberedFace } from '../analyze/face/index.js';
import { animate, styleFromPrompt, withListening } from '../animate/index.js';
import { backgroundFrame, fixedMinSideSize, pictureInFrame, rectToFrame, toFrameCoords, type Overlay } from '../render/index.js';
import { planGroupLayout } from '../render/group-layout.js';
import { toFacePoints, watermarkText, type RenderSpec } from '../spec/index.js';
import { mixTracks } from '../encode/mix.js';
import { encodeWav } from '../encode/wav.js';
import { frameCountFor, type LocalInputs } from './request.js';
import type { SpeakerRequest } from './speaker-request.js';
import { baseFrame } from './base-frame.js';

/** What a video with speakers reports about each one. */
export interface SpeakerReport {
  readonly face: number;
  readonly audio: string;
  readonly seconds: number;
  /** Its face box in output-frame pixels. */
  readonly frameBox: Rect;
}

/** Sample rate of the mixed sound track (what the encoder resamples to anyway). */
const MIX_RATE = 48000;

/**
 * The face each speaker speaks for, and the listeners: every other face found. Throws the
 * catalogue's error for a face number the picture does not have, saying how many there are.
 */
export function assignFaces(speakers: readonly SpeakerRequest[], found: readonly FaceLandmarks[], imageWidth: number, imageHeight: number, field = 'speakers'): { speaking: FaceLandmarks[]; listening: FaceLandmarks[] } {
  const speaking = speakers.map((s, i) => {
    if (s.facePoints) {
      checkFacePoints(s.facePoints, imageWidth, imageHeight, `${field}[${i}].facePoints`);
      return landmarksFromPoints(s.facePoints);
    }
    const face = found[s.face!];
    if (!face) throw new DhError('SPEAKER_FACE_NOT_FOUND', { field: `${field}[${i}].face`, face: s.face, found: found.length });
    return face;
  });
  // A face found where a speaker marked one by points is that speaker's face: were it to listen
  // as well, two renderers would draw one face.
  const marked = speaking.filter((_, i) => speakers[i].facePoints);
  const listening = found.filter((f) => !speaking.includes(f) && !marked.some((m) => overlaps(m.box, f.box)));
  return { speaking, listening };
}

/** Whether either box's centre lies inside the other. */
function overlaps(a: Rect, b: Rect): boolean {
  const inside = (r: Rect, x: number, y: number) => x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height;
  return inside(a, b.x + b.width / 2, b.y + b.height / 2) || inside(b, a.x + a.width / 2, a.y + a.height / 2);
}

/** Which frames of `audio` are heard: a silent stand-in of `seconds` for a listener. */
const silence = (seconds: number): RawAudio => ({ samples: new Float32Array(Math.ceil(seconds * ANALYSIS_SAMPLE_RATE)), sampleRate: ANALYSIS_SAMPLE_RATE });

/** Seeds differ per face, so blinks and drift are not in step across the picture. */
const faceSeed = (seed: number, i: number): number => (seed + Math.imul(i, 0x9e3779b1)) >>> 0;

const inside = (b: { x: number; y: number; width: number; height: number }, w: number, h: number) => b.x >= 0 && b.y >= 0 && b.x + b.width <= w && b.y + b.height <= h;

/**
 * The spec's speakers with their local speech (`inputs.speakers[i]` is the speech of
 * `spec.speakers[i]`), as the pipeline's speakers stage takes them.
 */
export function speakerRequests(spec: RenderSpec, inputs: LocalInputs): SpeakerRequest[] {
  return (spec.speakers ?? []).map((sp, i) => ({
    ...(sp.face !== undefined ? { face: sp.face } : {}),
    ...(sp.facePoints ? { facePoints: toFacePoints(sp.facePoints) } : {}),
    audio: inputs.speakers![i].audio,
    ...(inputs.speakers![i].phonemes ? { phonemes: inputs.speakers![i].phonemes } : {}),
  }));
}

/** What render-video's prepare() and prepareSpeakers() are given. */
export interface PrepareContext {
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly progress: ProgressFn;
  readonly lap: (name: string) => void;
  /** Called once the video's sound file and length are known, before the face is looked for. */
  readonly soundReady: (audioPath: string, frameCount: number, audioSeconds: number) => void;
}

/**
 * The speakers' counterpart of render-video's prepare(): everything before the frame loop, with
 * the first speaker's face as the job's main face and the others as `more`. The mixed sound is
 * written to `mixPath` (the caller removes it).
 */
export async function prepareSpeakers(spec: RenderSpec, inputs: LocalInputs, deps: PipelineDeps, mixPath: string, ctx: PrepareContext) {
  const { signal, progress, lap } = ctx;
  const speakers = speakerRequests(spec, inputs);
  progress('ingest', 0);
  const maxSeconds = spec.duration ?? VIDEO.maxDurationSeconds;
  const [image, ...sounds] = await Promise.all([
    loadImage(inputs.image, deps.imageCodec),
    ...speakers.map((s) => loadAudio(s.audio, deps.encoder, signal, maxSeconds)),
  ]) as [Awaited<ReturnType<typeof loadImage>>, ...Awaited<ReturnType<typeof loadAudio>>[]];
  const longest = Math.max(...sounds.map((s) => s.durationSeconds));
  if (spec.duration === undefined && longest > VIDEO.maxDurationSeconds) {
    throw new DhError('AUDIO_TOO_LONG', { seconds: longest.toFixed(1), max: VIDEO.maxDurationSeconds });
  }
  const seconds = spec.duration ?? longest;
  const frameCount = frameCountFor(seconds);
  // The sound track: every speaker's audio from 0, summed without clipping.
  const full = await Promise.all(sounds.map((s) => decodeMono(s.path, deps.encoder, MIX_RATE, seconds + 1, signal)));
  const mix = mixTracks(full, MIX_RATE, Math.ceil(seconds * MIX_RATE));
  await fs.writeFile(mixPath, encodeWav(mix.audio));
  ctx.soundReady(mixPath, frameCount, mix.audio.samples.length / MIX_RATE);
  lap('ingestMs');

  progress('analyze', 0);
  if (spec.resizeMode === 'fixedMinSide') fixedMinSideSize(image.width, image.height);
  // Faces named by number: an avatar's stored faces (numbered when found), else detected now.
  const needDetection = speakers.some((s) => s.face !== undefined);
  const found = !needDetection ? [] : inputs.faces?.length ? [...inputs.faces] : numberFaces(await deps.faceDetector.detect(image));
  const assigned = assignFaces(speakers, found, image.width, image.height);
  // A group photo on its side or upside down is rendered upright, as one face's is
  // (render-video.ts prepare); faces are numbered and reported in the picture as it came.
  const turns = commonTurns(assigned.speaking);
  const picture = turnImage(image, turns);
  // Each face fitted to the picture as a single face is (analyze/face/fit-picture.ts).
  const fitted = (f: FaceLandmarks) => fitToPicture(turnFace(f, turns, image.width, image.height), picture);
  const speaking = assigned.speaking.map(fitted);
  lap('faceMs');
  const layout = planGroupLayout(picture.width, picture.height, speaking.map((f) => f.box), spec.resizeMode);
  // Listeners are animated where the frame shows them whole; a face cut by the frame's edge stays still.
  const crop = layout.crop;
  const listening = assigned.listening.map(fitted).filter((f) => inside({ ...f.box, x: f.box.x - crop.x, y: f.box.y - crop.y }, crop.width, crop.height));
  // As with one face: a padded frame's margins continue the backdrop, the people told from it by segmentation.
  const person = layout.padded && deps.segmenter ? await deps.segmenter.segment(picture) : null;
  const base = await baseFrame(deps.imageCodec, picture, layout, person);
  const faces = [...speaking, ...listening];
  const inFrame = pictureInFrame(picture.width, picture.height, layout);
  const rigs = faces.map((face) => rigFromLandmarks(toFrameCoords(face.points, layout), rectToFrame(face.box, layout),
    { style: resolveStyle(spec.style, face).style, eyesHidden: face.eyesHidden, picture: inFrame }));
  lap('analyzeMs');

  const style = styleFromPrompt(spec.prompt);
  const seed = ctx.seed ?? createHash('sha256').update(image.data).update(new Uint8Array(mix.audio.samples.buffer)).digest().readUInt32LE(0);
  const own: ParamTracks[] = faces.map((_, i) => animate({
    audio: i < speakers.length ? sounds[i].audio : silence(seconds),
    phonemes: i < speakers.length ? speakers[i].phonemes : undefined,
    fps: VIDEO.fps, frameCount, seed: faceSeed(seed, i), style,
  }));
  const tracks = withListening(own, rigs.map((r) => ({ x: r.faceBox.x + r.faceBox.width / 2, y: r.faceBox.y + r.faceBox.height / 2 })), seed);
  const mark = watermarkText(spec);
  const overlays: Overlay[] = mark ? [await deps.imageCodec.renderTextOverlay(mark, layout.width, layout.height)] : [];
  const background = backgroundFrame(base, overlays);
  lap('animateMs');
  // Faces marked by points are numbered after the ones found, in the speakers' order.
  let marked = found.length;
  const numbers = speakers.map((sp) => sp.face ?? marked++);
  const asGiven = speaking.map((f) => turnFace(f, undoTurns(turns), picture.width, picture.height));
  const numbered: NumberedFace[] = [...faceList(found), ...speakers.flatMap((sp, i) => (sp.face === undefined ? [{ ...faceList([asGiven[i]])[0], index: numbers[i] }] : []))];
  const reports: SpeakerReport[] = speakers.map((sp, i) => ({ face: numbers[i], audio: sp.audio, seconds: Math.round(sounds[i].durationSeconds * 100) / 100, frameBox: rigs[i].faceBox }));
  return {
    layout, base, rig: rigs[0], tracks: tracks[0], more: rigs.slice(1).map((rig, i) => ({ rig, tracks: tracks[i + 1] })),
    overlays, background, frameCount, audioSeconds: longest, face: asGiven[0], style,
    faces: numbered, foundFaces: found, speakers: reports, mixGain: mix.gain,
  };
}
