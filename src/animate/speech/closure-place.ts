// Where a lip or tongue closure was made, from the cues of one stretch of closure evidence: the
// place model (softmax over the lips, the tongue tip, the tongue back and other) and the cues it
// reads. Pure; acoustic.ts finds the stretches (closureEvents) and shows the lips' ones.
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
 * often labelled partly on the sound before), else by the phoneme it overlaps most.
 * Weights fitted by eval/closure-fit.ts on the English, Spanish and Japanese half of
 * eval:lipsync's corpus only; the Mandarin and German half is held out.
 */
export const PLACE_MODEL = Object.freeze({
  // 353 events: 187 bilabial, 100 alveolar, 4 velar, 62 other
  voiced: {
    bilabial: { bias: 1.06, nasalPlace: 0.088, compact: 0.023, burstCentroid: -0.559, burstHigh: -0.054, f2Before: 0.226, f2After: 0.332, f2Into: -0.202, f2OutOf: 0.351, pinchBefore: -0.385, pinchAfter: -0.049, burstCompact: -0.004, depth: 0.016, darkness: -0.412, duration: 16.524, murmur250: 0.11, release250: -0.029, murmur500: -0.137, release500: 0.003, murmur750: 0.009, release750: 0.05, murmur1000: 0.123, release1000: 0.008, murmur1300: 0.04, release1300: -0.022, murmur1600: -0.052, release1600: 0.055, murmur2000: -0.084, release2000: 0.01, murmur2500: 0.006, release2500: -0.008, murmur3000: -0.058, release3000: -0.024 },
    alveolar: { bias: 2.764, nasalPlace: -0.058, compact: -0.017, burstCentroid: 0.581, burstHigh: 0.023, f2Before: -0.31, f2After: 0.486, f2Into: -0.324, f2OutOf: 0.172, pinchBefore: -0.211, pinchAfter: -0.291, burstCompact: -0.011, depth: -0.028, darkness: -0.341, duration: -12.322, murmur250: -0.046, release250: -0.027, murmur500: 0.056, release500: 0.035, murmur750: -0.023, release750: 0, murmur1000: -0.111, release1000: -0.027, murmur1300: -0.003, release1300: 0.008, murmur1600: 0.154, release1600: 0.018, murmur2000: 0.041, release2000: -0.01, murmur2500: -0.01, release2500: 0.026, murmur3000: 0.007, release3000: 0.001 },
    velar: { bias: -0.911, nasalPlace: -0.022, compact: 0.003, burstCentroid: 0.307, burstHigh: -0.003, f2Before: 0.436, f2After: 0.038, f2Into: 0.286, f2OutOf: 0.011, pinchBefore: -0.401, pinchAfter: -0.675, burstCompact: 0.014, depth: 0.02, darkness: -0.065, duration: 2.597, murmur250: -0.029, release250: -0.011, murmur500: 0.014, release500: -0.009, murmur750: 0.003, release750: -0.006, murmur1000: -0.022, release1000: 0.009, murmur1300: -0.043, release1300: 0.018, murmur1600: -0.015, release1600: 0.018, murmur2000: 0.034, release2000: 0.003, murmur2500: 0.036, release2500: -0.007, murmur3000: 0.023, release3000: 0.006 },
    other: { bias: -2.913, nasalPlace: -0.008, compact: -0.01, burstCentroid: -0.33, burstHigh: 0.034, f2Before: -0.352, f2After: -0.857, f2Into: 0.24, f2OutOf: -0.534, pinchBefore: 0.998, pinchAfter: 1.015, burstCompact: 0.001, depth: -0.008, darkness: 0.818, duration: -6.799, murmur250: -0.035, release250: 0.066, murmur500: 0.067, release500: -0.029, murmur750: 0.012, release750: -0.044, murmur1000: 0.01, release1000: 0.01, murmur1300: 0.006, release1300: -0.004, murmur1600: -0.087, release1600: -0.091, murmur2000: 0.01, release2000: -0.003, murmur2500: -0.032, release2500: -0.011, murmur3000: 0.028, release3000: 0.016 },
  },
  // 370 events: 199 bilabial, 64 alveolar, 74 velar, 33 other
  silent: {
    bilabial: { bias: 3.357, nasalPlace: 0.047, compact: 0.024, burstCentroid: -1.175, burstHigh: -0.002, f2Before: -0.359, f2After: 0.111, f2Into: -0.821, f2OutOf: 0.282, pinchBefore: -0.395, pinchAfter: -0.532, burstCompact: 0.024, depth: 0.014, darkness: -0.25, duration: 16.488, murmur250: 0.09, release250: 0.001, murmur500: -0.107, release500: -0.048, murmur750: 0.05, release750: 0.037, murmur1000: 0.028, release1000: -0.011, murmur1300: -0.079, release1300: -0.044, murmur1600: -0.047, release1600: 0.074, murmur2000: 0.016, release2000: -0.01, murmur2500: -0.055, release2500: 0.01, murmur3000: -0.057, release3000: 0 },
    alveolar: { bias: -1.237, nasalPlace: -0.048, compact: -0.03, burstCentroid: 0.872, burstHigh: 0.047, f2Before: 0.105, f2After: 0.33, f2Into: -0.178, f2OutOf: 0.072, pinchBefore: -0.029, pinchAfter: -0.187, burstCompact: -0.004, depth: -0.007, darkness: -0.118, duration: -9.55, murmur250: -0.012, release250: 0, murmur500: 0.054, release500: 0.046, murmur750: 0.012, release750: 0.009, murmur1000: -0.082, release1000: -0.014, murmur1300: 0.097, release1300: 0.01, murmur1600: 0.095, release1600: -0.042, murmur2000: -0.068, release2000: -0.035, murmur2500: -0.045, release2500: -0.013, murmur3000: 0.064, release3000: 0.018 },
    velar: { bias: -0.497, nasalPlace: -0.001, compact: 0.022, burstCentroid: 0.048, burstHigh: -0.021, f2Before: 0.899, f2After: -0.452, f2Into: 0.076, f2OutOf: -0.425, pinchBefore: -0.24, pinchAfter: 0.28, burstCompact: -0.011, depth: 0.013, darkness: 0.026, duration: 8.492, murmur250: -0.049, release250: -0.032, murmur500: 0.029, release500: 0.003, murmur750: -0.111, release750: -0.042, murmur1000: -0.013, release1000: 0.03, murmur1300: -0.028, release1300: 0.059, murmur1600: 0.093, release1600: 0.024, murmur2000: 0.123, release2000: 0.026, murmur2500: 0.057, release2500: -0.005, murmur3000: -0.064, release3000: 0.003 },
    other: { bias: -1.623, nasalPlace: 0.002, compact: -0.017, burstCentroid: 0.254, burstHigh: -0.025, f2Before: -0.644, f2After: 0.012, f2Into: 0.923, f2OutOf: 0.07, pinchBefore: 0.664, pinchAfter: 0.439, burstCompact: -0.01, depth: -0.02, darkness: 0.342, duration: -15.43, murmur250: -0.029, release250: 0.031, murmur500: 0.024, release500: -0.001, murmur750: 0.05, release750: -0.003, murmur1000: 0.067, release1000: -0.006, murmur1300: 0.01, release1300: -0.024, murmur1600: -0.141, release1600: -0.056, murmur2000: -0.071, release2000: 0.019, murmur2500: 0.043, release2500: 0.008, murmur3000: 0.057, release3000: -0.021 },
  },
  /** Voicing above this uses the murmur model. */
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
