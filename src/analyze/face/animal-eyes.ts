// The five points of an animal's face from its eyes and nose, for an animal the object detector
// found but the face model cannot fit (a dog's face filling the picture), or fits with an eye off
// its eye (meshMisfit): its eyes are a pair of dark, round blobs side by side, its nose a dark
// blob below between them. Pure.
import { lumaAt } from '../../core/image.js';
import type { FaceLandmarks, FacePoints, Rect, RgbImage } from '../../core/types.js';
import { eyeCentre, LM } from './landmarks.js';

export const ANIMAL_EYES = Object.freeze({
  /** The box is looked at on a grid this many points across (its aspect kept). */
  grid: 160,
  /** Dark: below this share of the box's median luma, and below its `darkShare` percentile. */
  darkOfMedian: 0.55,
  darkShare: 0.15,
  /** An eye's area, as a share of the grid's width squared. */
  eyeAreaMin: 0.0012,
  eyeAreaMax: 0.03,
  /** An eye fills at least this much of its bounding box, at most this elongated either way. */
  eyeFill: 0.5,
  eyeAspect: 2.5,
  /** The eyes lie this far apart (x the box's width), level within eyeLevel x their distance, areas within eyeRatio of each other, in the box's top eyeTop. */
  eyesApartMin: 0.15,
  eyesApartMax: 0.7,
  eyeLevel: 0.3,
  eyeRatio: 3,
  eyeTop: 0.75,
  /** The nose: below the eyes' middle by noseBelowMin..noseBelowMax x their distance, within noseAside of it across, at least noseArea x the smaller eye's area. */
  noseBelowMin: 0.25,
  noseBelowMax: 1.1,
  noseAside: 0.3,
  noseArea: 0.5,
  /** The mouth's line lies this far (x the eye distance) below the nose's top, its corners this far either side of the nose. */
  mouthBelow: 0.65,
  mouthHalf: 0.4,
  /** The dark level is tried as it is, then lower (x each) while no eyes and nose are found. */
  darkerLevels: [1, 0.8, 0.64],
  /**
   * A mesh the face model laid over an animal whose eye centres lie further than this (x the
   * blobs' eye distance) from its dark eyes is not its face: the shiba cropped through its brow
   * got a mesh with one eye on its nose (0.4 off); the whole shiba's is 0.17 off.
   */
  meshMisfit: 0.25,
});

interface Blob { readonly area: number; readonly x: number; readonly y: number; readonly x0: number; readonly x1: number; readonly y0: number; readonly y1: number }

/** The dark blobs of the box on its grid (4-connected), in grid units. */
function darkBlobs(image: RgbImage, box: Rect, step: number, gw: number, gh: number, darker: number): Blob[] {
  const luma = new Float32Array(gw * gh);
  for (let j = 0; j < gh; j++) for (let i = 0; i < gw; i++) luma[j * gw + i] = lumaAt(image, box.x + (i + 0.5) * step, box.y + (j + 0.5) * step);
  const sorted = Float32Array.from(luma).sort();
  const level = darker * Math.min(ANIMAL_EYES.darkOfMedian * sorted[sorted.length >> 1], sorted[Math.floor(ANIMAL_EYES.darkShare * (sorted.length - 1))]);
  const seen = new Uint8Array(gw * gh);
  const blobs: Blob[] = [];
  const stack: number[] = [];
  for (let p0 = 0; p0 < gw * gh; p0++) {
    if (seen[p0] || luma[p0] >= level) continue;
    seen[p0] = 1;
    stack.push(p0);
    let area = 0, sx = 0, sy = 0, x0 = gw, x1 = 0, y0 = gh, y1 = 0;
    while (stack.length) {
      const p = stack.pop()!;
      const i = p % gw, j = (p - i) / gw;
      area++; sx += i; sy += j;
      x0 = Math.min(x0, i); x1 = Math.max(x1, i); y0 = Math.min(y0, j); y1 = Math.max(y1, j);
      for (const q of [i > 0 ? p - 1 : -1, i < gw - 1 ? p + 1 : -1, j > 0 ? p - gw : -1, j < gh - 1 ? p + gw : -1]) {
        if (q >= 0 && !seen[q] && luma[q] < level) { seen[q] = 1; stack.push(q); }
      }
    }
    blobs.push({ area, x: sx / area, y: sy / area, x0, x1, y0, y1 });
  }
  return blobs;
}

interface Trio { readonly score: number; readonly a: Blob; readonly b: Blob; readonly nose: Blob }

