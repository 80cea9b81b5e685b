// Where a lip or tongue closure was made, from the cues of one stretch of closure evidence: the
// place model (softmax over the lips, the tongue tip, the tongue back and other) and the cues it
// reads. Pure; closures.ts finds the stretches (closureEvents) and shows the lips' ones.
import { PLACE_BANDS_HZ, type SpeechFeatures } from '../../analyze/audio/features.js';

/** What one stretch of closure evidence sounds like; the cues that tell the lips from the tongue. */
export interface ClosureEvent extends Readonly<Record<string, number>> {
  /** Hops [start, end], inclusive. */
  readonly start: number;
  readonly end: number;
  /** Mean voicing over the stretch: a nasal murmur or voice bar (high) or a silent gap (low). */
  readonly voicing: number;
  /**
   * Mean level 1-1.6 kHz minus 0.5-1 kHz, dB: the nasal antiresonance sits near 1 kHz for /m/
   * and 1.5-2 kHz for /n/ (Fujimura 1962), so it is high for /m/, low for /n/.
   */
  readonly nasalPlace: number;
  /** Mean level 1.6-3 kHz minus 0.5-1 kHz, dB: a compact mid-frequency spectrum (velar). */
  readonly compact: number;
  /** At the release: energy above 3 kHz relative to the level, against the voice's vowels, dB (alveolar bursts are high). */
  readonly burstHigh: number;
  /** Spectral centroid at the release, kHz (labial bursts are diffuse and low). */
  readonly burstCentroid: number;
  /** F2 of the voiced frame before and after, 0..1 of the speaker's F2 range (NaN when none within 80 ms). */
  readonly f2Before: number;
  readonly f2After: number;
  /** F2 change over the 30 ms next to the closure, same units: F2 falls into a bilabial and rises out of it. */
  readonly f2Into: number;
  readonly f2OutOf: number;
  /** F3 - F2 (kHz) at the voiced frame before and after: small next to a velar (the velar pinch). */
  readonly pinchBefore: number;
  readonly pinchAfter: number;
  /** At the release: level 1.6-3 kHz relative to the level, dB (a velar burst is compact there). */
  readonly burstCompact: number;
  /** Depth of the dip below the louder neighbouring syllable, dB: taps and approximants dip little. */
  readonly depth: number;
  /** Mean centroid over the stretch relative to the voice's vowels: a bilabial murmur is the darkest. */
  readonly darkness: number;
  /** Seconds. */
  readonly duration: number;
}


/** The place cues read from `SpeechFeatures.placeDb`: `murmur<Hz>` over the stretch, `release<Hz>` over the 20 ms from the release. */
export const SPECTRUM_CUES = PLACE_BANDS_HZ.flatMap(([lo]) => [`murmur${lo}`, `release${lo}`]);

/**
 * The spectral shape of the stretch [i, j] and of the release at `burst`: each band's level
 * minus the mean of the bands (dB), so only the shape counts, not the level.
 */
export function spectralShape(f: SpeechFeatures, i: number, j: number, burst: number): Record<string, number> {
  const out: Record<string, number> = {};
  const bands = f.placeDb;
  const mean = (a: number, b: number) => {
    const m = PLACE_BANDS_HZ.map((_, k) => { let s = 0; for (let h = a; h <= b; h++) s += bands ? bands[k][h] : 0; return s / (b - a + 1); });
    const avg = m.reduce((x, y) => x + y, 0) / m.length;
    return m.map((v) => v - avg);
  };
  const murmur = mean(i, j), release = mean(burst, Math.min(f.count - 1, burst + 1));
  PLACE_BANDS_HZ.forEach(([lo], k) => { out[`murmur${lo}`] = murmur[k]; out[`release${lo}`] = release[k]; });
  return out;
}

