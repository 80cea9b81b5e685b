// Articulation targets from acoustics alone (no transcript, no language rules). Pure.
//
// Cues, per 10 ms hop, each normalised against the recording itself so that level, microphone
// and voice do not matter:
// - jaw: loudness relative to the neighbouring syllable peaks, times voicing and F1 (F1 rises
//   as the jaw lowers; Lindblom & Sundberg 1971);
// - spread / round: F2 against the speaker's own F2 range (front vowels high F2, rounded low);
// - lip closure: a stop gap, a voice bar or a nasal murmur, judged against the voice's own
//   vowels (closureEvidence) - what a stop or nasal sounds like from outside the mouth - then
//   weighed by where it was made (bilabialClosures, with the place model of closure-place.ts):
//   the lips shut only for p, b, m;
// - silence closes the mouth: lips meet at rest.
// Over a loud low-frequency bed (music, hum) the levels are read above 1 kHz, judged per stretch
// of a few seconds (bedShare), so a bed under part of a clip is found where it plays.
import type { SpeechFeatures } from '../../analyze/audio/features.js';
import { bilabialProbability, spectralShape, PLACE_MODEL, type ClosureEvent, type PlaceModel } from './closure-place.js';
import { emptyTargets, TRACK_NAMES, type ArticulationTargets } from './targets.js';
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
  /**
   * A bed under the voice fills the pauses and gaps of the full level but leaves them in the
   * voice's band above 1 kHz: the level above 1 kHz is followed instead when the full level's
   * dynamic range (loudest 2 % over quietest 5 %) is under `bedRangeDb` and the upper band's is
   * wider by `bedRangeMarginDb`. Clean speech, even fast with no pause, spans 30 dB or more (its
   * quietest frames are voice bars and murmurs, dark but not loud); voices over the synthetic
   * bed of eval:lipsync at -6 to -12 dB span 12-22 dB (at -18 dB, 20-27 dB: the bed no longer
   * fills the gaps and the full level works).
   */
  bedRangeDb: 24,
  bedRangeMarginDb: 5,
  /**
   * The bed is judged per window of this length, a window every `bedStepSeconds`, so that a bed
   * under only part of a clip (a song's intro, music coming in mid-speech) is found where it
   * plays, and each stretch is judged against its own background; between window centres the
   * targets read with and without the bed are blended (a hand-over of one step, no jump).
   * A clip no longer than one window is judged whole, as before.
   */
  bedWindowSeconds: 4,
  bedStepSeconds: 1,
  /** A closure event is shown as shut lips from this bilabial probability on (soft in between). */
  bilabialP: [0.4, 0.6] as const,
  /** The share of its evidence a tongue closure keeps: the lips come close but stay apart (< 0.5). */
  tongueClosure: 0.4,
  /**
   * Syllable nuclei open the jaw by at least this much, whatever F1 says: the nucleus is where
   * the level rises above the valleys between syllables (`nucleusRiseDb`, within
   * `nucleusSeconds` each side) and is near the local peak. At 8 syllables a second, and for
   * high voices whose F1 the LPC tracker confuses with the first harmonics, F1 alone left the
   * jaw at a median of 0.09 on fast Mandarin.
   */
  nucleusJaw: 0.5,
  nucleusRiseDb: [3, 9] as const,
  nucleusSeconds: 0.07,
  /** ...and within this many dB of the loudest level within `nucleusPeakSeconds` each side. */
  nucleusPeakDb: [4, 1] as const,
  nucleusPeakSeconds: 0.03,
  /**
   * At fast rates the jaw has no time to reach its targets before the next consonant (the
   * articulators' dynamics, tracks.ts, cut the peaks), so its targets are raised by up to
   * `fastJawGain` as the local syllable rate goes from `fastRate[0]` to `fastRate[1]` syllables
   * per second of speech (counted as nuclei within `rateSeconds` each side).
   */
  fastJawGain: 0.5,
  fastRate: [5, 8] as const,
  rateSeconds: 0.6,
  /** F1 above this is taken as the open end of the speaker's range at most (a tracker's slip to F2 is not a wider jaw). */
  f1OpenMaxHz: 1000,
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
  /** The speaker's F2 range (10th and 90th percentile over voiced frames), Hz. */
  readonly f2Range?: readonly [number, number];
  /**
   * True when a loud bed under the voice (music, hum) fills the low frequencies: levels are then
   * read above 1 kHz (see `overBed`) and the cues that read the low spectrum (voice bar, murmur)
   * are not trusted.
   */
  readonly overBed?: boolean;
}

