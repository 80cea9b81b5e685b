// A face from a few points: the eyes, the mouth corners and optionally the chin are enough to
// drive any avatar (a cat, an alpaca, a drawing the face model does not recognise). The full
// FaceMesh layout of a frontal face (template.ts) is bent onto the points with a thin-plate
// spline (Bookstein 1989, "Principal warps"): exact at the points, smooth and as affine as
// possible between them. The rig, the renderer and avatar storage then work on it unchanged.
// Pure.
import { DhError } from '../../core/errors.js';
import { dot, length, mid, normalOf, normalize, sub } from '../../core/geometry.js';
import type { FaceLandmarks, FacePoints, FaceSummary, Point } from '../../core/types.js';
import { eyeCentre, LM } from './landmarks.js';
import { FACE_TEMPLATE } from './template.js';

const at = (i: number): Point => ({ x: FACE_TEMPLATE[2 * i], y: FACE_TEMPLATE[2 * i + 1] });
/** The template's own anchors: eye centres (by construction), mouth corners, chin. */
const ANCHORS = { leftEye: { x: -0.5, y: 0 }, rightEye: { x: 0.5, y: 0 }, mouthLeft: at(LM.mouthCornerLeft), mouthRight: at(LM.mouthCornerRight), chin: at(LM.chin) };

export const FACE_POINT_NAMES = ['leftEye', 'rightEye', 'mouthLeft', 'mouthRight', 'chin'] as const;

/**
 * Checks that the points make a face the rig can drive: each inside the image, the eyes apart,
 * the mouth below them and narrower than the face is wide, left left of right, the chin below
 * the mouth. Throws the catalogue's error naming the point (as `field`.<point>) and the fix.
 */
export function checkFacePoints(p: FacePoints, width: number, height: number, field = 'facePoints'): void {
  const bad = (name: string, problem: string, fix: string) => new DhError('INVALID_ARGUMENT', { field: `${field}.${name}`, problem, fix });
  for (const name of FACE_POINT_NAMES) {
    const q = p[name];
    if (q === undefined) continue;
    if (!(q.x >= 0 && q.x <= width && q.y >= 0 && q.y <= height)) {
      throw bad(name, `[${Math.round(q.x)}, ${Math.round(q.y)}] is outside the ${width}x${height} image`, 'Give source-image pixels, origin at the top-left corner.');
    }
  }
  const eyes = sub(p.rightEye, p.leftEye);
  const iod = length(eyes);
  if (iod < 6) throw bad('rightEye', `is ${iod.toFixed(1)} px from leftEye`, 'Mark the centres of the two eyes; the face must be at least a few dozen pixels wide.');
  const axis = normalize(eyes), down = normalOf(axis);
  if (axis.x <= 0) throw bad('leftEye', 'is right of rightEye', '"left" is the image\'s left: swap the two eyes.');
  const eyeMid = mid(p.leftEye, p.rightEye);
  const mouth = sub(p.mouthRight, p.mouthLeft);
  const mouthWidth = length(mouth);
  if (dot(mouth, axis) <= 0) throw bad('mouthLeft', 'is right of mouthRight', '"left" is the image\'s left: swap the mouth corners.');
  if (mouthWidth < 0.1 * iod || mouthWidth > 2.5 * iod) {
    throw bad('mouthRight', `the mouth is ${mouthWidth.toFixed(0)} px wide for eyes ${iod.toFixed(0)} px apart`, 'Mark the two corners of the mouth (where the lips meet).');
  }
  const drop = dot(sub(mid(p.mouthLeft, p.mouthRight), eyeMid), down);
  if (drop < 0.25 * iod || drop > 4 * iod) {
    throw bad('mouthLeft', `the mouth is ${drop.toFixed(0)} px below the eyes, which are ${iod.toFixed(0)} px apart`, 'Mark the mouth corners below the eyes, on the lips.');
  }
  if (p.chin) {
    const chinDrop = dot(sub(p.chin, mid(p.mouthLeft, p.mouthRight)), down);
    if (chinDrop < 0.05 * iod) throw bad('chin', 'is not below the mouth', 'Mark the bottom of the chin (or jaw), below the mouth; or leave it out.');
  }
}

const U = (r2: number): number => (r2 < 1e-12 ? 0 : r2 * Math.log(r2));