/**
 * Multinomial logistic models of where a closure is made - the lips (p, b, m), the tongue tip
 * (t, d, n, taps, laterals), the tongue back (k, g) or neither (f, v, beta, vowels) - one for
 * murmurs and voice bars, one for silent gaps, over the cues of `ClosureEvent`. A class per
 * place rather than one "bilabial or not" line, because the tongue closures differ from the lips
 * in different directions (alveolar bursts high, velar ones compact with F2 and F3 pinched).
 * Besides the summary cues, the spectral shape of the stretch and of the release in nine
 * bands (`SPECTRUM_CUES`): where a murmur's antiresonance lies (~1 kHz for /m/, 1.5-2 kHz for
 * /n/) and a burst's tilt; they raised the held-out AUC of bilabial against not from 0.82 to
 * 0.86. An event is labelled bilabial when a p, b or m lies within 20 ms of it (the closure is
 * often labelled partly on the sound before), else by the phoneme it overlaps most. A stretch
 * whose voicing switches from a murmur to a silent gap is two events (closures.ts, closureStretches).
 * Weights fitted by eval/closure-fit.ts on the English, Spanish and Japanese half of
 * eval:lipsync's corpus only; the Mandarin and German half is held out.
 */
export const PLACE_MODEL = Object.freeze({
  // 458 events: 257 bilabial, 111 alveolar, 15 velar, 75 other
  voiced: {
    bilabial: { bias: 1.14, nasalPlace: 0.066, compact: 0.004, burstCentroid: -0.606, burstHigh: 0.002, f2Before: -0.143, f2After: -0.398, f2Into: -0.15, f2OutOf: 0.144, pinchBefore: -0.392, pinchAfter: -0.312, burstCompact: -0.006, depth: 0.041, darkness: -0.174, duration: 8.823, murmur250: 0.085, release250: 0.009, murmur500: -0.105, release500: -0.003, murmur750: -0.019, release750: 0.028, murmur1000: 0.088, release1000: 0.012, murmur1300: 0.056, release1300: -0.006, murmur1600: -0.034, release1600: 0.039, murmur2000: -0.088, release2000: -0.021, murmur2500: -0.002, release2500: -0.013, murmur3000: -0.067, release3000: -0.028 },
    alveolar: { bias: 1.169, nasalPlace: -0.052, compact: -0.013, burstCentroid: 0.642, burstHigh: -0.036, f2Before: -0.111, f2After: 0.494, f2Into: -0.214, f2OutOf: -0.008, pinchBefore: -0.112, pinchAfter: -0.293, burstCompact: -0.006, depth: -0.044, darkness: -0.022, duration: -2.817, murmur250: -0.023, release250: -0.023, murmur500: 0.05, release500: 0.045, murmur750: 0.005, release750: 0.012, murmur1000: -0.084, release1000: -0.032, murmur1300: -0.012, release1300: -0.023, murmur1600: 0.121, release1600: -0.008, murmur2000: 0.035, release2000: -0.007, murmur2500: -0.025, release2500: 0.01, murmur3000: 0.004, release3000: 0.032 },
    velar: { bias: -0.745, nasalPlace: -0.016, compact: 0.007, burstCentroid: 0.158, burstHigh: 0.006, f2Before: 0.459, f2After: 0.878, f2Into: 0.029, f2OutOf: 0.03, pinchBefore: -0.453, pinchAfter: -0.206, burstCompact: 0.009, depth: 0.025, darkness: -0.091, duration: -3.341, murmur250: -0.021, release250: -0.05, murmur500: 0.011, release500: -0.058, murmur750: 0.021, release750: -0.013, murmur1000: -0.009, release1000: 0.014, murmur1300: -0.043, release1300: 0.045, murmur1600: -0.011, release1600: 0.072, murmur2000: 0.045, release2000: 0.054, murmur2500: 0.028, release2500: 0.021, murmur3000: 0.003, release3000: -0.005 },
    other: { bias: -1.564, nasalPlace: 0.001, compact: 0.003, burstCentroid: -0.194, burstHigh: 0.027, f2Before: -0.205, f2After: -0.974, f2Into: 0.335, f2OutOf: -0.166, pinchBefore: 0.957, pinchAfter: 0.812, burstCompact: 0.002, depth: -0.022, darkness: 0.287, duration: -2.665, murmur250: -0.041, release250: 0.063, murmur500: 0.043, release500: 0.016, murmur750: -0.007, release750: -0.027, murmur1000: 0.004, release1000: 0.005, murmur1300: -0.001, release1300: -0.017, murmur1600: -0.076, release1600: -0.102, murmur2000: 0.008, release2000: -0.026, murmur2500: -0.001, release2500: -0.018, murmur3000: 0.059, release3000: 0.002 },
  },
  // 429 events: 245 bilabial, 70 alveolar, 76 velar, 38 other
  silent: {
    bilabial: { bias: 3.623, nasalPlace: 0.055, compact: 0.025, burstCentroid: -1.175, burstHigh: -0.005, f2Before: -0.408, f2After: 0.166, f2Into: -0.692, f2OutOf: 0.513, pinchBefore: -0.351, pinchAfter: -0.437, burstCompact: 0.013, depth: 0.011, darkness: -0.17, duration: 16.998, murmur250: 0.087, release250: 0.01, murmur500: -0.089, release500: -0.073, murmur750: 0.023, release750: 0.028, murmur1000: 0.022, release1000: 0.003, murmur1300: -0.067, release1300: -0.05, murmur1600: -0.025, release1600: 0.053, murmur2000: 0.007, release2000: 0.004, murmur2500: -0.07, release2500: 0.024, murmur3000: -0.029, release3000: -0.008 },
    alveolar: { bias: -0.913, nasalPlace: -0.035, compact: -0.03, burstCentroid: 0.689, burstHigh: 0.043, f2Before: 0.051, f2After: 0.465, f2Into: 0.33, f2OutOf: -0.124, pinchBefore: -0.158, pinchAfter: -0.055, burstCompact: -0.018, depth: -0.005, darkness: -0.121, duration: -11.508, murmur250: -0.009, release250: -0.005, murmur500: 0.035, release500: 0.049, murmur750: 0.011, release750: -0.009, murmur1000: -0.067, release1000: -0.031, murmur1300: 0.099, release1300: 0.021, murmur1600: 0.073, release1600: -0.029, murmur2000: -0.066, release2000: -0.041, murmur2500: -0.041, release2500: -0.012, murmur3000: 0.067, release3000: 0.033 },
    velar: { bias: -0.472, nasalPlace: 0.004, compact: 0.025, burstCentroid: 0.109, burstHigh: -0.026, f2Before: 1.04, f2After: -0.378, f2Into: -0.292, f2OutOf: -0.32, pinchBefore: -0.088, pinchAfter: 0.256, burstCompact: 0.016, depth: 0.012, darkness: -0.099, duration: 13.75, murmur250: -0.041, release250: -0.032, murmur500: 0.012, release500: 0.017, murmur750: -0.107, release750: -0.031, murmur1000: -0.025, release1000: 0.026, murmur1300: -0.024, release1300: 0.046, murmur1600: 0.095, release1600: 0.016, murmur2000: 0.116, release2000: 0.02, murmur2500: 0.055, release2500: -0.003, murmur3000: -0.057, release3000: -0.001 },
    other: { bias: -2.238, nasalPlace: -0.024, compact: -0.021, burstCentroid: 0.377, burstHigh: -0.013, f2Before: -0.683, f2After: -0.253, f2Into: 0.654, f2OutOf: -0.069, pinchBefore: 0.597, pinchAfter: 0.236, burstCompact: -0.01, depth: -0.018, darkness: 0.389, duration: -19.24, murmur250: -0.036, release250: 0.027, murmur500: 0.043, release500: 0.007, murmur750: 0.072, release750: 0.013, murmur1000: 0.07, release1000: 0.002, murmur1300: -0.008, release1300: -0.017, murmur1600: -0.143, release1600: -0.041, murmur2000: -0.056, release2000: 0.018, murmur2500: 0.056, release2500: -0.009, murmur3000: 0.02, release3000: -0.024 },
  },
  /** Voicing above this uses the murmur model. */
  voicedAbove: 0.75,
});

