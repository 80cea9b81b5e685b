// The articulation targets every hop: where the mouth is heading, before dynamics. Shared by the
// audio-driven and the text-driven models, so both produce the same track set. Pure.

export interface ArticulationTargets {
  /** Seconds between values. */
  readonly hop: number;
  readonly jaw: Float32Array;
  readonly lipSpread: Float32Array;
  readonly lipRound: Float32Array;
  readonly lipPress: Float32Array;
  readonly upperLipRaise: Float32Array;
  readonly speechActivity: Float32Array;
  readonly emphasis: Float32Array;
  readonly pitch: Float32Array;
}

export const TRACK_NAMES = ['jaw', 'lipSpread', 'lipRound', 'lipPress', 'upperLipRaise', 'speechActivity', 'emphasis', 'pitch'] as const;
export type TrackName = (typeof TRACK_NAMES)[number];

export function emptyTargets(hop: number, count: number): ArticulationTargets {
  const make = () => new Float32Array(count);
  return { hop, jaw: make(), lipSpread: make(), lipRound: make(), lipPress: make(), upperLipRaise: make(), speechActivity: make(), emphasis: make(), pitch: make() };
}
