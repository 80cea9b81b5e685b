// Whether a fitted face mesh is a face. FaceMesh always returns 478 points once its detector
// proposes a box, and on an animal, a drawing or a patterned shirt it happily lays them over fur
// or fabric: the rig would then open a "mouth" in a cat's cheek. A real face has its eyes level
// above its mouth, about symmetric about the face's axis, at human-like proportions, inside the
// box it was found in, and (in the picture) eyes that stand out from the cheeks. Pure.
import { dot, length, mid, normalOf, normalize, sub } from '../../core/geometry.js';
import type { FaceLandmarks, Point, Rect, RgbImage } from '../../core/types.js';
import { LM } from './landmarks.js';

export interface FaceMeasures {
  /** Distance between the eye centres, px. */
  readonly eyeDistance: number;
  /** How far the eye line is turned from horizontal, degrees. */
  readonly roll: number;
  /** Mouth centre below the eye centre (along the face axis) / eyeDistance. */
  readonly mouthDrop: number;
  /** Sideways offset of the mouth centre and of the nose base from the face axis / eyeDistance. */
  readonly mouthOffset: number;
  readonly noseOffset: number;
  readonly mouthWidth: number;
  /** Each eye's corner-to-corner width / eyeDistance. */
  readonly eyeWidths: readonly [number, number];
  /** Forehead-to-chin height / cheek-to-cheek width. */
  readonly aspect: number;
  /** eyeDistance / box width. */
  readonly eyesToBox: number;
}

const pt = (p: Float32Array, i: number): Point => ({ x: p[2 * i], y: p[2 * i + 1] });

export function measureFace(face: FaceLandmarks): FaceMeasures {
  const p = face.points;
  const eyes = LM.eyes.map((e) => mid(pt(p, e.upper[0]), pt(p, e.upper[e.upper.length - 1])));
  const across = sub(eyes[1], eyes[0]);
  const iod = length(across);
  const axis = normalize(across), down = normalOf(axis);
  const eyeMid = mid(eyes[0], eyes[1]);
  const mouthL = pt(p, LM.mouthCornerLeft), mouthR = pt(p, LM.mouthCornerRight);
  const mouthMid = mid(mouthL, mouthR);
  const safe = Math.max(iod, 1e-6);
  const cheekW = length(sub(pt(p, LM.cheekRight), pt(p, LM.cheekLeft)));
  const height = Math.abs(dot(sub(pt(p, LM.chin), pt(p, LM.forehead)), down));
  return {
    eyeDistance: iod,
    roll: (Math.atan2(across.y, across.x) * 180) / Math.PI,
    mouthDrop: dot(sub(mouthMid, eyeMid), down) / safe,
    mouthOffset: Math.abs(dot(sub(mouthMid, eyeMid), axis)) / safe,
    noseOffset: Math.abs(dot(sub(pt(p, LM.noseBase), eyeMid), axis)) / safe,
    mouthWidth: length(sub(mouthR, mouthL)) / safe,
    eyeWidths: LM.eyes.map((e) => length(sub(pt(p, e.upper[e.upper.length - 1]), pt(p, e.upper[0]))) / safe) as unknown as [number, number],
    aspect: height / Math.max(cheekW, 1e-6),
    eyesToBox: iod / Math.max(face.box.width, 1e-6),
  };
}

/**
 * Limits, from the real meshes of the fixture portraits (photos, paintings, cartoons, anime: eye
 * distance 0.26-0.42 of the box, mouth drop 1.0-1.4, mouth width 0.6-1.0, eye width 0.35-0.5,
 * aspect 1.1-1.4, offsets under 0.1) with room for expressions, tilt and turned heads.
 */
export const FACE_LIMITS = {
  maxRoll: 50,
  /**
   * A face the whole picture shows turned this near a quarter or half turn: the picture is on
   * its side or upside down (it is turned upright to be framed, upright.ts). Crops proposed for
   * animals keep maxRoll: a mesh laid over fur comes out at any angle.
   */
  maxTurnedRoll: 20,
  mouthDrop: [0.6, 2.0],
  /** Pearl Earring's turned head puts its nose 0.51 eye distances off the eye centre. */
  maxMouthOffset: 0.45,
  maxNoseOffset: 0.65,
  mouthWidth: [0.35, 1.6],
  eyeWidth: [0.2, 0.8],
  /** Ratio of the larger eye's width to the smaller's (a turned head foreshortens one). */
  maxEyeRatio: 2.2,
  aspect: [0.7, 2.2],
  eyesToBox: [0.15, 0.7],
} as const;