function percentile(values: Float32Array, mask: (i: number) => boolean, q: number, fallback: number): number {
  const picked: number[] = [];
  for (let i = 0; i < values.length; i++) if (mask(i)) picked.push(values[i]);
  if (picked.length < 5) return fallback;
  picked.sort((a, b) => a - b);
  return picked[Math.min(picked.length - 1, Math.floor(q * (picked.length - 1)))];
}

/**
 * The features with the level the voice is judged by: the full level, or where a loud bed
 * fills the low frequencies (music, a hum; the full level then never falls in pauses or stop
 * gaps) the level above 1 kHz, where the voice still rises and falls by itself. `bed` is the
 * rule applied to the hops `within` picks (default: the whole clip); see `bedShare` for where
 * in a clip a bed plays.
 */
export function overBed(f: SpeechFeatures, within: (i: number) => boolean = () => true): SpeechFeatures & { readonly bed: boolean } {
  return bedRule(f, within) ? { ...f, db: f.upperDb, bed: true } : { ...f, bed: false };
}

function bedRule(f: SpeechFeatures, within: (i: number) => boolean): boolean {
  return bedVerdict(f.db, f.upperDb, within) === 'bed';
}

/**
 * 'bed' by the rule above; 'clear' where the full level falls `bedRangeDb` or more (nothing
 * fills the low band); 'unsure' in between - a stretch where nothing rises above the background
 * in the voice's band either (silence, music alone, a held note), which says nothing either way.
 */
function bedVerdict(db: Float32Array, upperDb: Float32Array, within: (i: number) => boolean = () => true): 'bed' | 'clear' | 'unsure' {
  const range = (x: Float32Array) => percentile(x, within, 0.98, 0) - percentile(x, within, 0.05, -100);
  const full = range(db);
  if (full >= ACOUSTIC.bedRangeDb) return 'clear';
  return range(upperDb) > full + ACOUSTIC.bedRangeMarginDb ? 'bed' : 'unsure';
}

/**
 * Per hop, 0..1: how much a loud bed fills the low band there. The whole-clip rule (`overBed`)
 * on windows of `ACOUSTIC.bedWindowSeconds` every `bedStepSeconds`, each window's verdict held
 * at its centre and blended linearly between centres; an unsure window takes the verdict of the
 * nearest window that is sure (the whole clip's when none is).
 */
export function bedShare(f: SpeechFeatures): Float32Array {
  const n = f.count;
  const win = Math.round(ACOUSTIC.bedWindowSeconds / f.hop), step = Math.max(1, Math.round(ACOUSTIC.bedStepSeconds / f.hop));
  const out = new Float32Array(n);
  const whole = bedRule(f, () => true) ? 1 : 0;
  if (n <= win) return out.fill(whole);
  const starts: number[] = [];
  for (let a = 0; a + win < n; a += step) starts.push(a);
  starts.push(n - win);
  const centres = starts.map((a) => a + win / 2);
  const said = starts.map((a) => bedVerdict(f.db.subarray(a, a + win), f.upperDb.subarray(a, a + win)));
  const verdicts = said.map((v, k) => {
    if (v !== 'unsure') return v === 'bed' ? 1 : 0;
    for (let d = 1; d < said.length; d++) {
      for (const j of [k - d, k + d]) if (j >= 0 && j < said.length && said[j] !== 'unsure') return said[j] === 'bed' ? 1 : 0;
    }
    return whole;
  });
  let k = 0;
  for (let i = 0; i < n; i++) {
    while (k + 1 < centres.length && centres[k + 1] <= i) k++;
    if (i <= centres[0]) out[i] = verdicts[0];
    else if (k + 1 >= centres.length) out[i] = verdicts[k];
    else out[i] = verdicts[k] + (verdicts[k + 1] - verdicts[k]) * (i - centres[k]) / (centres[k + 1] - centres[k]);
  }
  return out;
}

