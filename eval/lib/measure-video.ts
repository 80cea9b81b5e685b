// Measures one rendered video against its source portrait, from the pixels alone: nothing here
// reads the pipeline's internal tracks, so it judges what a viewer would see.
import sharp from 'sharp';
import type { Rect } from '../../src/core/types.js';
import {
  argExtreme, bestShift, darkAperture, descriptorDistance, detectBlinks, evenlySpaced, faceRegions, luminance,
  meanAbsDiff, medianIn, nearestFace, perMinute, range, rmsPerFrame, rollDegrees, scaleBox, shiftedLumDiff, speechMask,
  type BlinkEvent, type FaceDescription, type FaceRecognizer, type FaceRegions, type Shift,
} from '../../src/eval-metrics/index.js';
import { forEachFrame, readAudioMono, readFrames } from './video-io.js';

export interface RenderedVideo {
  readonly video: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** The animated face's box in frame pixels, as the pipeline reports it. */
  readonly faceBox: Rect;
}

export interface KeyFrame { readonly frame: number; readonly why: string }

export interface VideoMeasures {
  readonly frameCount: number;
  /** Whether the recogniser found a face in the source and in frame 0. */
  readonly sourceFace: boolean;
  readonly frameFace: boolean;
  readonly regions: FaceRegions;
  /** Descriptor distance source -> frame for each sampled frame (null: no face found there). */
  readonly identity: { frame: number; distance: number | null }[];
  readonly identityMean: number | null;
  readonly identityMax: number | null;
  /** Mean absolute difference vs frame 0 outside twice the face box, per frame (levels of 255). */
  readonly background: Float32Array;
  readonly eyeChange: Float32Array;
  readonly blinks: BlinkEvent[];
  readonly blinkThreshold: number;
  readonly blinksPerMinute: number;
  /** Face translation vs frame 0 per frame (block matching), px. */
  readonly headShift: { dx: Int16Array; dy: Int16Array };
  readonly headRangePx: number;
  readonly headMaxStepPx: number;
  /** Roll range over sampled frames (max - min), degrees; null without landmarks. */
  readonly rollRangeDeg: number | null;
  /** Dark-pixel extent in the mouth box minus frame 0's, px. */
  readonly aperture: Float32Array;
  readonly speech: boolean[];
  readonly timeline: number[];
  readonly keyFrames: KeyFrame[];
  /** Decoded rgb24 of the timeline and key frames. */
  readonly frames: Map<number, Buffer>;
  readonly source: { rgb: Uint8Array; width: number; height: number; face: FaceDescription | null };
}

/** Ratio of a dark cavity's luminance to the face's median skin: lips sit near 0.7, a mouth interior well under half. */
const DARK_FRACTION = 0.5;

