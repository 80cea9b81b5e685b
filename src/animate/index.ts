// Animation stage: audio features and a seed in, per-frame parameter tracks out.
import type { FrameParams, ParamTracks } from '../core/types.js';
import type { LoudnessEnvelope } from '../analyze/audio/loudness.js';
import { jawTrack } from './jaw.js';
import { blinkTrack } from './blink.js';

export { jawTrack, jawTargets, smoothAttackRelease, JAW } from './jaw.js';
export { blinkTrack, blinkTimes, blinkShape, BLINK } from './blink.js';

export interface AnimateInput {
  readonly loudness: LoudnessEnvelope;
  readonly fps: number;
  readonly frameCount: number;
  readonly seed: number;
}

export function animate(input: AnimateInput): ParamTracks {
  const blink = blinkTrack(input.fps, input.frameCount, input.seed);
  return {
    fps: input.fps,
    frameCount: input.frameCount,
    jaw: jawTrack(input.loudness, input.fps, input.frameCount),
    // Both lids move together; a few percent less on one side keeps it from looking mechanical.
    blinkLeft: blink,
    blinkRight: blink.map((v) => v * 0.97),
  };
}

export function paramsAt(tracks: ParamTracks, frame: number): FrameParams {
  return { jaw: tracks.jaw[frame], blinkLeft: tracks.blinkLeft[frame], blinkRight: tracks.blinkRight[frame] };
}