/**
 * The voice's own reference levels and spectra, learnt from the whole recording, or from the
 * hops `within` picks (the stretch with or without a bed, each against its own background).
 */
export function voiceProfile(f: SpeechFeatures & { readonly bed?: boolean }, within: (i: number) => boolean = () => true): VoiceProfile {
  const all = within;
  const floor = Math.max(-90, percentile(f.db, all, 0.05, -90));
  const peak = percentile(f.db, all, 0.98, 0);
  const gate = Math.max(floor + ACOUSTIC.gateAboveFloorDb, peak - ACOUSTIC.rangeDb);
  const voiced = (i: number) => within(i) && f.voicing[i] > 0.6 && f.db[i] > gate && f.f1[i] > 0;
  const vowel = (i: number) => voiced(i) && f.db[i] > peak - 15;
  const highRel = Float32Array.from(f.highDb, (h, i) => h - f.db[i]);
  const f2Lo = percentile(f.f2, voiced, 0.1, 900), f2Hi = Math.max(f2Lo + 300, percentile(f.f2, voiced, 0.9, 2200));
  return { gate, peak, vowelCentroid: percentile(f.centroid, vowel, 0.5, 1000), vowelHighDb: percentile(highRel, vowel, 0.5, -15), f2Range: [f2Lo, f2Hi], overBed: f.bed === true };
}

/** What eval/closure-fit.ts varies while fitting; the defaults are the fitted values. */
export interface PlaceOptions {
  readonly place?: PlaceModel;
  readonly bilabialP?: readonly [number, number];
  /** Replaces the model's probability (the fit's oracle: what the closure evidence allows at best). */
  readonly probability?: (e: ClosureEvent) => number;
}

export function acousticTargets(heard: SpeechFeatures, opts: PlaceOptions = {}): ArticulationTargets {
  const share = bedShare(heard);
  const plain = { ...heard, bed: false }, bedded = { ...heard, db: heard.upperDb, bed: true };
  if (share.every((s) => s === 0)) return targetsFor(plain, voiceProfile(plain), opts);
  if (share.every((s) => s === 1)) return targetsFor(bedded, voiceProfile(bedded), opts);
  // A bed under part of the clip: each stretch read against its own background, the two
  // readings blended where the bed comes and goes.
  const a = targetsFor(plain, voiceProfile(plain, (i) => share[i] < 0.5), opts);
  const b = targetsFor(bedded, voiceProfile(bedded, (i) => share[i] >= 0.5), opts);
  for (const name of TRACK_NAMES) {
    const x = a[name], y = b[name];
    for (let i = 0; i < x.length; i++) x[i] += share[i] * (y[i] - x[i]);
  }
  return a;
}