/** Solves a small dense linear system in place (Gaussian elimination, partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
    [a[c], a[piv]] = [a[piv], a[c]];
    [b[c], b[piv]] = [b[piv], b[c]];
    for (let r = c + 1; r < n; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k < n; k++) a[r][k] -= f * a[c][k];
      b[r] -= f * b[c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= a[r][k] * x[k];
    x[r] = s / a[r][r];
  }
  return x;
}

/** The thin-plate spline through `from` -> `to`, as a function of a point. */
function thinPlate(from: readonly Point[], to: readonly Point[]): (p: Point) => Point {
  const n = from.length;
  const m = n + 3;
  const matrix = (): number[][] => {
    const a = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) a[i][j] = U((from[i].x - from[j].x) ** 2 + (from[i].y - from[j].y) ** 2);
      a[i][n] = a[n][i] = 1;
      a[i][n + 1] = a[n + 1][i] = from[i].x;
      a[i][n + 2] = a[n + 2][i] = from[i].y;
    }
    return a;
  };
  const cx = solve(matrix(), [...to.map((q) => q.x), 0, 0, 0]);
  const cy = solve(matrix(), [...to.map((q) => q.y), 0, 0, 0]);
  return (p) => {
    let x = cx[n] + cx[n + 1] * p.x + cx[n + 2] * p.y, y = cy[n] + cy[n + 1] * p.x + cy[n + 2] * p.y;
    for (let i = 0; i < n; i++) {
      const u = U((p.x - from[i].x) ** 2 + (p.y - from[i].y) ** 2);
      x += cx[i] * u; y += cy[i] * u;
    }
    return { x, y };
  };
}

/** FaceMesh-layout landmarks for a face given by its points (checked with checkFacePoints first). */
export function landmarksFromPoints(p: FacePoints): FaceLandmarks {
  const names = FACE_POINT_NAMES.filter((k) => p[k] !== undefined);
  const warp = thinPlate(names.map((k) => ANCHORS[k]), names.map((k) => p[k]!));
  const points = new Float32Array(FACE_TEMPLATE.length);
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    const q = warp({ x: FACE_TEMPLATE[i], y: FACE_TEMPLATE[i + 1] });
    points[i] = q.x; points[i + 1] = q.y;
    x0 = Math.min(x0, q.x); y0 = Math.min(y0, q.y); x1 = Math.max(x1, q.x); y1 = Math.max(y1, q.y);
  }
  // The template's lips are a little apart; a marked face's mouth is taken as closed (an
  // animal's, a drawing's), so the inner lips meet on their middle line.
  LM.innerUpper.forEach((u, k) => {
    const l = LM.innerLower[k];
    const x = (points[2 * u] + points[2 * l]) / 2, y = (points[2 * u + 1] + points[2 * l + 1]) / 2;
    points[2 * u] = points[2 * l] = x;
    points[2 * u + 1] = points[2 * l + 1] = y;
  });
  // A square box around the mesh, as the face model reports it.
  const side = Math.max(x1 - x0, y1 - y0);
  const box = { x: (x0 + x1 - side) / 2, y: (y0 + y1 - side) / 2, width: side, height: side };
  return { points, box, score: 1, method: 'points' };
}

/**
 * The few points of any face's landmarks (eye centres, mouth corners, chin): what a user would
 * mark, so a report's points can be corrected and given back as facePoints.
 */
export function faceSummary(face: FaceLandmarks): FaceSummary {
  const p = face.points;
  const xy = (i: number): [number, number] => [Math.round(p[2 * i] * 10) / 10, Math.round(p[2 * i + 1] * 10) / 10];
  const eye = (e: (typeof LM.eyes)[number]): [number, number] => {
    const c = eyeCentre(p, e);
    return [Math.round(c.x * 10) / 10, Math.round(c.y * 10) / 10];
  };
  return {
    method: face.method ?? 'facemesh',
    confidence: Math.round(face.score * 1000) / 1000,
    points: { leftEye: eye(LM.eyes[0]), rightEye: eye(LM.eyes[1]), mouthLeft: xy(LM.mouthCornerLeft), mouthRight: xy(LM.mouthCornerRight), chin: xy(LM.chin) },
  };
}