/** Why the mesh is not a face, or null when it is plausible. `region`: where it was looked for. */
export function implausibleGeometry(face: FaceLandmarks, region?: Rect): string | null {
  if (face.points.length < 2 * 468) return 'fewer than 468 landmarks';
  const m = measureFace(face);
  const L = FACE_LIMITS;
  const within = (v: number, [lo, hi]: readonly [number, number]) => v >= lo && v <= hi;
  if (!(m.eyeDistance >= 4)) return 'the eyes coincide';
  const offTurn = Math.abs(Math.abs(m.roll) - 90 * Math.round(Math.abs(m.roll) / 90));
  if (Math.abs(m.roll) > L.maxRoll && (region || offTurn > L.maxTurnedRoll)) return `the eye line is turned ${m.roll.toFixed(0)} degrees`;
  if (!within(m.mouthDrop, L.mouthDrop)) return `the mouth is ${m.mouthDrop.toFixed(2)} eye distances below the eyes`;
  if (m.mouthOffset > L.maxMouthOffset) return `the mouth is ${m.mouthOffset.toFixed(2)} eye distances off the face axis`;
  if (m.noseOffset > L.maxNoseOffset) return `the nose is ${m.noseOffset.toFixed(2)} eye distances off the face axis`;
  if (!within(m.mouthWidth, L.mouthWidth)) return `the mouth is ${m.mouthWidth.toFixed(2)} eye distances wide`;
  for (const w of m.eyeWidths) if (!within(w, L.eyeWidth)) return `an eye is ${w.toFixed(2)} eye distances wide`;
  if (Math.max(...m.eyeWidths) > L.maxEyeRatio * Math.min(...m.eyeWidths)) return 'one eye is much larger than the other';
  if (!within(m.aspect, L.aspect)) return `the face is ${m.aspect.toFixed(2)} times as tall as wide`;
  if (!within(m.eyesToBox, L.eyesToBox)) return `the eyes are ${m.eyesToBox.toFixed(2)} of the box apart`;
  if (region) {
    const r = region, mx = 0.1 * r.width, my = 0.1 * r.height;
    for (const i of [LM.eyes[0].upper[0], LM.eyes[1].upper[8], LM.mouthCornerLeft, LM.mouthCornerRight]) {
      const q = pt(face.points, i);
      if (q.x < r.x - mx || q.x > r.x + r.width + mx || q.y < r.y - my || q.y > r.y + r.height + my) return 'the face lies outside the region it was looked for in';
    }
  }
  return null;
}

/**
 * Luma over the axis-aligned box of some points, padded by `pad` px: its mean, standard deviation
 * and median (which a thin dark line across the box, a glasses rim, barely moves).
 */
function lumaStats(image: RgbImage, pts: readonly Point[], pad: number): { mean: number; sd: number; median: number } {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const q of pts) { x0 = Math.min(x0, q.x); y0 = Math.min(y0, q.y); x1 = Math.max(x1, q.x); y1 = Math.max(y1, q.y); }
  const xa = Math.max(0, Math.floor(x0 - pad)), xb = Math.min(image.width - 1, Math.ceil(x1 + pad));
  const ya = Math.max(0, Math.floor(y0 - pad)), yb = Math.min(image.height - 1, Math.ceil(y1 + pad));
  const lumas: number[] = [];
  let s = 0, s2 = 0;
  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) {
      const o = (y * image.width + x) * 3;
      const l = 0.299 * image.data[o] + 0.587 * image.data[o + 1] + 0.114 * image.data[o + 2];
      lumas.push(l); s += l; s2 += l * l;
    }
  }
  const n = lumas.length;
  if (n === 0) return { mean: 0, sd: 0, median: 0 };
  const mean = s / n;
  lumas.sort((a, b) => a - b);
  return { mean, sd: Math.sqrt(Math.max(0, s2 / n - mean * mean)), median: lumas[n >> 1] };
}