function targetsFor(f: SpeechFeatures & { readonly bed: boolean }, voice: VoiceProfile, opts: PlaceOptions): ArticulationTargets {
  const n = f.count;
  const t = emptyTargets(f.hop, n);
  const { gate, peak } = voice;
  const voiced = (i: number) => f.voicing[i] > 0.6 && f.db[i] > gate && f.f1[i] > 0;
  const highRel = Float32Array.from(f.highDb, (h, i) => h - f.db[i]);
  // The speaker's own F1 range, widened to at least 300-650 Hz so that a recording of one vowel
  // (or one vowel quality) does not stretch tiny differences into full jaw movements.
  const f1Lo = Math.min(300, percentile(f.f1, voiced, 0.1, 300));
  const f1Hi = Math.max(650, Math.min(ACOUSTIC.f1OpenMaxHz, percentile(f.f1, voiced, 0.9, 800)));
  const [f2Lo, f2Hi] = voice.f2Range ?? [900, 2200];
  const f2Mid = 0.5 * (f2Lo + f2Hi), f2Half = 0.5 * (f2Hi - f2Lo);
  const f0Median = percentile(f.f0, (i) => f.f0[i] > 0 && f.db[i] > gate, 0.5, 0);

  const side = Math.max(2, Math.round(ACOUSTIC.neighbourSeconds / f.hop));
  const local = runningMax(f.db, side);
  // Long-term level for emphasis: a syllable louder than the phrase around it is stressed.
  const phrase = runningMax(f.db, Math.round(1.5 / f.hop));
  // Syllable nuclei: the level's rise above the valleys on either side, at the local peak.
  const nucleusSide = Math.max(2, Math.round(ACOUSTIC.nucleusSeconds / f.hop));
  const valley = Float32Array.from(runningMax(Float32Array.from(f.db, (d) => -d), nucleusSide), (d) => -d);
  const crest = runningMax(f.db, Math.max(1, Math.round(ACOUSTIC.nucleusPeakSeconds / f.hop)));
  const rate = syllableRate(f, gate, valley, crest);

  // Over a bed the place cues carry some of the music too, but still remove more false
  // closures than they lose true ones (eval:lipsync, music rows).
  const closure = bilabialClosures(f, voice, closureEvidence(f, voice), opts);
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
    // Every voiced syllable nucleus opens the jaw visibly, judged against its own valleys
    // rather than the loudest syllable near it: at fast rates the level between syllables
    // barely falls, and a weak syllable beside a stressed one is still a syllable.
    const nucleus = smoothstep(ACOUSTIC.nucleusRiseDb[0], ACOUSTIC.nucleusRiseDb[1], db - valley[i]) * smoothstep(-ACOUSTIC.nucleusPeakDb[0], -ACOUSTIC.nucleusPeakDb[1], db - crest[i]) * voicedness * (1 - frication);
    t.jaw[i] = Math.max(t.jaw[i], active * ACOUSTIC.nucleusJaw * nucleus * (0.5 + 0.5 * level));
    t.jaw[i] = Math.min(1, t.jaw[i] * (1 + ACOUSTIC.fastJawGain * smoothstep(ACOUSTIC.fastRate[0], ACOUSTIC.fastRate[1], rate[i])));

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
 * Local syllable rate per hop, syllables per second of speech: voiced level peaks (the loudest
 * within `nucleusPeakSeconds`) that rise 6 dB above their valleys, counted within
 * `rateSeconds` each side and divided by the time with speech there, so pauses do not slow it.
 */
export function syllableRate(f: SpeechFeatures, gate: number, valley: Float32Array, crest: Float32Array): Float32Array {
  const n = f.count;
  const peaks = new Float64Array(n + 1), speech = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const peak = f.db[i] >= crest[i] && f.db[i] > gate + 6 && f.voicing[i] > 0.6 && f.db[i] - valley[i] >= 6 && (i === 0 || f.db[i - 1] < f.db[i]);
    peaks[i + 1] = peaks[i] + (peak ? 1 : 0);
    speech[i + 1] = speech[i] + (f.db[i] > gate ? 1 : 0);
  }
  const side = Math.round(ACOUSTIC.rateSeconds / f.hop);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - side), b = Math.min(n, i + side + 1);
    out[i] = (peaks[b] - peaks[a]) / Math.max(0.3, (speech[b] - speech[a]) * f.hop);
  }
  return out;
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
 * Nothing here tells /m/ from /n/ or /p/ from /t/: that is bilabialClosures' work.
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
    // Over a bed the low spectrum is the music's: only a gap in the voice's band counts.
    const lowSpectrum = voice.overBed ? 0 : smoothstep(ACOUSTIC.closedCentroidHz[0], ACOUSTIC.closedCentroidHz[1], f.centroid[i]);
    const closedSpectrum = Math.max(silentish, lowSpectrum);
    const bar = smoothstep(ACOUSTIC.dipDb[0], ACOUSTIC.dipDb[1], dip) * closedSpectrum * (1 - frication);
    const murmur = voice.overBed ? 0 : active * smoothstep(0.45, 0.75, f.voicing[i])
      * smoothstep(ACOUSTIC.murmurCentroidRatio[0], ACOUSTIC.murmurCentroidRatio[1], f.centroid[i] / voice.vowelCentroid)
      * smoothstep(ACOUSTIC.murmurDarkerDb[0], ACOUSTIC.murmurDarkerDb[1], voice.vowelHighDb - highRel)
      * smoothstep(-1, 2, louder - db);
    out[i] = Math.max(gap, bar, murmur) * Math.max(sb, sa);
  }
  return out;
}

