// How much a rendered mouth moves with its speech, for any face, found or marked: the change of
// a box around the mouth (from the face's own points) against frame 0, less the change of a box
// of the same size on the forehead (so head motion alone scores nothing), correlated with the
// loudness envelope. Works where a second face model finds no face to measure (animals).
import type { FaceLandmarks, Rect } from '../../src/core/types.js';
import { faceSummary } from '../../src/analyze/face/index.js';
import { meanAbsDiff, pearson, rmsPerFrame } from '../../src/eval-metrics/index.js';
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
