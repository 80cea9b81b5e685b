// Builds the face rig (mouth and eye geometry in a lip- or lid-aligned frame) from landmarks
// already mapped into output-frame pixels. Pure.
import { add, dot, interp1, length, mid, normalOf, normalize, scale, sub } from '../../core/geometry.js';
import type { EyeRig, FaceRig, HeadRig, MouthRig, MouthStyle, Point, Rect } from '../../core/types.js';
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
  // A lip edge never crosses the other one, whatever the landmark noise.
  for (let k = 0; k < lower.length; k++) if (lower[k] < upper[k]) upper[k] = lower[k] = (upper[k] + lower[k]) / 2;
  const seam = upper.map((u, k) => (u + lower[k]) / 2);
  return {
    center,
    axis,
    width,
    seam,
    upperInner: upper,
    lowerInner: lower,
    lipTop: Math.min(-1, dot(sub(pointAt(pts, LM.upperLipTop), center), normal)),
    lipBottom: Math.max(1, dot(sub(pointAt(pts, LM.lowerLipBottom), center), normal)),
    chinDepth: Math.max(0.3 * width, dot(sub(pointAt(pts, LM.chin), center), normal)),
    noseHeight: Math.max(0.2 * width, -dot(sub(pointAt(pts, LM.noseBase), center), normal)),
    jawHalfWidth: Math.max(0.6 * width, length(sub(pointAt(pts, LM.jawRight), pointAt(pts, LM.jawLeft))) / 2),
  };
}

function eyeFromLandmarks(pts: Float32Array, upperIdx: readonly number[], lowerIdx: readonly number[]): EyeRig {
  const a = pointAt(pts, upperIdx[0]);
  const b = pointAt(pts, upperIdx[upperIdx.length - 1]);
  const axis = normalize(sub(b, a));
  const normal = normalOf(axis);
  const width = length(sub(b, a));
  const center = mid(a, b);
  // The iris whose centre is nearest this eye, if the mesh has iris points and it lies inside.
  let iris: EyeRig['iris'] = null;
  if (pts.length >= 478 * 2) {
    const nearest = LM.irisCenters
      .map((i) => ({ i, d: length(sub(pointAt(pts, i), center)) }))
      .sort((x, y) => x.d - y.d)[0];
    if (nearest.d < width * 0.45) {
      const c = pointAt(pts, nearest.i);
      const rim = [1, 2, 3, 4].map((k) => length(sub(pointAt(pts, nearest.i + k), c)));
      const d = sub(c, center);
      iris = { u: dot(d, axis), v: dot(d, normal), radius: rim.reduce((s, r) => s + r, 0) / rim.length };
    }
  }
  return {
    center,
    axis,
    width,
    upperLid: profile(pts, upperIdx, center, axis, width / 2),
    lowerLid: profile(pts, lowerIdx, center, axis, width / 2),
    iris,
  };
}

/** Head ellipse around face, hair and ears, turning about the base of the neck. */
function headFromLandmarks(pts: Float32Array): HeadRig {
  const forehead = pointAt(pts, LM.forehead);
  const chin = pointAt(pts, LM.chin);
  const axis = normalize(sub(pointAt(pts, LM.cheekRight), pointAt(pts, LM.cheekLeft)));
  const down = normalOf(axis);
  const faceWidth = length(sub(pointAt(pts, LM.cheekRight), pointAt(pts, LM.cheekLeft)));
  const faceHeight = length(sub(chin, forehead));
  // The mesh stops at the hairline; the skull continues about a third of the face height above it.
  const center = add(mid(forehead, chin), scale(down, -0.12 * faceHeight));
  return {
    center,
    axis,
    halfWidth: 0.62 * faceWidth,
    halfHeight: 0.68 * faceHeight,
    pivot: add(chin, scale(down, 0.45 * faceHeight)),
    chin,
  };
}

/** Both eyes as the rig lays them out, image-left first. */
export const eyesOf = (pts: Float32Array): EyeRig[] => LM.eyes.map((e) => eyeFromLandmarks(pts, e.upper, e.lower));

/** How far each eye is open: its widest gap between the lids over its width (0.22-0.56 on the fixtures' open eyes). */
export function eyeOpenings(pts: Float32Array): number[] {
  return eyesOf(pts).map((eye) => {
    let gap = 0;
    for (let i = 0; i < eye.upperLid.length; i++) gap = Math.max(gap, eye.lowerLid[i] - eye.upperLid[i]);
    return gap / Math.max(eye.width, 1e-6);
  });
}

/**
 * Rig from 478 FaceMesh landmarks in output-frame pixels; `style` says how its mouth opens (see
 * AvatarStyle: only a photo's shows teeth), `teeth` false alone for an animal's;
 * `eyesHidden` (analyze/face/fit-picture.ts) leaves the eyes out.
 */
export function rigFromLandmarks(pts: Float32Array, faceBox: Rect, opts: { teeth?: boolean; style?: MouthStyle; eyesHidden?: boolean; picture?: Rect } = {}): FaceRig {
  return {
    faceBox,
    mouth: { ...mouthFromLandmarks(pts), teeth: opts.style ? opts.style === 'photo' : opts.teeth ?? true, ...(opts.style ? { style: opts.style } : {}) },
    // Eyes behind dark glasses or shut in the picture are not rigged: nothing of them moves.
    eyes: opts.eyesHidden ? [] : eyesOf(pts),
    head: { ...headFromLandmarks(pts), ...(opts.picture ? { picture: opts.picture } : {}) },
  };
}