/** Stretches where the closure evidence is at least this, as one event each. */
const EVENT_MIN = 0.5;

/** Hops of steady voicing each side of a switch for a stretch to be split there. */
const SPLIT_MIN = 2;

/**
 * The stretches [start, end] of closure evidence at least EVENT_MIN, each split where its voicing
 * switches for good (SPLIT_MIN hops each side) between a murmur or voice bar and a silent gap:
 * that is two closures in a row, often at two places ("ein Boot", "and Bob", "kommt"), and as
 * one event their cues mixed the nasal's murmur with the stop's release. Split, each part is
 * weighed by its own place (eval:lipsync held-out half: closures on other phonemes 17 -> 10 %).
 */
function closureStretches(f: SpeechFeatures, closure: Float32Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < f.count; i++) {
    if (closure[i] < EVENT_MIN || (i > 0 && closure[i - 1] >= EVENT_MIN)) continue;
    let j = i;
    while (j + 1 < f.count && closure[j + 1] >= EVENT_MIN) j++;
    let a = i;
    const voiced = (k: number) => f.voicing[k] >= PLACE_MODEL.voicedAbove;
    for (let k = a + SPLIT_MIN; k + SPLIT_MIN - 1 <= j; k++) {
      if (voiced(k) === voiced(k - 1)) continue;
      let steady = true;
      for (let h = k - SPLIT_MIN; h < k + SPLIT_MIN; h++) if (voiced(h) !== voiced(h < k ? k - 1 : k)) steady = false;
      if (!steady) continue;
      out.push([a, k - 1]);
      a = k;
      k += SPLIT_MIN - 1;
    }
    out.push([a, j]);
    i = j;
  }
  return out;
}