/**
 * Image evidence: the eyes (dark pupils, lashes, whites) vary in brightness more than the cheek
 * under them, or are darker. Fur and fabric under a misfitted mesh are about as plain at the
 * "eyes" as anywhere. Returns per-eye contrast: eye sd / cheek sd, cheek median - eye mean, and the cheek median.
 */
export function eyeEvidence(face: FaceLandmarks, image: RgbImage): { contrast: number; darker: number; cheek: number }[] {
  const p = face.points;
  const iod = Math.max(1, measureFace(face).eyeDistance);
  return LM.eyes.map((e, k) => {
    const eye = [...e.upper, ...e.lower].map((i) => pt(p, i));
    const cheekIdx = k === 0 ? [50, 101, 118, 117] : [280, 330, 347, 346];
    const eyeS = lumaStats(image, eye, 0.05 * iod);
    const cheekS = lumaStats(image, cheekIdx.map((i) => pt(p, i)), 0.05 * iod);
    // The cheek's level is its median: a glasses rim crossing it darkened its mean to the eye's.
    return { contrast: eyeS.sd / Math.max(cheekS.sd, 2), darker: cheekS.median - eyeS.mean, cheek: cheekS.median };
  });
}

/**
 * An eye shows when it varies in brightness 1.5 times as much as its cheek, or 0.7 times and is
 * 30 levels darker. Measured: the fixture faces' weaker eyes reach 0.77/54 (the shiba), 0.84/94
 * (a smiling woman's squint), 1.71/8 (Pearl Earring); meshes misfitted to the fixture cat's fur
 * fail on at least one eye (0.15-1.22 with the darker ones under 21) in 7 of 9 crops tried.
 */
export const EYE_EVIDENCE = {
  contrast: 1.5, weakContrast: 0.7, darker: 30,
  /**
   * A face the detector found in the whole picture and is sure of (`sureScore`) may instead show
   * its eyes this fraction darker than its cheeks: 30 levels is a fifth of a lit cheek, but more
   * than a third of an underexposed one (the suit man darkened to a cheek of 50-53 with sensor
   * noise: eyes 13-17 levels darker, contrast 1.30-1.36, the detector's score 1.00, refused).
   * Proposals cropped for animals (a `region`) keep the levels: dark fur is as dark.
   */
  relativeDarker: 0.25, sureScore: 0.95,
  /**
   * ...or, twice the lit face's levels darker, vary only this much against its cheek: a glasses
   * rim across the cheek makes it vary as much as a squinting, lined eye (the smiling woman with
   * thick frames drawn on: contrast 0.57, 104 levels darker). Fur under a misfitted mesh is
   * never that much darker at its "eyes" (under 21 levels).
   */
  darkDarker: 60, darkContrast: 0.5,
  /**
   * ...or be this much darker, however plain: dark glasses (lenses drawn on eight fixture
   * portraits: 127-190 levels darker than the cheek, contrast 0.07-0.44). An eye that dark and
   * plainer than darkContrast is taken for a lens (eyesBehindLenses).
   */
  lensDarker: 100,
} as const;

/** Why the mesh is not a face (geometry, then image evidence when `image` is given), or null. */
export function faceImplausibility(face: FaceLandmarks, image?: RgbImage, region?: Rect): string | null {
  const g = implausibleGeometry(face, region);
  if (g || !image) return g;
  const ev = eyeEvidence(face, image);
  const E = EYE_EVIDENCE;
  const sure = !region && face.score >= E.sureScore;
  for (const e of ev) {
    if (e.contrast >= E.contrast || (e.contrast >= E.weakContrast && e.darker >= E.darker)) continue;
    if (sure && e.contrast >= E.weakContrast && e.darker >= E.relativeDarker * e.cheek) continue;
    if (sure && e.contrast >= E.darkContrast && e.darker >= E.darkDarker) continue;
    if (sure && e.darker >= E.lensDarker) continue;
    return `an eye is as plain as the cheek under it (contrast ${e.contrast.toFixed(2)}, ${e.darker.toFixed(0)} levels darker)`;
  }
  return null;
}

/** Both eyes look like dark lenses: far darker than the cheeks (EYE_EVIDENCE.lensDarker) and plain. */
export function eyesBehindLenses(face: FaceLandmarks, image: RgbImage): boolean {
  return eyeEvidence(face, image).every((e) => e.darker >= EYE_EVIDENCE.lensDarker && e.contrast < EYE_EVIDENCE.darkContrast);
}
