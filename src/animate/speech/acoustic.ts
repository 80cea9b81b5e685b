// Articulation targets from acoustics alone (no transcript, no language rules). Pure.
//
// Cues, per 10 ms hop, each normalised against the recording itself so that level, microphone
// and voice do not matter:
// - jaw: loudness relative to the neighbouring syllable peaks, times voicing and F1 (F1 rises
//   as the jaw lowers; Lindblom & Sundberg 1971);
// - spread / round: F2 against the speaker's own F2 range (front vowels high F2, rounded low);
// - lip closure: a stop gap, a voice bar or a nasal murmur, judged against the voice's own
//   vowels (closureEvidence) - what a bilabial stop or /m/ sounds like from outside the mouth;
// - silence closes the mouth: lips meet at rest.
import type { SpeechFeatures } from '../../analyze/audio/features.js';
import { emptyTargets, type ArticulationTargets } from './targets.js';
import { smoothstep } from '../../core/geometry.js';
import { runningMax, sideMax } from './dynamics.js';

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
  /** A stop closure: this far below the louder neighbouring syllable (and 3-8 dB below the other). */
  gapDb: [12, 20] as const,
  /** A nasal murmur: centroid this fraction of the voice's own vowels' centroid... */
  murmurCentroidRatio: [0.65, 0.45] as const,
  /** ...and this much less energy above 3 kHz (relative to its level) than those vowels, dB. */
  murmurDarkerDb: [2, 7] as const,
  /** Frication: energy above 3 kHz (relative to level) this much above the voice's vowels, dB. */
  fricationAboveVowelsDb: [3, 9] as const,
});

/**
 * What the analyzer learns about the voice from the whole recording, so that every cue is judged
 * against the speaker's own vowels rather than fixed numbers: voices differ by 15 dB in their
 * high-frequency balance (espeak-ng vs festival HTS) and by a factor of two in centroid.
 */
export interface VoiceProfile {
  /** dB: below this is not speech. */
  readonly gate: number;
  /** dB: the loudest 2 %. */
  readonly peak: number;
  /** Median spectral centroid of loud voiced frames, Hz. */
  readonly vowelCentroid: number;
  /** Median of (level above 3 kHz - level) over loud voiced frames, dB. */
  readonly vowelHighDb: number;
}

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
  const vowel = (i: number) => voiced(i) && f.db[i] > peak - 15;
  const highRel = Float32Array.from(f.highDb, (h, i) => h - f.db[i]);
  const voice: VoiceProfile = { gate, peak, vowelCentroid: percentile(f.centroid, vowel, 0.5, 1000), vowelHighDb: percentile(highRel, vowel, 0.5, -15) };
  // The speaker's own F1 range, widened to at least 300-650 Hz so that a recording of one vowel
  // (or one vowel quality) does not stretch tiny differences into full jaw movements.
  const f1Lo = Math.min(300, percentile(f.f1, voiced, 0.1, 300)), f1Hi = Math.max(650, percentile(f.f1, voiced, 0.9, 800));
  const f2Lo = percentile(f.f2, voiced, 0.1, 900), f2Hi = Math.max(f2Lo + 300, percentile(f.f2, voiced, 0.9, 2200));
  const f2Mid = 0.5 * (f2Lo + f2Hi), f2Half = 0.5 * (f2Hi - f2Lo);
  const f0Median = percentile(f.f0, (i) => f.f0[i] > 0 && f.db[i] > gate, 0.5, 0);

  const side = Math.max(2, Math.round(ACOUSTIC.neighbourSeconds / f.hop));
  const local = runningMax(f.db, side);
  // Long-term level for emphasis: a syllable louder than the phrase around it is stressed.
  const phrase = runningMax(f.db, Math.round(1.5 / f.hop));

  const closure = closureEvidence(f, voice);
  let pitchHold = 0;
  for (let i = 0; i < n; i++) {
    const db = f.db[i];
    const active = smoothstep(gate - 3, gate + 6, db);
    t.speechActivity[i] = Math.max(active, smoothstep(gate, gate + 6, local[i]) * 0.5 * active);

    const level = smoothstep(gate, peak - 3, db);
    const withinSyllable = smoothstep(-14, -2, db - local[i]);
    const voicedness = smoothstep(0.45, 0.8, f.voicing[i]);
    const f1Open = f.f1[i] > 0 ? smoothstep(f1Lo, f1Hi, f.f1[i]) : 0;
    // Noise above 3 kHz well above this voice's vowels: a fricative or a burst.
    const frication = active * fricationOf(highRel[i], voice);
    // Voicing is not required for opening (whispered or breathy vowels open the mouth too);
    // frication keeps the teeth nearly together.
    const open = (0.35 + 0.65 * f1Open) * (0.4 + 0.6 * level) * (1 - 0.7 * frication) * (0.6 + 0.4 * voicedness);
    t.jaw[i] = active * withinSyllable * Math.min(1, open * 1.15);

    // Lip closure (see closureEvidence); at rest, away from speech, the lips meet.
    t.lipPress[i] = Math.max(closure[i], 1 - smoothstep(gate - 6, gate + 2, local[i]));
    t.jaw[i] *= 1 - t.lipPress[i];

    const front = f.f2[i] > 0 ? (f.f2[i] - f2Mid) / f2Half : 0;
    const vowelish = voicedness * active * withinSyllable;
    // Sibilants: /s/ (very high centroid) draws the lips wide, /sh/ (lower) rounds and lifts them.
    const sibilant = frication * active;
    const sh = sibilant * smoothstep(2200, 3000, f.centroid[i]) * (1 - smoothstep(3600, 4400, f.centroid[i]));
    const s = sibilant * smoothstep(4000, 5000, f.centroid[i]);
    t.lipSpread[i] = Math.min(1, vowelish * smoothstep(0, 1, front) + 0.4 * s);
    t.lipRound[i] = Math.min(1, vowelish * smoothstep(0, 1, -front) * (1 - 0.5 * f1Open) + 0.5 * sh);
    t.upperLipRaise[i] = Math.min(1, 0.35 * t.jaw[i] + 0.6 * sh);

    const stress = smoothstep(0, 6, db - (phrase[i] - 6)) * voicedness * active;
    const octaves = f.f0[i] > 0 && f0Median > 0 ? Math.log2(f.f0[i] / f0Median) : 0;
    t.emphasis[i] = stress * (0.6 + 0.4 * smoothstep(0, 0.3, octaves)) * (db >= local[i] - 1 ? 1 : 0.5);
    // Pitch holds through short unvoiced stretches and relaxes to neutral in silence.
    if (f.f0[i] > 0 && active > 0.5) pitchHold = Math.max(-1, Math.min(1, octaves));
    else pitchHold *= active > 0.5 ? 0.95 : 0.8;
    t.pitch[i] = pitchHold;
  }
  return t;
}

