// Targets to per-frame tracks: each articulator follows its target with its own dynamics, then
// the result is read at the video frame times, slightly ahead of the sound. Pure.
import { criticallyDamped, sampleFrames } from './dynamics.js';
import { TRACK_NAMES, type ArticulationTargets, type TrackName } from './targets.js';

/**
 * Natural frequencies (rad/s) towards larger / smaller values. The jaw opens faster than it
 * closes (it is heavier going up against gravity in speech); the lips close fast, which is what
 * keeps closures visible at rap rates (~8 syllables/s, closures of 30-60 ms): lips
 * close at up to ~300 mm/s (Gracco 1988), so 200 rad/s (80 % of the way in 15 ms) for pressing,
 * and part at the release about as fast (100 rad/s): a slower release held the lips shut over
 * the middle of the vowel after a closure (eval:lipsync, closures on other phonemes).
 */
export const DYNAMICS: Readonly<Record<TrackName, readonly [number, number]>> = Object.freeze({
  jaw: [55, 40],
  lipSpread: [35, 30],
  lipRound: [35, 30],
  lipPress: [200, 100],
  upperLipRaise: [35, 30],
  speechActivity: [40, 12],
  emphasis: [45, 12],
  pitch: [25, 25],
});

/**
 * Targets are read this far ahead. Real mouths start moving ~40-100 ms before the sound
 * (Chandrasekaran et al. 2009); the dynamics above take ~20-30 ms to respond, so the visible
 * movement leads the sound a little and peaks about with it.
 */
export const LEAD_SECONDS = 0.04;

/**
 * Except for the lip closure: the sound of a bilabial stops the instant the lips meet and its
 * burst is the instant they part, so a closure is shown with the sound, led only by the time
 * the press dynamics need to get half way (~8 ms at 200 rad/s). With the 40 ms lead the mouth
 * showed a 20-30 ms closure a whole frame early and missed it at the frame that matters.
 */
export const PRESS_LEAD_SECONDS = 0.01;

export type SpeechTracks = Record<TrackName, Float32Array>;

export function speechTracks(t: ArticulationTargets, fps: number, frameCount: number): SpeechTracks {
  const out = {} as SpeechTracks;
  for (const name of TRACK_NAMES) {
    const [up, down] = DYNAMICS[name];
    const lead = name === 'lipPress' ? PRESS_LEAD_SECONDS : LEAD_SECONDS;
    out[name] = sampleFrames(criticallyDamped(t[name], t.hop, up, down), t.hop, fps, frameCount, lead);
  }
  for (const name of TRACK_NAMES) {
    if (name === 'pitch') for (let i = 0; i < frameCount; i++) out.pitch[i] = Math.max(-1, Math.min(1, out.pitch[i]));
    else for (let i = 0; i < frameCount; i++) out[name][i] = Math.max(0, Math.min(1, out[name][i]));
  }
  return out;
}
