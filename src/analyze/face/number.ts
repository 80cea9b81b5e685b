// Faces numbered the way people point at a picture: from the left, by the centre of their boxes.
// The numbers are what speakers name (`--speaker 0=a.wav`, `speakers[].face`), so the order must
// not depend on detection order or score. Pure.
import type { FaceLandmarks, NumberedFace } from '../../core/types.js';

export type { NumberedFace } from '../../core/types.js';

const centreX = (f: FaceLandmarks): number => f.box.x + f.box.width / 2;

/** The faces sorted left to right (ties: top to bottom); index i of the result is face number i. */
export function numberFaces(faces: readonly FaceLandmarks[]): FaceLandmarks[] {
  return [...faces].sort((a, b) => centreX(a) - centreX(b) || a.box.y - b.box.y);
}

const r1 = (v: number): number => Math.round(v * 10) / 10;

/** The report's list: `faces` must already be numbered (numberFaces). */
export function faceList(faces: readonly FaceLandmarks[]): NumberedFace[] {
  return faces.map((f, index) => ({
    index,
    box: { x: r1(f.box.x), y: r1(f.box.y), width: r1(f.box.width), height: r1(f.box.height) },
    method: f.method ?? 'facemesh',
  }));
}
