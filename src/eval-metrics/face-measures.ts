// Measures of a face across frames: identity (recognition descriptors) and head pose from the
// 68-point landmarks (iBUG 300-W order: 36-41 one eye, 42-47 the other, 48-67 the mouth). Pure.
import type { Point, Rect } from '../core/types.js';

/** A face found by a recognizer: box, 68 landmarks as x,y pairs, a 128-d descriptor. */
export interface FaceDescription {
  readonly box: Rect;
  readonly score: number;
  readonly landmarks: Float32Array;
  readonly descriptor: Float32Array;
}

/** Finds and describes faces in packed RGB (an adapter: src/adapters/face-recognition.ts). */
export interface FaceRecognizer {
  describe(rgb: Uint8Array, width: number, height: number): Promise<FaceDescription[]>;
}

/**
 * Euclidean distance between descriptors: dlib's face-recognition ResNet (which face-api ports)
 * is trained so that the same person falls under 0.6; the issue asks for a mean under 0.3.
 */
export function descriptorDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`descriptor lengths differ: ${a.length} vs ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

const centre = (r: Rect): Point => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });

/** The face whose box centre is nearest `target`'s (the face the pipeline animated); null when none. */
export function nearestFace<T extends { box: Rect }>(faces: readonly T[], target: Rect): T | null {
  const c = centre(target);
  let best: T | null = null, bestD = Infinity;
  for (const f of faces) {
    const fc = centre(f.box), d = Math.hypot(fc.x - c.x, fc.y - c.y);
    if (d < bestD) { bestD = d; best = f; }
  }
  return best;
}

/** Mean of landmarks first..last (inclusive). */
export function landmarkMean(points: Float32Array, first: number, last: number): Point {
  let x = 0, y = 0;
  for (let i = first; i <= last; i++) { x += points[2 * i]; y += points[2 * i + 1]; }
  const n = last - first + 1;
  return { x: x / n, y: y / n };
}

/** Bounding box of landmarks first..last (inclusive). */
export function landmarkBox(points: Float32Array, first: number, last: number): Rect {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = first; i <= last; i++) {
    x0 = Math.min(x0, points[2 * i]); x1 = Math.max(x1, points[2 * i]);
    y0 = Math.min(y0, points[2 * i + 1]); y1 = Math.max(y1, points[2 * i + 1]);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * How far apart the lips are, from 68 landmarks: the mean gap between the inner lip points
 * (61-67, 62-66, 63-65) over the distance between the eye centres, so faces of any size compare.
 */
export function innerLipOpening(landmarks68: Float32Array): number {
  const gap = (a: number, b: number) => Math.hypot(landmarks68[2 * a] - landmarks68[2 * b], landmarks68[2 * a + 1] - landmarks68[2 * b + 1]);
  const l = landmarkMean(landmarks68, 36, 41), r = landmarkMean(landmarks68, 42, 47);
  return (gap(61, 67) + gap(62, 66) + gap(63, 65)) / 3 / Math.max(1, Math.hypot(r.x - l.x, r.y - l.y));
}

/** Head roll in degrees from the line through the two eye centres (image-left eye first); positive = clockwise on screen. */
export function rollDegrees(landmarks68: Float32Array): number {
  const a = landmarkMean(landmarks68, 36, 41), b = landmarkMean(landmarks68, 42, 47);
  return (Math.atan2(b.y - a.y, b.x - a.x) * 180) / Math.PI;
}

/** Regions to measure in a frame: eye boxes and a mouth box, from landmarks or guessed from the face box. */
export interface FaceRegions {
  readonly eyes: readonly Rect[];
  readonly mouth: Rect;
  /**
   * Brows, eyes and nose: what moves rigidly with the head. The whole face box also holds hair
   * and background that a 2.5D head warp leaves nearly still, which would pin a tracker at zero.
   */
  readonly head: Rect;
  /** Lip-corner distance, px. */
  readonly mouthWidth: number;
  readonly fromLandmarks: boolean;
}

/**
 * Eye boxes padded so a lid sweeping over the whole eye stays inside; the mouth box reaches down
 * far enough to hold a jaw dropped by half the mouth width.
 */
export function faceRegions(face: Rect, landmarks68: Float32Array | null): FaceRegions {
  if (landmarks68) {
    const eyes = [landmarkBox(landmarks68, 36, 41), landmarkBox(landmarks68, 42, 47)].map((e) => {
      const pad = Math.max(e.width * 0.25, 3);
      return { x: e.x - pad, y: e.y - e.height * 0.6 - pad, width: e.width + 2 * pad, height: e.height * 2.2 + 2 * pad };
    });
    const m = landmarkBox(landmarks68, 48, 59);
    return {
      eyes,
      mouth: { x: m.x - 0.1 * m.width, y: m.y - 0.15 * m.width, width: 1.2 * m.width, height: m.height + 0.65 * m.width },
      head: landmarkBox(landmarks68, 17, 35),
      mouthWidth: m.width,
      fromLandmarks: true,
    };
  }
  // Proportions of a frontal face in a detector box, for when the recogniser finds none.
  const { x, y, width: w, height: h } = face;
  return {
    eyes: [{ x: x + 0.18 * w, y: y + 0.3 * h, width: 0.26 * w, height: 0.16 * h }, { x: x + 0.56 * w, y: y + 0.3 * h, width: 0.26 * w, height: 0.16 * h }],
    mouth: { x: x + 0.3 * w, y: y + 0.65 * h, width: 0.4 * w, height: 0.3 * h },
    head: { x: x + 0.2 * w, y: y + 0.2 * h, width: 0.6 * w, height: 0.45 * h },
    mouthWidth: 0.33 * w,
    fromLandmarks: false,
  };
}