/**
 * The place model read over a music bed (voice.ts overBed): the same classes and cues, fitted by
 * eval/closure-fit.ts (BED=1) on the same TUNING half laid over eval:lipsync's music bed at -6
 * and -12 dB, its cues read with the bed's spectrum taken out (closures.ts withoutBed). Over a
 * bed the clean model called the tongue's closures bilabial (AUC of bilabial against not, held-out half: 0.73;
 * this one 0.86): what a closure leaves audible there is the bed's spectrum, low and diffuse,
 * and the voicing of the pads and bass, and the weights that read a clean murmur and release do not fit it.
 */
export const PLACE_MODEL_BED = Object.freeze({
  // 387 events: 229 bilabial, 90 alveolar, 50 velar, 18 other
  voiced: {
    bilabial: { bias: 3.454, nasalPlace: 0.043, compact: 0.014, burstCentroid: -1.502, burstHigh: -0.051, f2Before: -0.76, f2After: -0.084, f2Into: 0.148, f2OutOf: 0.354, pinchBefore: -0.419, pinchAfter: -0.03, burstCompact: 0.077, depth: 0.015, darkness: -2.732, duration: 19.154, murmur250: 0.074, release250: -0.013, murmur500: -0.082, release500: 0.016, murmur750: 0.021, release750: 0.058, murmur1000: 0.046, release1000: -0.01, murmur1300: 0.037, release1300: -0.013, murmur1600: 0.008, release1600: -0.013, murmur2000: -0.039, release2000: 0.004, murmur2500: -0.002, release2500: 0.017, murmur3000: -0.079, release3000: -0.043 },
    alveolar: { bias: -2, nasalPlace: -0.044, compact: -0.015, burstCentroid: 1.122, burstHigh: 0.036, f2Before: 0.234, f2After: 0.519, f2Into: -0.102, f2OutOf: 0.143, pinchBefore: -0.068, pinchAfter: 0.117, burstCompact: -0.072, depth: -0.014, darkness: 0.98, duration: -7.023, murmur250: 0.019, release250: 0.011, murmur500: 0.063, release500: 0.006, murmur750: -0.116, release750: -0.011, murmur1000: -0.088, release1000: 0.001, murmur1300: -0.038, release1300: -0.048, murmur1600: 0.043, release1600: -0.026, murmur2000: 0.044, release2000: -0.032, murmur2500: -0.028, release2500: -0.014, murmur3000: 0.033, release3000: 0.077 },
    velar: { bias: 0.718, nasalPlace: -0.007, compact: 0.019, burstCentroid: 0.332, burstHigh: -0.028, f2Before: 0.622, f2After: -0.129, f2Into: -0.257, f2OutOf: -0.262, pinchBefore: -0.291, pinchAfter: 0.205, burstCompact: 0.03, depth: 0.03, darkness: 1.04, duration: -14.64, murmur250: -0.05, release250: -0.008, murmur500: 0.013, release500: -0.035, murmur750: 0.025, release750: -0.06, murmur1000: 0.001, release1000: -0.017, murmur1300: -0.029, release1300: 0.025, murmur1600: 0.013, release1600: 0.079, murmur2000: 0.03, release2000: 0.062, murmur2500: 0.026, release2500: 0.011, murmur3000: 0.015, release3000: -0.031 },
    other: { bias: -2.171, nasalPlace: 0.008, compact: -0.018, burstCentroid: 0.048, burstHigh: 0.043, f2Before: -0.096, f2After: -0.306, f2Into: 0.21, f2OutOf: -0.235, pinchBefore: 0.778, pinchAfter: -0.292, burstCompact: -0.034, depth: -0.031, darkness: 0.712, duration: 2.509, murmur250: -0.043, release250: 0.01, murmur500: 0.007, release500: 0.013, murmur750: 0.07, release750: 0.013, murmur1000: 0.042, release1000: 0.026, murmur1300: 0.03, release1300: 0.036, murmur1600: -0.064, release1600: -0.04, murmur2000: -0.035, release2000: -0.033, murmur2500: 0.005, release2500: -0.014, murmur3000: 0.03, release3000: -0.003 },
  },
  // 1144 events: 673 bilabial, 282 alveolar, 106 velar, 83 other
  silent: {
    bilabial: { bias: 2.06, nasalPlace: 0.058, compact: 0.017, burstCentroid: -0.736, burstHigh: -0.098, f2Before: -0.674, f2After: 0.077, f2Into: 0.018, f2OutOf: 0.453, pinchBefore: -0.011, pinchAfter: -0.495, burstCompact: 0.067, depth: 0.036, darkness: -1.033, duration: 10.813, murmur250: 0.076, release250: -0.008, murmur500: -0.098, release500: -0.026, murmur750: -0.011, release750: 0.068, murmur1000: 0.052, release1000: 0.009, murmur1300: 0.012, release1300: -0.012, murmur1600: -0.079, release1600: 0.016, murmur2000: 0.058, release2000: -0.031, murmur2500: -0.039, release2500: -0.005, murmur3000: -0.069, release3000: -0.009 },
    alveolar: { bias: -0.612, nasalPlace: -0.035, compact: -0.019, burstCentroid: 0.906, burstHigh: -0.021, f2Before: 0.166, f2After: 0.578, f2Into: -0.097, f2OutOf: 0.535, pinchBefore: 0.058, pinchAfter: -0.073, burstCompact: -0.067, depth: -0.023, darkness: 0.179, duration: 3.588, murmur250: -0.02, release250: 0.003, murmur500: 0.062, release500: 0.037, murmur750: -0.057, release750: -0.056, murmur1000: -0.068, release1000: -0.035, murmur1300: 0.019, release1300: 0.011, murmur1600: 0.14, release1600: -0.013, murmur2000: -0.002, release2000: -0.004, murmur2500: -0.045, release2500: 0.022, murmur3000: 0.025, release3000: 0.03 },
    velar: { bias: 0.436, nasalPlace: -0.03, compact: 0.014, burstCentroid: 0.231, burstHigh: 0.05, f2Before: 0.489, f2After: -0.206, f2Into: -0.083, f2OutOf: -0.604, pinchBefore: -0.621, pinchAfter: 0.401, burstCompact: -0.013, depth: 0.006, darkness: -0.132, duration: -13.5, murmur250: -0.026, release250: -0.011, murmur500: 0.024, release500: -0.04, murmur750: 0.006, release750: -0.026, murmur1000: -0.029, release1000: 0.02, murmur1300: -0.037, release1300: 0.004, murmur1600: -0.025, release1600: 0.053, murmur2000: 0.02, release2000: 0.047, murmur2500: 0.079, release2500: -0.005, murmur3000: -0.007, release3000: -0.02 },
    other: { bias: -1.883, nasalPlace: 0.007, compact: -0.013, burstCentroid: -0.4, burstHigh: 0.07, f2Before: 0.02, f2After: -0.449, f2Into: 0.162, f2OutOf: -0.384, pinchBefore: 0.574, pinchAfter: 0.167, burstCompact: 0.013, depth: -0.019, darkness: 0.986, duration: -0.901, murmur250: -0.031, release250: 0.016, murmur500: 0.012, release500: 0.029, murmur750: 0.062, release750: 0.014, murmur1000: 0.044, release1000: 0.006, murmur1300: 0.007, release1300: -0.003, murmur1600: -0.036, release1600: -0.056, murmur2000: -0.075, release2000: -0.011, murmur2500: 0.006, release2500: -0.012, murmur3000: 0.051, release3000: -0.001 },
  },
  voicedAbove: 0.75,
});

