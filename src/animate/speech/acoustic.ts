// Articulation targets from acoustics alone (no transcript, no language rules). Pure.
//
// Cues, per 10 ms hop, each normalised against the recording itself so that level, microphone
// and voice do not matter:
// - jaw: loudness relative to the neighbouring syllable peaks, times voicing and F1 (F1 rises
//   as the jaw lowers; Lindblom & Sundberg 1971);
// - spread / round: F2 against the speaker's own F2 range (front vowels high F2, rounded low);
// - lip closure: a dip well below both neighbouring syllables with a closed-tract spectrum -
//   silence (voiceless stop closure), a voice bar or a nasal murmur (energy below ~1 kHz, no
//   frication) - which is what a bilabial stop or /m/ sounds like from outside the mouth;
// - silence closes the mouth: lips meet at rest.
import type { SpeechFeatures } from '../../analyze/audio/features.js';
import { emptyTargets, type ArticulationTargets } from './targets.js';
import { runningMax, sideMax, smoothstep } from './dynamics.js';

export const ACOUSTIC = Object.freeze({
  /** Speech starts this far above the recording's floor, and no lower than peak - range. */
  gateAboveFloorDb: 12,
  rangeDb: 40,
  /** Window on each side for the neighbouring syllables' peak (rap syllables are ~125 ms). */
  neighbourSeconds: 0.12,
  /** A dip this deep below both neighbours is a closure candidate. */
  dipDb: [4, 10] as const,
  /** A closed tract radiates little above this centroid (voice bar / murmur), Hz. */
  closedCentroidHz: [900, 600] as const,
});

function percentile(values: Float32Array, mask: (i: number) => boolean, q: number, fallback: number): number {
  const picked: number[] = [];
  for (let i = 0; i < values.length; i++) if (mask(i)) picked.push(values[i]);
  if (picked.length < 5) return fallback;
  picked.sort((a, b) => a - b);
  return picked[Math.min(picked.length - 1, Math.floor(q * (picked.length - 1)))];
}

export function acousticTargets(f: SpeechFeatures): ArticulationTargets {
  const n = f.count;
  const t = emptyTargets(f.hop, n);
  const all = () => true;
  const floor = Math.max(-90, percentile(f.db, all, 0.05, -90));
  const peak = percentile(f.db, all, 0.98, 0);
  const gate = Math.max(floor + ACOUSTIC.gateAboveFloorDb, peak - ACOUSTIC.rangeDb);
  const voiced = (i: number) => f.voicing[i] > 0.6 && f.db[i] > gate && f.f1[i] > 0;
  // The speaker's own F1 range, widened to at least 300-650 Hz so that a recording of one vowel
  // (or one vowel quality) does not stretch tiny differences into full jaw movements.
  const f1Lo = Math.min(300, percentile(f.f1, voiced, 0.1, 300)), f1Hi = Math.max(650, percentile(f.f1, voiced, 0.9, 800));
  const f2Lo = percentile(f.f2, voiced, 0.1, 900), f2Hi = Math.max(f2Lo + 300, percentile(f.f2, voiced, 0.9, 2200));
  const f2Mid = 0.5 * (f2Lo + f2Hi), f2Half = 0.5 * (f2Hi - f2Lo);
  const f0Median = percentile(f.f0, (i) => f.f0[i] > 0 && f.db[i] > gate, 0.5, 0);

  const side = Math.max(2, Math.round(ACOUSTIC.neighbourSeconds / f.hop));
  const before = sideMax(f.db, side, -1), after = sideMax(f.db, side, 1);
  const local = runningMax(f.db, side);
  // Long-term level for emphasis: a syllable louder than the phrase around it is stressed.
  const phrase = runningMax(f.db, Math.round(1.5 / f.hop));

  let pitchHold = 0;
  for (let i = 0; i < n; i++) {
    const db = f.db[i];
    const active = smoothstep(db, gate - 3, gate + 6);
    t.speechActivity[i] = Math.max(active, smoothstep(local[i], gate, gate + 6) * 0.5 * active);

    const level = smoothstep(db, gate, peak - 3);
    const withinSyllable = smoothstep(db - local[i], -14, -2);
    const voicedness = smoothstep(f.voicing[i], 0.45, 0.8);
    const f1Open = f.f1[i] > 0 ? smoothstep(f.f1[i], f1Lo, f1Hi) : 0;
    // Noise above 3 kHz nearly as strong as the whole signal: a fricative or a burst.
    const frication = active * smoothstep(f.highDb[i] - db, -22, -10);
    // Voicing is not required for opening (whispered or breathy vowels open the mouth too);
    // frication keeps the teeth nearly together.
    const open = (0.35 + 0.65 * f1Open) * (0.4 + 0.6 * level) * (1 - 0.7 * frication) * (0.6 + 0.4 * voicedness);
    t.jaw[i] = active * withinSyllable * Math.min(1, open * 1.15);

    // Lip closure: a dip below both neighbouring syllables, with a closed-tract spectrum.
    const dip = Math.min(before[i], after[i]) - db;
    const dipped = smoothstep(dip, ACOUSTIC.dipDb[0], ACOUSTIC.dipDb[1]);
    const silentish = 1 - smoothstep(db, gate - 6, gate + 4);
    const closedSpectrum = Math.max(silentish, smoothstep(f.centroid[i], ACOUSTIC.closedCentroidHz[0], ACOUSTIC.closedCentroidHz[1]));
    const speechAround = smoothstep(Math.min(before[i], after[i]), gate, gate + 8);
    const closure = dipped * closedSpectrum * (1 - frication) * speechAround;
    // At rest the lips meet; in speech only a closure presses them.
    t.lipPress[i] = Math.max(closure, 1 - smoothstep(local[i], gate - 6, gate + 2));
    t.jaw[i] *= 1 - t.lipPress[i];

    const front = f.f2[i] > 0 ? (f.f2[i] - f2Mid) / f2Half : 0;
    const vowelish = voicedness * active * withinSyllable;
    // Sibilants: /s/ (very high centroid) draws the lips wide, /sh/ (lower) rounds and lifts them.
    const sibilant = frication * active;
    const sh = sibilant * smoothstep(f.centroid[i], 2200, 3000) * (1 - smoothstep(f.centroid[i], 3600, 4400));
    const s = sibilant * smoothstep(f.centroid[i], 4000, 5000);
    t.lipSpread[i] = Math.min(1, vowelish * smoothstep(front, 0, 1) + 0.4 * s);
    t.lipRound[i] = Math.min(1, vowelish * smoothstep(-front, 0, 1) * (1 - 0.5 * f1Open) + 0.5 * sh);
    t.upperLipRaise[i] = Math.min(1, 0.35 * t.jaw[i] + 0.6 * sh);

    const stress = smoothstep(db - (phrase[i] - 6), 0, 6) * voicedness * active;
    const octaves = f.f0[i] > 0 && f0Median > 0 ? Math.log2(f.f0[i] / f0Median) : 0;
    t.emphasis[i] = stress * (0.6 + 0.4 * smoothstep(octaves, 0, 0.3)) * (db >= local[i] - 1 ? 1 : 0.5);
    // Pitch holds through short unvoiced stretches and relaxes to neutral in silence.
    if (f.f0[i] > 0 && active > 0.5) pitchHold = Math.max(-1, Math.min(1, octaves));
    else pitchHold *= active > 0.5 ? 0.95 : 0.8;
    t.pitch[i] = pitchHold;
  }
  return t;
}