export async function measureVideo(r: RenderedVideo, sourceImage: string, recognizer: FaceRecognizer, opts: { timelineFrames?: number } = {}): Promise<VideoMeasures> {
  const { width: W, height: H } = r;
  const { data, info } = await sharp(sourceImage).rotate().flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const srcRgb = new Uint8Array(data.buffer, data.byteOffset, data.length);
  const sourceFaces = await recognizer.describe(srcRgb, info.width, info.height);

  const [first] = readFrames(r.video, [0], W, H);
  const frame0Face = nearestFace(await recognizer.describe(first, W, H), r.faceBox);
  // The source face is the one that looks most like the animated face (in a two-person photo,
  // the other person is far over 0.6 away), so the pipeline's choice of face is respected.
  let sourceFace: FaceDescription | null = null;
  if (frame0Face) {
    let best = Infinity;
    for (const f of sourceFaces) { const d = descriptorDistance(f.descriptor, frame0Face.descriptor); if (d < best) { best = d; sourceFace = f; } }
  } else sourceFace = sourceFaces[0] ?? null;

  const regions = faceRegions(r.faceBox, frame0Face?.landmarks ?? null);
  const outsideBox = scaleBox(r.faceBox, 2);
  const series = { bg: [] as number[], eye: [] as number[], ap: [] as number[], dx: [] as number[], dy: [] as number[] };
  let ref: Uint8Array | null = null, rgb0: Uint8Array | null = null, darkT = 0, ap0 = 0;
  let shift: Shift = { dx: 0, dy: 0 };
  const eyeShift: Shift[] = regions.eyes.map(() => ({ dx: 0, dy: 0 }));
  const frameCount = await forEachFrame(r.video, W, H, (rgb) => {
    const lum = luminance(rgb, W, H);
    if (!ref) {
      ref = lum; rgb0 = new Uint8Array(rgb);
      darkT = DARK_FRACTION * medianIn(lum, W, H, scaleBox(r.faceBox, 0.6));
      ap0 = darkAperture(lum, W, H, regions.mouth, darkT);
    }
    shift = bestShift(ref, lum, W, H, regions.head, { around: shift, radius: 3, step: 2 });
    series.dx.push(shift.dx); series.dy.push(shift.dy);
    // Each eye is aligned on the skin and brow around it, then compared inside.
    const eyeDiffs = regions.eyes.map((e, k) => {
      eyeShift[k] = bestShift(ref!, lum, W, H, scaleBox(e, 2.2), { around: shift, radius: 2, exclude: e, step: 1 });
      return shiftedLumDiff(ref!, lum, W, H, e, eyeShift[k]);
    });
    series.eye.push(eyeDiffs.length ? eyeDiffs.reduce((a, b) => a + b, 0) / eyeDiffs.length : 0);
    series.ap.push(darkAperture(lum, W, H, regions.mouth, darkT, shift) - ap0);
    series.bg.push(meanAbsDiff(rgb0!, rgb, W, H, outsideBox, true, 2));
  });

  const samples = readAudioMono(r.video);
  const speech = speechMask(rmsPerFrame(samples, 16000, r.fps, frameCount));
  const eyeChange = Float32Array.from(series.eye);
  const aperture = Float32Array.from(series.ap);
  const { events, threshold } = detectBlinks(eyeChange);

  const keyFrames: KeyFrame[] = [{ frame: 0, why: 'first frame' }];
  const open = argExtreme(aperture);
  if (open >= 0) keyFrames.push({ frame: open, why: `widest open +${aperture[open].toFixed(0)}px` });
  const closure = argExtreme(aperture, speech, true);
  if (closure >= 0) keyFrames.push({ frame: closure, why: `most closed in speech ${aperture[closure].toFixed(0)}px` });
  const blink = events.reduce<BlinkEvent | null>((b, e) => (!b || eyeChange[e.peak] > eyeChange[b.peak] ? e : b), null);
  keyFrames.push(blink ? { frame: blink.peak, why: `blink, eye change ${eyeChange[blink.peak].toFixed(1)}` }
    : { frame: argExtreme(eyeChange), why: `no blink; max eye change ${range(eyeChange).max.toFixed(1)}` });

  const timeline = evenlySpaced(frameCount, opts.timelineFrames ?? 8);
  const wanted = [...new Set([...timeline, ...keyFrames.map((k) => k.frame)])].sort((a, b) => a - b);
  const decoded = readFrames(r.video, wanted, W, H);
  const frames = new Map(wanted.map((f, i) => [f, decoded[i]]));

  const identity: VideoMeasures['identity'] = [];
  const rolls: number[] = [];
  for (const f of wanted) {
    const box = { ...r.faceBox, x: r.faceBox.x + series.dx[f], y: r.faceBox.y + series.dy[f] };
    const face = nearestFace(await recognizer.describe(frames.get(f)!, W, H), box);
    identity.push({ frame: f, distance: face && sourceFace ? descriptorDistance(face.descriptor, sourceFace.descriptor) : null });
    // Without a face in frame 0 any later "face" is a false detection (fur, fabric).
    if (face && frame0Face) rolls.push(rollDegrees(face.landmarks));
  }
  const dists = identity.map((d) => d.distance).filter((d): d is number => d !== null);
  const dx = range(series.dx), dy = range(series.dy);
  let maxStep = 0;
  for (let i = 1; i < frameCount; i++) maxStep = Math.max(maxStep, Math.hypot(series.dx[i] - series.dx[i - 1], series.dy[i] - series.dy[i - 1]));
  return {
    frameCount,
    sourceFace: sourceFace !== null,
    frameFace: frame0Face !== null,
    regions,
    identity,
    identityMean: dists.length && sourceFace ? dists.reduce((a, b) => a + b, 0) / dists.length : null,
    identityMax: dists.length && sourceFace ? Math.max(...dists) : null,
    background: Float32Array.from(series.bg),
    eyeChange,
    blinks: events,
    blinkThreshold: threshold,
    blinksPerMinute: perMinute(events.length, frameCount, r.fps),
    headShift: { dx: Int16Array.from(series.dx), dy: Int16Array.from(series.dy) },
    headRangePx: Math.hypot(dx.max - dx.min, dy.max - dy.min),
    headMaxStepPx: maxStep,
    rollRangeDeg: rolls.length >= 2 ? range(rolls).max - range(rolls).min : null,
    aperture,
    speech,
    timeline,
    keyFrames,
    frames,
    source: { rgb: srcRgb, width: info.width, height: info.height, face: sourceFace },
  };
}
