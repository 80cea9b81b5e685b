// Several speakers in one video, judged by an independent face model (face-api's 68 landmarks,
// not the pipeline's FaceMesh): for each face, how wide its lips are apart in every frame, how
// that follows its own speech (Pearson r with its own track's loudness), and how often its mouth
// is shut while another speaker talks and it does not.
import type { Rect } from '../../src/core/types.js';
import { nearestFace, pearson, rmsPerFrame, speechMask, type FaceRecognizer } from '../../src/eval-metrics/index.js';
import { forEachFrame } from './video-io.js';

/**
 * Lips apart by less than this share of the mouth's width more than the face's own closed state
 * (its narrowest tenth of frames) count as shut. face-api reads a closed mouth as 0.03-0.05 on
 * one fixture face and 0.10-0.12 on another whose lips are parted a little in the photo itself.
 */
export const SHUT_MARGIN = 0.05;

export interface SpeakerFigures {
  /** Inner-lip gap over mouth width per frame (NaN where face-api found no face there). */
  readonly gap: Float32Array;
  /** Pearson r of the gap with this face's own track's loudness. */
  readonly ownR: number;
  /** ... and with the other tracks' loudness (should be near 0 or below). */
  readonly otherR: number;
  /** Frames where another speaks and this face does not, and the share of them with the mouth shut. */
  readonly otherFrames: number;
  readonly shutWhileOther: number;
  /** The gap below which the mouth counts as shut (its closed state + SHUT_MARGIN). */
  readonly shutBelow: number;
  /** Share of its own speaking frames with the mouth open. */
  readonly openWhileOwn: number;
  /** Frames face-api found this face in. */
  readonly seen: number;
}

const dist = (p: Float32Array, a: number, b: number) => Math.hypot(p[2 * a] - p[2 * b], p[2 * a + 1] - p[2 * b + 1]);

/**
 * `faces[i]`: face i's box in frame pixels; `tracks[i]`: its speech (mono, `sampleRate`), starting
 * at the video's frame 0. Every `step`-th frame is measured.
 */
export async function measureSpeakers(video: string, width: number, height: number, fps: number, faces: readonly Rect[], tracks: readonly Float32Array[], sampleRate: number, recognizer: FaceRecognizer, step = 1): Promise<SpeakerFigures[]> {
  const gaps: number[][] = faces.map(() => []);
  const pending: Promise<void>[] = [];
  let chain = Promise.resolve();
  const n = await forEachFrame(video, width, height, (rgb, index) => {
    if (index % step !== 0) { faces.forEach((_, i) => { gaps[i][index] = NaN; }); return; }
    const copy = new Uint8Array(rgb);
    // One face-api call at a time, in frame order.
    chain = chain.then(async () => {
      const found = await recognizer.describe(copy, width, height);
      faces.forEach((box, i) => {
        const f = nearestFace(found, box);
        const inside = f && Math.abs(f.box.x + f.box.width / 2 - (box.x + box.width / 2)) < box.width / 2;
        gaps[i][index] = f && inside ? dist(f.landmarks, 62, 66) / Math.max(1, dist(f.landmarks, 48, 54)) : NaN;
      });
    });
    pending.push(chain);
  });
  await Promise.all(pending);
  const rms = tracks.map((t) => rmsPerFrame(t, sampleRate, fps, n));
  const talk = rms.map((r) => speechMask(r));
  return faces.map((_, i) => {
    const gap = Float32Array.from({ length: n }, (_, f) => gaps[i][f] ?? NaN);
    const ok = [...gap.keys()].filter((f) => Number.isFinite(gap[f]));
    const others = rms.filter((_, j) => j !== i);
    const otherLoud = ok.map((f) => Math.max(0, ...others.map((r) => r[f])));
    const whileOther = ok.filter((f) => !talk[i][f] && talk.some((t, j) => j !== i && t[f]));
    const whileOwn = ok.filter((f) => talk[i][f]);
    const sorted = ok.map((f) => gap[f]).sort((a, b) => a - b);
    const shutBelow = (sorted[Math.floor(sorted.length * 0.1)] ?? 0) + SHUT_MARGIN;
    return {
      gap,
      ownR: pearson(ok.map((f) => rms[i][f]), ok.map((f) => gap[f])),
      otherR: pearson(otherLoud, ok.map((f) => gap[f])),
      otherFrames: whileOther.length,
      shutWhileOther: whileOther.length ? whileOther.filter((f) => gap[f] < shutBelow).length / whileOther.length : NaN,
      openWhileOwn: whileOwn.length ? whileOwn.filter((f) => gap[f] >= shutBelow).length / whileOwn.length : NaN,
      shutBelow,
      seen: ok.length,
    };
  });
}
