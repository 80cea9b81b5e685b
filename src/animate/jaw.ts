// Jaw opening per video frame from the loudness envelope. A first, language-independent
// articulation model: louder speech opens the mouth wider; silence closes it. Pure.
import { clamp } from '../core/geometry.js';
import { quantile, type LoudnessEnvelope } from '../analyze/audio/loudness.js';

export const JAW = Object.freeze({
  /** Levels this far above the noise floor still count as silence. */
  gateDb: 8,
  /** Smoothing per 10 ms step: opening is faster than closing, as jaw muscles are. */
  attack: 0.55,
  release: 0.3,
  /** The mouth starts moving this long before the sound it makes. */
  leadSeconds: 0.04,
  /** Shapes the level curve; 1 is linear. */
  gamma: 1,
  /** Window over which syllable peaks and dips are compared (a syllable lasts ~150-250 ms). */
  syllableSeconds: 0.25,
  /** How much of the opening follows the syllable rhythm rather than the overall level. */
  syllableDepth: 0.6,
  /** Added to the local range so small level ripples in steady vowels do not flutter the jaw. */
  localRangeDb: 4,
});

/** Running minimum and maximum over a centred window of +-`radius` values. */
export function runningMinMax(x: Float32Array, radius: number): { min: Float32Array; max: Float32Array } {
  const min = new Float32Array(x.length), max = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let lo = Infinity, hi = -Infinity;
    for (let j = Math.max(0, i - radius); j <= Math.min(x.length - 1, i + radius); j++) {
      if (x[j] < lo) lo = x[j];
      if (x[j] > hi) hi = x[j];
    }
    min[i] = lo; max[i] = hi;
  }
  return { min, max };
}

/**
 * Per-hop jaw target in [0, 1]. Two factors: the level relative to the recording's own floor and
 * peak (loud speech opens wider, silence closes), times the level within the surrounding
 * syllable-length window, so the mouth also closes part-way between syllables of continuous
 * speech instead of hanging open.
 */
export function jawTargets(env: LoudnessEnvelope): Float32Array {
  const floor = Math.max(-75, quantile(env.db, 0.1));
  const peak = Math.max(floor + JAW.gateDb + 6, quantile(env.db, 0.97));
  const lo = floor + JAW.gateDb;
  const radius = Math.max(1, Math.round(JAW.syllableSeconds / 2 / env.hop));
  const local = runningMinMax(env.db, radius);
  const out = new Float32Array(env.db.length);
  for (let i = 0; i < out.length; i++) {
    const level = clamp((env.db[i] - lo) / (peak - lo), 0, 1);
    const within = clamp((env.db[i] - local.min[i]) / (local.max[i] - local.min[i] + JAW.localRangeDb), 0, 1);
    out[i] = Math.pow(level, JAW.gamma) * (1 - JAW.syllableDepth + JAW.syllableDepth * within);
  }
  return out;
}

/** Asymmetric first-order smoothing: rises with `attack`, falls with `release`. */
export function smoothAttackRelease(x: Float32Array, attack: number, release: number): Float32Array {
  const y = new Float32Array(x.length);
  let v = 0;
  for (let i = 0; i < x.length; i++) {
    v += (x[i] - v) * (x[i] > v ? attack : release);
    y[i] = v;
  }
  return y;
}

/**
 * Jaw track with `frameCount` values at `fps`: smoothed targets sampled slightly ahead of each
 * frame's time; frames past the end of the audio are closed.
 */
export function jawTrack(env: LoudnessEnvelope, fps: number, frameCount: number): Float32Array {
  const smooth = smoothAttackRelease(jawTargets(env), JAW.attack, JAW.release);
  const out = new Float32Array(frameCount);
  for (let f = 0; f < frameCount; f++) {
    const pos = (f / fps + JAW.leadSeconds) / env.hop;
    const i = Math.floor(pos);
    if (i + 1 >= smooth.length) {
      out[f] = i < smooth.length ? smooth[i] * (1 - (pos - i)) : 0;
      continue;
    }
    out[f] = smooth[i] + (smooth[i + 1] - smooth[i]) * (pos - i);
  }
  return out;
}
