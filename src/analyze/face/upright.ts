// A picture stored on its side or upside down (a phone photo whose EXIF orientation was lost on
// the way) has its face turned a quarter or a half turn. The video is of a person talking, so
// the picture is turned upright before it is framed: a sideways head in a landscape frame is never
// what was meant. Only whole quarter turns, so no pixel is resampled. Pure.
import type { FaceLandmarks, Rect, RgbImage } from '../../core/types.js';
import { FACE_LIMITS, measureFace } from './plausible.js';

/** Quarter turns (0-3) that bring `face` upright: 0 unless its eye line is turned more than FACE_LIMITS.maxRoll. */
export function quarterTurnsOf(face: FaceLandmarks): number {
  const roll = measureFace(face).roll;
  if (Math.abs(roll) <= FACE_LIMITS.maxRoll) return 0;
  return (((Math.round(roll / 90)) % 4) + 4) % 4;
}

/**
 * Where point (x, y) of a width x height picture lands once the picture is turned back by
 * `turns` quarter turns (anticlockwise as seen, undoing a face's clockwise roll).
 */
function turnPoint(turns: number, width: number, height: number, x: number, y: number): [number, number] {
  switch (turns) {
    case 1: return [y, width - x];
    case 2: return [width - x, height - y];
    case 3: return [height - y, x];
    default: return [x, y];
  }
}

/** The picture turned as turnPoint turns its points (pixel (x, y) covers [x, x + 1) x [y, y + 1)). */
export function turnImage(image: RgbImage, turns: number): RgbImage {
  if (turns === 0) return image;
  const { width: w, height: h, data } = image;
  const tw = turns === 2 ? w : h;
  // Where pixel (x, y) goes, without a point per pixel: a phone photo has tens of millions.
  const to = turns === 1 ? (x: number, y: number) => (w - 1 - x) * tw + y
    : turns === 2 ? (x: number, y: number) => (h - 1 - y) * tw + (w - 1 - x)
      : (x: number, y: number) => x * tw + (h - 1 - y);
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = to(x, y) * 3, i = (y * w + x) * 3;
      out[o] = data[i]; out[o + 1] = data[i + 1]; out[o + 2] = data[i + 2];
    }
  }
  return { width: tw, height: turns === 2 ? h : w, data: out };
}

/** `face` (found in a width x height picture) as it lies in that picture turned by turnImage. */
export function turnFace(face: FaceLandmarks, turns: number, width: number, height: number): FaceLandmarks {
  if (turns === 0) return face;
  const points = new Float32Array(face.points.length);
  for (let i = 0; i < points.length; i += 2) {
    [points[i], points[i + 1]] = turnPoint(turns, width, height, face.points[i], face.points[i + 1]);
  }
  const b = face.box;
  const [ax, ay] = turnPoint(turns, width, height, b.x, b.y);
  const [bx, by] = turnPoint(turns, width, height, b.x + b.width, b.y + b.height);
  const box: Rect = { x: Math.min(ax, bx), y: Math.min(ay, by), width: Math.abs(bx - ax), height: Math.abs(by - ay) };
  return { ...face, points, box };
}

/**
 * Quarter turns that bring every face of `faces` upright: those they all agree on, else 0 (a
 * group photo is turned as a whole; faces that disagree are left as the picture shows them).
 */
export function commonTurns(faces: readonly FaceLandmarks[]): number {
  const turns = faces.map(quarterTurnsOf);
  return turns.length > 0 && turns.every((t) => t === turns[0]) ? turns[0] : 0;
}

/** How many quarter turns undo `turns` (the face found upright given back in the picture as it came). */
export const undoTurns = (turns: number): number => (4 - turns) % 4;
