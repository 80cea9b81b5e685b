// Articulation targets from acoustics alone (no transcript, no language rules). Pure.
//
// Cues, per 10 ms hop, each normalised against the recording itself so that level, microphone
// and voice do not matter:
// - jaw: loudness relative to the neighbouring syllable peaks, times voicing and F1 (F1 rises
//   as the jaw lowers; Lindblom & Sundberg 1971);
// - spread / round: F2 against the speaker's own F2 range (front vowels high F2, rounded low);
// - lip closure: a stop gap, a voice bar or a nasal murmur, judged against the voice's own
//   vowels - what a stop or nasal sounds like from outside the mouth - then weighed by where it
//   was made (closures.ts, with the place model of closure-place.ts): the lips shut only for
//   p, b, m;
// - silence closes the mouth: lips meet at rest.
// The voice's own levels and spectra come from voice.ts; over a loud low-frequency bed (music,
// hum) the levels are read above 1 kHz, judged per stretch of a few seconds (voice.ts bedShare),
// so a bed under part of a clip is found where it plays. The numbers: acoustic-config.ts.
import type { SpeechFeatures } from '../../analyze/audio/features.js';
import { smoothstep } from '../../core/geometry.js';
import { ACOUSTIC } from './acoustic-config.js';
import { bilabialClosures, closureEvidence, type PlaceOptions } from './closures.js';
import { runningMax } from './dynamics.js';
import { emptyTargets, TRACK_NAMES, type ArticulationTargets } from './targets.js';
import { bedShare, fricationOf, percentile, voiceBandDb, voiceProfile, type VoiceProfile } from './voice.js';

export function acousticTargets(heard: SpeechFeatures, opts: PlaceOptions = {}): ArticulationTargets {
  const share = bedShare(heard);
  const plain = { ...heard, bed: false }, bedded = { ...heard, db: heard.upperDb, bed: true, openDb: voiceBandDb(heard) };
  if (share.every((s) => s === 0)) return targetsFor(plain, voiceProfile(plain), opts);
  if (share.every((s) => s === 1)) return targetsFor(bedded, voiceProfile(bedded), opts);
  // A bed under part of the clip: each stretch read against its own background, the two
  // readings blended where the bed comes and goes.
  const a = targetsFor(plain, voiceProfile(plain, (i) => share[i] < 0.5), opts);
  const overIt = (i: number) => share[i] >= 0.5;
  const b = targetsFor(bedded, voiceProfile(bedded, overIt), opts, overIt);
  for (const name of TRACK_NAMES) {
    const x = a[name], y = b[name];
    for (let i = 0; i < x.length; i++) x[i] += share[i] * (y[i] - x[i]);
  }
  return a;
}

/**
 * The features as read for one stretch: `db` the level speech, pauses and closures are judged
 * by; over a bed, `openDb` the level the jaw's opening follows (see `voiceBandDb`).
 */
type Reading = SpeechFeatures & { readonly bed: boolean; readonly openDb?: Float32Array };

function targetsFor(f: Reading, voice: VoiceProfile, opts: PlaceOptions, within: (i: number) => boolean = () => true): ArticulationTargets {
  const n = f.count;
  const t = emptyTargets(f.hop, n);
  const { gate, peak } = voice;
  // The opening's level, its loudest and its gate (as far below the loudest as the voice's own).
  const openDb = f.openDb ?? f.db;
  const openPeak = f.openDb ? percentile(openDb, (i) => within(i) && f.db[i] > gate, 0.98, peak) : peak;
  const openGate = f.openDb ? openPeak - (peak - gate) : gate;
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
  const openLocal = f.openDb ? runningMax(openDb, side) : local;
  // Long-term level for emphasis: a syllable louder than the phrase around it is stressed.
  const phrase = runningMax(f.db, Math.round(1.5 / f.hop));
  // Syllable nuclei: the level's rise above the valleys on either side, at the local peak.
  const nucleusSide = Math.max(2, Math.round(ACOUSTIC.nucleusSeconds / f.hop));
  const valley = Float32Array.from(runningMax(Float32Array.from(f.db, (d) => -d), nucleusSide), (d) => -d);
  const crest = runningMax(f.db, Math.max(1, Math.round(ACOUSTIC.nucleusPeakSeconds / f.hop)));
  const rate = syllableRate(f, gate, valley, crest);

  // Over a bed the place cues carry some of the music too, but still remove more false
  // closures than they lose true ones (eval:lipsync, music rows).
  const closure = bilabialClosures(f, voice, closureEvidence(f, voice), opts, rate);
  // Over a bed, whether the voice sounds voiced within reach (see bedVoicedReachSeconds); null: no bed.
  const nearVoice = f.bed ? runningMax(Float32Array.from(f.voicing, (v, i) => (v > ACOUSTIC.bedVoicedReach[0] && f.db[i] > gate ? 1 : 0)), Math.round(ACOUSTIC.bedVoicedReach[1] / f.hop)) : null;
  let pitchHold = 0;
  for (let i = 0; i < n; i++) {
    const db = f.db[i];
    const active = smoothstep(gate - 3, gate + 6, db);
    t.speechActivity[i] = Math.max(active, smoothstep(gate, gate + 6, local[i]) * 0.5 * active);

    const level = smoothstep(openGate, openPeak - 3, openDb[i]);
    const withinSyllable = smoothstep(-14, -2, openDb[i] - openLocal[i]);
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
    if (nearVoice) t.jaw[i] *= nearVoice[i];

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