export type PlaceWeights = { readonly bias: number } & Readonly<Record<string, number>>;
export type PlaceModel = { readonly voiced: Readonly<Record<string, PlaceWeights>>; readonly silent: Readonly<Record<string, PlaceWeights>>; readonly voicedAbove: number };

export const BASE_CUES = ['nasalPlace', 'compact', 'burstCentroid', 'burstHigh', 'f2Before', 'f2After', 'f2Into', 'f2OutOf', 'pinchBefore', 'pinchAfter', 'burstCompact', 'depth', 'darkness', 'duration'] as const;
export const PLACE_CUES: readonly string[] = [...BASE_CUES, ...SPECTRUM_CUES];

/** Missing cues (no vowel within 80 ms) take a middle value: F2 mid-range, F3 a kHz above F2. */
const MISSING: Partial<Record<string, number>> = { f2Before: 0.5, f2After: 0.5, pinchBefore: 1, pinchAfter: 1 };

export function cueValue(e: ClosureEvent, cue: string): number {
  const v = (e as unknown as Record<string, number>)[cue] ?? 0;
  return Number.isNaN(v) ? MISSING[cue] ?? 0 : v;
}

/** Probability in [0, 1] that a closure event is bilabial. Missing F2 (no vowel next to it) counts as mid-range. */
export function bilabialProbability(e: ClosureEvent, m: PlaceModel = PLACE_MODEL): number {
  const classes = e.voicing >= m.voicedAbove ? m.voiced : m.silent;
  const scores = Object.entries(classes).map(([name, w]) => {
    let z = w.bias;
    for (const cue of PLACE_CUES) z += (w[cue] ?? 0) * cueValue(e, cue);
    return [name, z] as const;
  });
  const top = Math.max(...scores.map(([, z]) => z));
  let sum = 0, lips = 0;
  for (const [name, z] of scores) { const p = Math.exp(z - top); sum += p; if (name === 'bilabial') lips = p; }
  return lips / sum;
}