/** The most symmetric pair of round eyes side by side with a nose below between them, among `blobs` on a gw x gh grid. */
function bestTrio(blobs: readonly Blob[], gw: number, gh: number): Trio | null {
  const A = gw * gw;
  const eyes = blobs.filter((b) => {
    const bw = b.x1 - b.x0 + 1, bh = b.y1 - b.y0 + 1;
    return b.area >= ANIMAL_EYES.eyeAreaMin * A && b.area <= ANIMAL_EYES.eyeAreaMax * A && b.area >= ANIMAL_EYES.eyeFill * bw * bh
      && bw <= ANIMAL_EYES.eyeAspect * bh && bh <= ANIMAL_EYES.eyeAspect * bw && b.y <= ANIMAL_EYES.eyeTop * gh;
  });
  let best: Trio | null = null;
  for (const a of eyes) for (const b of eyes) {
    const dx = b.x - a.x, dy = b.y - a.y;
    if (dx < ANIMAL_EYES.eyesApartMin * gw || dx > ANIMAL_EYES.eyesApartMax * gw || Math.abs(dy) > ANIMAL_EYES.eyeLevel * dx) continue;
    if (Math.max(a.area, b.area) > ANIMAL_EYES.eyeRatio * Math.min(a.area, b.area)) continue;
    const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
    for (const nose of blobs) {
      if (nose === a || nose === b || nose.area < ANIMAL_EYES.noseArea * Math.min(a.area, b.area)) continue;
      const below = (nose.y - my) / dx, aside = Math.abs(nose.x - mx) / dx;
      if (below < ANIMAL_EYES.noseBelowMin || below > ANIMAL_EYES.noseBelowMax || aside > ANIMAL_EYES.noseAside) continue;
      const score = aside + Math.abs(dy) / dx + Math.abs(Math.log(a.area / b.area)) / 4;
      if (!best || score < best.score) best = { score, a, b, nose };
    }
  }
  return best;
}

/**
 * The face's points from the pair of dark round blobs in `box` (an animal the object detector
 * found) that has a dark nose below between them, the most symmetric such trio; null when there
 * is none (a dark-furred animal, a cat's pink nose: the face stays not found).
 */
export function animalFacePoints(image: RgbImage, box: Rect): FacePoints | null {
  const x = Math.max(0, box.x), y = Math.max(0, box.y);
  const w = Math.min(image.width, box.x + box.width) - x, h = Math.min(image.height, box.y + box.height) - y;
  if (w < 16 || h < 16) return null;
  const step = Math.max(w, h) / ANIMAL_EYES.grid;
  const gw = Math.max(1, Math.round(w / step)), gh = Math.max(1, Math.round(h / step));
  // An eye joined at the first level to a dark streak of fur beside it is no round blob: darker
  // levels leave the eyes' cores apart (the shiba cut tight round its eyes, its eye's outer corner).
  let best: Trio | null = null;
  for (const darker of ANIMAL_EYES.darkerLevels) {
    best = bestTrio(darkBlobs(image, { x, y, width: w, height: h }, step, gw, gh, darker), gw, gh);
    if (best) break;
  }
  if (!best) return null;
  const { a, b, nose } = best;
  const at = (gx: number, gy: number) => ({ x: x + (gx + 0.5) * step, y: y + (gy + 0.5) * step });
  // The mouth square to the eyes' line (a head tilted tilts it too), a set distance below the
  // nose's top: the dark below a nose pad (its lips, an open mouth) often joins it in one blob.
  const d = Math.hypot(b.x - a.x, b.y - a.y), ux = (b.x - a.x) / d, uy = (b.y - a.y) / d;
  const down = ANIMAL_EYES.mouthBelow * d;
  const cx = nose.x - uy * down, cy = nose.y0 + ux * down, half = ANIMAL_EYES.mouthHalf * d;
  return {
    leftEye: at(a.x, a.y), rightEye: at(b.x, b.y),
    mouthLeft: at(cx - half * ux, cy - half * uy), mouthRight: at(cx + half * ux, cy + half * uy),
  };
}

/**
 * How far a face mesh's eye centres lie from an animal's dark eyes found by animalFacePoints,
 * the worse eye's, as a share of those eyes' distance (image-left eye to image-left eye).
 */
export function meshMisfit(face: FaceLandmarks, eyes: FacePoints): number {
  const d = Math.hypot(eyes.rightEye.x - eyes.leftEye.x, eyes.rightEye.y - eyes.leftEye.y);
  const off = [eyes.leftEye, eyes.rightEye].map((e, i) => {
    const c = eyeCentre(face.points, LM.eyes[i]);
    return Math.hypot(c.x - e.x, c.y - e.y);
  });
  return Math.max(off[0], off[1]) / Math.max(d, 1e-6);
}