export function closureEvents(f: SpeechFeatures, voice: VoiceProfile, closure: Float32Array): ClosureEvent[] {
  const [f2Lo, f2Hi] = voice.f2Range ?? [900, 2200];
  const nf2 = (i: number) => (f.f2[i] > 0 ? (f.f2[i] - f2Lo) / (f2Hi - f2Lo) : NaN);
  const voicedAt = (i: number) => f.voicing[i] > 0.6 && f.f2[i] > 0;
  const side = Math.max(2, Math.round(ACOUSTIC.neighbourSeconds / f.hop));
  const sideBefore = sideMax(f.db, side, -1), sideAfter = sideMax(f.db, side, 1);
  const events: ClosureEvent[] = [];
  for (const [i, j] of closureStretches(f, closure)) {
    let voicing = 0, nasalPlace = 0, compact = 0, darkness = 0, lowest = Infinity;
    for (let k = i; k <= j; k++) {
      voicing += f.voicing[k];
      darkness += f.centroid[k] / voice.vowelCentroid;
      lowest = Math.min(lowest, f.db[k]);
      nasalPlace += f.bandDb[1][k] - f.bandDb[0][k];
      compact += f.bandDb[2][k] - f.bandDb[0][k];
    }
    const len = j - i + 1;
    // The release: the largest rise of the high band within 30 ms after the stretch.
    let burst = Math.min(f.count - 1, j + 1), rise = -Infinity;
    for (let k = Math.max(1, j); k <= Math.min(f.count - 1, j + 3); k++) {
      const r = f.highDb[k] - f.highDb[k - 1];
      if (r > rise) { rise = r; burst = k; }
    }
    let after = -1, before = -1;
    for (let k = j + 1; k < Math.min(f.count, j + 9); k++) if (voicedAt(k)) { after = k; break; }
    for (let k = i - 1; k >= Math.max(0, i - 9); k--) if (voicedAt(k)) { before = k; break; }
    const f2After = after >= 0 ? nf2(after) : NaN, f2Before = before >= 0 ? nf2(before) : NaN;
    const shape = spectralShape(f, i, j, burst);
    events.push({
      ...shape,
      start: i, end: j, voicing: voicing / len, nasalPlace: nasalPlace / len, compact: compact / len,
      burstHigh: f.highDb[burst] - f.db[burst] - voice.vowelHighDb, burstCentroid: f.centroid[burst] / 1000,
      f2Before, f2After,
      f2Into: before >= 3 && f.f2[before - 3] > 0 ? f2Before - nf2(before - 3) : 0,
      f2OutOf: after >= 0 && after + 3 < f.count && f.f2[after + 3] > 0 ? nf2(after + 3) - f2After : 0,
      pinchBefore: before >= 0 && f.f3[before] > 0 ? (f.f3[before] - f.f2[before]) / 1000 : NaN,
      pinchAfter: after >= 0 && f.f3[after] > 0 ? (f.f3[after] - f.f2[after]) / 1000 : NaN,
      burstCompact: f.bandDb[2][burst] - f.db[burst],
      depth: Math.max(sideBefore[i], sideAfter[j]) - lowest,
      darkness: darkness / len,
      duration: len * f.hop,
    });
  }
  return events;
}

/**
 * The closure evidence kept where the lips made it: every stretch of evidence is weighed by
 * how bilabial it sounds, and a tongue closure (t, d, n, k) is brought down to a near-closure
 * (`ACOUSTIC.tongueClosure`: jaw up, lips just apart) instead of shut lips.
 */
export function bilabialClosures(f: SpeechFeatures, voice: VoiceProfile, closure: Float32Array, opts: PlaceOptions = {}): Float32Array {
  const out = Float32Array.from(closure);
  const [p0, p1] = opts.bilabialP ?? ACOUSTIC.bilabialP;
  for (const e of closureEvents(f, voice, closure)) {
    const keep = smoothstep(p0, p1, opts.probability ? opts.probability(e) : bilabialProbability(e, opts.place));
    const scale = ACOUSTIC.tongueClosure + (1 - ACOUSTIC.tongueClosure) * keep;
    // The lips are shut over the whole closure (the stop gap, the murmur) and open at its
    // release; the weaker evidence on either side is the neighbouring sounds fading in and out,
    // and holding the lips on it closed them over the next vowel's or consonant's middle. The
    // ramps in and out are the press dynamics' (tracks.ts).
    for (let k = e.start; k <= e.end; k++) out[k] = scale;
    // (Only outside every stretch: the next part of a split stretch is its own event.)
    for (let k = e.start - 1; k >= 0 && closure[k] > 0.05 && closure[k] < EVENT_MIN && closure[k] <= closure[k + 1]; k--) out[k] = 0;
    for (let k = e.end + 1; k < f.count && closure[k] > 0.05 && closure[k] < EVENT_MIN && closure[k] <= closure[k - 1]; k++) out[k] = 0;
  }
  return out;
}
