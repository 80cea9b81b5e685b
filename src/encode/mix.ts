// Several speech tracks -> one, for the video's sound. Every track starts at 0 on the same
// timeline; the sum is scaled down only when its peak would clip, so a turn-taking dialogue
// keeps each voice's own level and overlapping speech never distorts. Pure.
import type { RawAudio } from '../core/types.js';

/** Highest peak the mix may reach: a little under full scale, for the AAC encoder's overshoot. */
export const MIX_PEAK = 0.97;

export interface Mix {
  readonly audio: RawAudio;
  /** The factor the sum was scaled by (1 when nothing would have clipped). */
  readonly gain: number;
}

/** Sums tracks of one sample rate into a track as long as the longest (or `length` samples). */
export function mixTracks(tracks: readonly Float32Array[], sampleRate: number, length?: number): Mix {
  const n = length ?? Math.max(0, ...tracks.map((t) => t.length));
  const out = new Float32Array(n);
  for (const t of tracks) {
    const m = Math.min(n, t.length);
    for (let i = 0; i < m; i++) out[i] += t[i];
  }
  let peak = 0;
  for (let i = 0; i < n; i++) { const a = Math.abs(out[i]); if (a > peak) peak = a; }
  const gain = peak > MIX_PEAK ? MIX_PEAK / peak : 1;
  if (gain !== 1) for (let i = 0; i < n; i++) out[i] *= gain;
  return { audio: { samples: out, sampleRate }, gain };
}
