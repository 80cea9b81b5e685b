// The articulation targets every hop: where the mouth is heading, before dynamics. Shared by the
// audio-driven and the text-driven models, so both produce the same track set. Pure.
import type { ParamTracks } from '../../core/types.js';

export const TRACK_NAMES = ['jaw', 'lipSpread', 'lipRound', 'lipPress', 'upperLipRaise', 'speechActivity', 'emphasis', 'pitch'] as const;
export type TrackName = (typeof TRACK_NAMES)[number];

/** The speech tracks of ParamTracks (see there), one value per hop rather than per frame. */
export type ArticulationTargets = Pick<ParamTracks, TrackName> & {
  /** Seconds between values. */
  readonly hop: number;
};

export function emptyTargets(hop: number, count: number): ArticulationTargets {
  const make = () => new Float32Array(count);
  return { hop, jaw: make(), lipSpread: make(), lipRound: make(), lipPress: make(), upperLipRaise: make(), speechActivity: make(), emphasis: make(), pitch: make() };
}