/**
 * How much a frame sounds like frication, in [0, 1]: energy above 3 kHz (relative to the frame's
 * level) well above what this voice's vowels have. Relative, because espeak-ng's vowels carry
 * as much high-frequency energy (-13 dB) as festival's fricatives; a fixed threshold read
 * espeak's vowels as fricatives and kept the jaw from opening on them.
 */
export function fricationOf(highRelDb: number, voice: VoiceProfile): number {
  return smoothstep(ACOUSTIC.fricationAboveVowelsDb[0], ACOUSTIC.fricationAboveVowelsDb[1], highRelDb - voice.vowelHighDb);
}

/**
 * Evidence, per hop in [0, 1], that the lips are shut, from three signatures of a closed
 * vocal tract with speech on at least one side (Stevens 1998, "Acoustic Phonetics", ch. 7, 9):
 * - a stop closure: a gap far below the louder neighbouring syllable and below the other -
 *   silent or carrying only breath noise (breathy voices), but not the hiss of a sibilant;
 * - a voice bar: a shallower dip whose energy is all low (centroid under ~600-900 Hz);
 * - a nasal murmur: voiced, with a spectrum much darker than this voice's own vowels (centroid
 *   about half theirs, little energy above 3 kHz) - the nasal antiresonance and the closed
 *   mouth remove F2 and up - and no louder than its neighbours. HTS voices make /m/ as loud
 *   as the vowels, so no dip is required.
 * Neighbouring syllables are the loudest levels within `ACOUSTIC.neighbourSeconds`; where one
 * side is silence (a closure that starts or ends a phrase) the speaking side alone counts.
 * Nothing here tells /m/ from /n/ or /p/ from /t/: the lips close on those too, briefly, which
 * is far less visible than a missed /m b p/.
 */
export function closureEvidence(f: SpeechFeatures, voice: VoiceProfile): Float32Array {
  const { gate } = voice;
  const n = f.count;
  const side = Math.max(2, Math.round(ACOUSTIC.neighbourSeconds / f.hop));
  const before = sideMax(f.db, side, -1), after = sideMax(f.db, side, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const db = f.db[i], highRel = f.highDb[i] - db;
    const sb = smoothstep(gate, gate + 8, before[i]), sa = smoothstep(gate, gate + 8, after[i]);
    const both = Math.min(sb, sa);
    const louder = Math.max(before[i], after[i]), weaker = Math.min(before[i], after[i]);
    // With silence on one side, the dip is measured against the speaking side only.
    const dip = both * (weaker - db) + (1 - both) * (louder - db);
    const active = smoothstep(gate - 3, gate + 6, db);
    const frication = active * fricationOf(highRel, voice);
    const sibilant = frication * smoothstep(2200, 3200, f.centroid[i]);
    const silentish = 1 - smoothstep(gate - 6, gate + 4, db);
    const gap = smoothstep(ACOUSTIC.gapDb[0], ACOUSTIC.gapDb[1], louder - db) * smoothstep(3, 8, dip) * (1 - sibilant);
    const closedSpectrum = Math.max(silentish, smoothstep(ACOUSTIC.closedCentroidHz[0], ACOUSTIC.closedCentroidHz[1], f.centroid[i]));
    const bar = smoothstep(ACOUSTIC.dipDb[0], ACOUSTIC.dipDb[1], dip) * closedSpectrum * (1 - frication);
    const murmur = active * smoothstep(0.45, 0.75, f.voicing[i])
      * smoothstep(ACOUSTIC.murmurCentroidRatio[0], ACOUSTIC.murmurCentroidRatio[1], f.centroid[i] / voice.vowelCentroid)
      * smoothstep(ACOUSTIC.murmurDarkerDb[0], ACOUSTIC.murmurDarkerDb[1], voice.vowelHighDb - highRel)
      * smoothstep(-1, 2, louder - db);
    out[i] = Math.max(gap, bar, murmur) * Math.max(sb, sa);
  }
  return out;
}
