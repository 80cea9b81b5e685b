// How much a rendered mouth moves with its speech, for any face, found or marked: the change of
// a box around the mouth (from the face's own points) against frame 0, less the change of a box
// of the same size on the forehead (so head motion alone scores nothing), correlated with the
// loudness envelope. Works where a second face model finds no face to measure (animals).
import type { FaceLandmarks, Rect } from '../../src/core/types.js';
import { faceSummary } from '../../src/analyze/face/index.js';
import { innerLipOpening, meanAbsDiff, nearestFace, pearson, rmsPerFrame, speechMask, squareCrop, type FaceRecognizer } from '../../src/eval-metrics/index.js';
import { forEachFrame, readAudioMono } from './video-io.js';

/** The mouth box and the forehead box (the mouth box mirrored about the eye line), in frame pixels. */
export function mouthAndForehead(face: FaceLandmarks, faceBoxInFrame: Rect): { mouth: Rect; forehead: Rect } {
  const p = faceSummary(face).points;
  const k = faceBoxInFrame.width / face.box.width;
  const at = ([x, y]: [number, number]) => ({ x: faceBoxInFrame.x + (x - face.box.x) * k, y: faceBoxInFrame.y + (y - face.box.y) * k });
  const l = at(p.mouthLeft), r = at(p.mouthRight), le = at(p.leftEye), re = at(p.rightEye);
  const w = Math.max(4, Math.hypot(r.x - l.x, r.y - l.y));
  const mouth = { x: Math.min(l.x, r.x) - 0.15 * w, y: Math.min(l.y, r.y) - 0.25 * w, width: 1.3 * w, height: 0.8 * w };
  const eyeY = (le.y + re.y) / 2, mouthY = mouth.y + mouth.height / 2;
  const forehead = { ...mouth, y: eyeY - (mouthY - eyeY) - mouth.height / 2 };
  return { mouth, forehead };
}

/** Pearson r between the loudness envelope and (mouth change - forehead change), per frame. */
export async function mouthSpeechCorrelation(video: string, width: number, height: number, fps: number, boxes: { mouth: Rect; forehead: Rect }): Promise<number> {
  let first: Uint8Array | null = null;
  const motion: number[] = [];
  const n = await forEachFrame(video, width, height, (rgb) => {
    // The decoder reuses its buffer: frame 0 is kept as a copy.
    first ??= new Uint8Array(rgb);
    motion.push(meanAbsDiff(first, rgb, width, height, boxes.mouth) - meanAbsDiff(first, rgb, width, height, boxes.forehead));
  });
  const rms = rmsPerFrame(readAudioMono(video), 16000, fps, n);
  return pearson(rms, motion);
}

/** Inner-lip gap (x eye distance) above which face-api's lips count as apart. */
export const OPEN_GAP = 0.06;

export interface LipOpening {
  /** face-api's inner-lip gap per frame, x eye distance (NaN where it found no face). */
  readonly opening: Float32Array;
  /** Loudness per frame. */
  readonly loudness: Float32Array;
  readonly speech: boolean[];
  /** Pearson r of loudness and opening over frames with a face; share of speech frames with the lips apart. */
  readonly r: number;
  readonly openShare: number;
}

/**
 * The mouth's opening as an independent face model (face-api's 68 landmarks) sees it in every
 * frame, in a square crop around the face (faster than the frame, same landmarks).
 */
export async function lipOpening(video: string, width: number, height: number, fps: number, faceBox: Rect, recognizer: FaceRecognizer): Promise<LipOpening> {
  const crop = squareCrop(faceBox, 1.8, width, height);
  // Box-averaged down to about 320 px: the landmark model looks at the face at 112 px anyway,
  // and the gap is measured in eye distances, so the scale does not matter.
  const k = Math.max(1, Math.ceil(crop.width / 320)), side = Math.floor(crop.width / k);
  const frames: Uint8Array[] = [];
  const n = await forEachFrame(video, width, height, (rgb) => {
    const out = new Uint8Array(side * side * 3);
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) sum += rgb[((crop.y + y * k + dy) * width + crop.x + x * k + dx) * 3 + c];
      out[(y * side + x) * 3 + c] = sum / (k * k);
    }
    frames.push(out);
  });
  const opening = new Float32Array(n).fill(NaN);
  const target = { x: (faceBox.x - crop.x) / k, y: (faceBox.y - crop.y) / k, width: faceBox.width / k, height: faceBox.height / k };
  for (let i = 0; i < n; i++) {
    const face = nearestFace(await recognizer.describe(frames[i], side, side), target);
    if (face) opening[i] = innerLipOpening(face.landmarks);
    // A face the model does not know (an animal) is not looked for in every frame.
    if (i === 4 && !opening.subarray(0, 5).some(Number.isFinite)) break;
  }
  const loudness = rmsPerFrame(readAudioMono(video), 16000, fps, n);
  const speech = speechMask(loudness);
  const seen = [...opening.keys()].filter((i) => Number.isFinite(opening[i]));
  const r = seen.length > 2 ? pearson(seen.map((i) => loudness[i]), seen.map((i) => opening[i])) : NaN;
  const spoken = seen.filter((i) => speech[i]);
  const openShare = spoken.length ? spoken.filter((i) => opening[i] > OPEN_GAP).length / spoken.length : NaN;
  return { opening, loudness, speech, r, openShare };
}
