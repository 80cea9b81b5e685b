// Builds the face rig (mouth and eye geometry in a lip- or lid-aligned frame) from landmarks
// already mapped into output-frame pixels. Pure.
import { dot, interp1, length, mid, normalOf, normalize, sub } from '../../core/geometry.js';
import type { EyeRig, FaceRig, MouthRig, Point, Rect } from '../../core/types.js';
import { LM } from './landmarks.js';

/** Samples across the mouth / eye width at which seam and lid offsets are stored. */
export const PROFILE_SAMPLES = 17;

const pointAt = (pts: Float32Array, i: number): Point => ({ x: pts[2 * i], y: pts[2 * i + 1] });

/**
 * Offsets (along `normal`) of a contour at PROFILE_SAMPLES evenly spaced positions across
 * [-halfWidth, halfWidth] of the `axis` through `origin`.
 */
function profile(pts: Float32Array, indices: readonly number[], origin: Point, axis: Point, halfWidth: number): Float32Array {
  const normal = normalOf(axis);
  const local = indices.map((i) => {
    const d = sub(pointAt(pts, i), origin);
    return { u: dot(d, axis), v: dot(d, normal) };
  }).sort((a, b) => a.u - b.u);
  const us = local.map((p) => p.u);
  const vs = local.map((p) => p.v);
  const out = new Float32Array(PROFILE_SAMPLES);
  for (let k = 0; k < PROFILE_SAMPLES; k++) {
    out[k] = interp1(us, vs, -halfWidth + (2 * halfWidth * k) / (PROFILE_SAMPLES - 1));
  }
  return out;
}

function mouthFromLandmarks(pts: Float32Array): MouthRig {
  const left = pointAt(pts, LM.mouthCornerLeft);
  const right = pointAt(pts, LM.mouthCornerRight);
  const axis = normalize(sub(right, left));
  const normal = normalOf(axis);
  const width = length(sub(right, left));
  const center = mid(pointAt(pts, 13), pointAt(pts, 14));
  const upper = profile(pts, LM.innerUpper, center, axis, width / 2);
  const lower = profile(pts, LM.innerLower, center, axis, width / 2);
  const seam = upper.map((u, k) => (u + lower[k]) / 2);
  return {
    center,
    axis,
    width,
    seam,
    chinDepth: Math.max(0.3 * width, dot(sub(pointAt(pts, LM.chin), center), normal)),
    noseHeight: Math.max(0.2 * width, -dot(sub(pointAt(pts, LM.noseBase), center), normal)),
    jawHalfWidth: Math.max(0.6 * width, length(sub(pointAt(pts, LM.jawRight), pointAt(pts, LM.jawLeft))) / 2),
  };
}

function eyeFromLandmarks(pts: Float32Array, upperIdx: readonly number[], lowerIdx: readonly number[]): EyeRig {
  const a = pointAt(pts, upperIdx[0]);
  const b = pointAt(pts, upperIdx[upperIdx.length - 1]);
  const axis = normalize(sub(b, a));
  const width = length(sub(b, a));
  const center = mid(a, b);
  return {
    center,
    axis,
    width,
    upperLid: profile(pts, upperIdx, center, axis, width / 2),
    lowerLid: profile(pts, lowerIdx, center, axis, width / 2),
  };
}

/** Rig from 478 FaceMesh landmarks in output-frame pixels. */
export function rigFromLandmarks(pts: Float32Array, faceBox: Rect): FaceRig {
  return {
    faceBox,
    mouth: mouthFromLandmarks(pts),
    eyes: LM.eyes.map((e) => eyeFromLandmarks(pts, e.upper, e.lower)),
  };
}

/**
 * Rig for an image where no face was found (some animals and drawings): nothing to articulate,
 * so the picture stays still rather than growing a mouth in the wrong place.
 */
export function rigWithoutFace(box: Rect): FaceRig {
  return { faceBox: box, mouth: null, eyes: [] };
}
