// Short-time speech features every 10 ms, the acoustic evidence the articulation model reads:
// level, band levels, spectral centroid, zero-crossing rate, voicing and F0, and the first two
// formants. Everything works from the acoustics alone, so it is language-independent. Pure.
//
// Rates are chosen for speed (3 minutes must take well under a second): level and spectral
// shape at 16 kHz, formants by LPC at 8 kHz (order 10: two poles per kHz plus two, Markel &
// Gray 1976), F0 by normalised cross-correlation at 4 kHz (the YIN/RAPT family; Talkin 1995).
import type { RawAudio } from '../../core/types.js';
import { bandPass, butterworth, decimate, filteredFramePowers, hann, levinson, resample, windowedAutocorrelation } from './dsp.js';

export interface SpeechFeatures {
  /** Seconds between values; value i describes the window centred at i * hop. */
  readonly hop: number;
  readonly count: number;
  /** RMS level, dBFS, floored at -100. */
  readonly db: Float32Array;
  /** Level below 1 kHz and above 3 kHz, dBFS. */
  readonly lowDb: Float32Array;
  readonly highDb: Float32Array;
  /** Spectral centroid estimate in Hz (from the ratio of derivative to signal energy). */
  readonly centroid: Float32Array;
  /** Zero crossings per second. */
  readonly zcr: Float32Array;
  /** Periodicity in [0, 1]: peak normalised autocorrelation in the 50-400 Hz pitch range. */
  readonly voicing: Float32Array;
  /** Fundamental frequency in Hz where voiced (voicing >= VOICED), else 0. */
  readonly f0: Float32Array;
  /** First two formants in Hz from the LPC envelope; 0 where the frame is too quiet. */
  readonly f1: Float32Array;
  readonly f2: Float32Array;
  /** Third formant, Hz, 0 where not found: F2 and F3 meet next to a velar ("velar pinch"). */
  readonly f3: Float32Array;
  /**
   * Levels in three bands between 500 Hz and 3 kHz, dBFS: the murmur of /m/ has its
   * antiresonance near 1 kHz, /n/ near 1.5-2 kHz (Fujimura 1962), and a velar burst is compact
   * in the 1.6-3 kHz band (Stevens & Blumstein 1978). See `BANDS_HZ`.
   */
  readonly bandDb: readonly [Float32Array, Float32Array, Float32Array];
  /**
   * Level above 1 kHz, dBFS: where a voice's formants and consonants are, above a bass, kick
   * and pads. Lets the analyzer follow a voice over a loud low-frequency bed.
   */
  readonly upperDb: Float32Array;
  /**
   * Levels in the narrower bands of `PLACE_BANDS_HZ`, dBFS: the spectral shape of a nasal murmur
   * (where its antiresonance lies) and of a stop's release (diffuse-falling for the lips, rising
   * for the tongue tip, compact for the tongue back; Stevens & Blumstein 1978), read at closures
   * only. Absent from hand-made features (tests); the place cues then take neutral values.
   */
  readonly placeDb?: readonly Float32Array[];
}

/** Edges of `SpeechFeatures.bandDb`, Hz. */
export const BANDS_HZ = Object.freeze([[500, 1000], [1000, 1600], [1600, 3000]] as const);

/** Edges of `SpeechFeatures.placeDb`, Hz: about a third of an octave each between 250 Hz and 3.8 kHz. */
export const PLACE_BANDS_HZ = Object.freeze([[250, 500], [500, 750], [750, 1000], [1000, 1300], [1300, 1600], [1600, 2000], [2000, 2500], [2500, 3000], [3000, 3800]] as const);

export const FEATURES = Object.freeze({
  hop: 0.01,
  window: 0.025,
  rate: 16000,
  lpcOrder: 10,
  /** Voicing above this counts as voiced. */
  voiced: 0.55,
  minF0: 60,
  maxF0: 400,
});

/** A power as dB, -100 for silence. */
export const toDb = (power: number): number => (power > 1e-10 ? 10 * Math.log10(power) : -100);

/** Mean power of x over [start, start+len), zero outside. */
function framePower(x: Float32Array, start: number, len: number): number {
  let s = 0;
  const a = Math.max(0, start), b = Math.min(x.length, start + len);
  for (let i = a; i < b; i++) s += x[i] * x[i];
  return s / len;
}

export function speechFeatures(audio: RawAudio): SpeechFeatures {
  const x = resample(audio.samples, audio.sampleRate, FEATURES.rate);
  const sr = FEATURES.rate;
  const hopN = Math.round(FEATURES.hop * sr);
  const winN = Math.round(FEATURES.window * sr);
  const count = Math.max(1, Math.ceil(audio.samples.length / audio.sampleRate / FEATURES.hop));
  const [lowPower, highPower] = filteredFramePowers(x, [butterworth('low', 1000, sr), butterworth('high', 3000, sr)], count, hopN, winN);
  const db = new Float32Array(count), lowDb = new Float32Array(count), highDb = new Float32Array(count);
  const centroid = new Float32Array(count), zcr = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const start = i * hopN - (winN >> 1);
    const p = framePower(x, start, winN);
    db[i] = toDb(p);
    lowDb[i] = toDb(lowPower[i]);
    highDb[i] = toDb(highPower[i]);
    let d = 0, crossings = 0;
    const a = Math.max(1, start), b = Math.min(x.length, start + winN);
    for (let j = a; j < b; j++) {
      const diff = x[j] - x[j - 1];
      d += diff * diff;
      if ((x[j] >= 0) !== (x[j - 1] >= 0)) crossings++;
    }
    // Parseval: the derivative's energy weights each frequency by (2 pi f)^2, so the ratio gives
    // the RMS frequency of the spectrum, a cheap centroid.
    centroid[i] = p > 1e-10 ? Math.min(sr / 2, (Math.sqrt(d / winN / p) * sr) / (2 * Math.PI)) : 0;
    zcr[i] = b > a ? (crossings * sr) / (b - a) : 0;
  }
  // Formants and the bands below 3 kHz are read at 8 kHz, half the work.
  const x8 = decimate(x, 2, sr);
  // The bands' and the place bands' filters in one go (four at a time where the addon is built).
  const bands = filteredFramePowers(x8, [...BANDS_HZ, ...PLACE_BANDS_HZ].map(([lo, hi]) => bandPass(lo, hi, sr / 2)), count, hopN / 2, winN / 2)
    .map((power) => Float32Array.from(power, toDb));
  const bandDb = bands.slice(0, BANDS_HZ.length) as unknown as SpeechFeatures['bandDb'];
  const upperDb = Float32Array.from(highDb, (h, i) => toDb(10 ** (h / 10) + 10 ** (bandDb[1][i] / 10) + 10 ** (bandDb[2][i] / 10)));
  const placeDb = bands.slice(BANDS_HZ.length);
  const { f1, f2, f3 } = formants(x8, count, hopN / 2, db);
  const { voicing, f0 } = pitch(x, sr, count, hopN);
  return { hop: FEATURES.hop, count, db, lowDb, highDb, centroid, zcr, voicing, f0, f1, f2, f3, bandDb, upperDb, placeDb };
}

const ENVELOPE_STEP_HZ = 50;
/** F1 to F3 of speech lie below this (F3 of most voices; where it is higher it is not found). */
const ENVELOPE_MAX_HZ = 3500;

/** F1, F2 and F3 as the first three peaks of the LPC spectral envelope (at 8 kHz, pre-emphasised). */
function formants(x8: Float32Array, count: number, hop: number, db: Float32Array): { f1: Float32Array; f2: Float32Array; f3: Float32Array } {
  const sr = 8000;
  const y = Float32Array.from(x8);
  for (let i = y.length - 1; i > 0; i--) y[i] -= 0.9 * y[i - 1];
  const len = Math.round(FEATURES.window * sr);
  const order = FEATURES.lpcOrder;
  const win = hann(len);
  const r = new Float64Array(order + 1), a = new Float64Array(order + 1), buf = new Float64Array(len);
  const bins = Math.floor(ENVELOPE_MAX_HZ / ENVELOPE_STEP_HZ);
  const cos = new Float64Array(bins * (order + 1)), sin = new Float64Array(bins * (order + 1));
  for (let b = 0; b < bins; b++) {
    for (let k = 0; k <= order; k++) {
      const w = (2 * Math.PI * b * ENVELOPE_STEP_HZ * k) / sr;
      cos[b * (order + 1) + k] = Math.cos(w); sin[b * (order + 1) + k] = Math.sin(w);
    }
  }
  const env = new Float64Array(bins);
  const f1 = new Float32Array(count), f2 = new Float32Array(count), f3 = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    if (db[i] < -70) continue;
    windowedAutocorrelation(y, i * hop - (len >> 1), len, order, win, r, buf);
    if (r[0] <= 0) continue;
    levinson(r, order, a);
    for (let b = 0, row = 0; b < bins; b++, row += order + 1) {
      let re = 0, im = 0;
      for (let k = 0; k <= order; k++) { re += a[k] * cos[row + k]; im -= a[k] * sin[row + k]; }
      env[b] = -Math.log(re * re + im * im + 1e-12);
    }
    const peaks: number[] = [];
    for (let b = 1; b + 1 < bins && peaks.length < 3; b++) {
      if (env[b] > env[b - 1] && env[b] >= env[b + 1] && b * ENVELOPE_STEP_HZ > 150) {
        // Parabolic interpolation between envelope bins.
        const den = env[b - 1] - 2 * env[b] + env[b + 1];
        const off = den < 0 ? (0.5 * (env[b - 1] - env[b + 1])) / den : 0;
        peaks.push((b + off) * ENVELOPE_STEP_HZ);
      }
    }
    if (peaks.length > 0) f1[i] = peaks[0];
    if (peaks.length > 1) f2[i] = peaks[1];
    if (peaks.length > 2) f3[i] = peaks[2];
  }
  return { f1, f2, f3 };
}

/** Voicing and F0 by normalised cross-correlation at 4 kHz over a 25 ms window. */
function pitch(x16: Float32Array, sr16: number, count: number, hop16: number): { voicing: Float32Array; f0: Float32Array } {
  const sr = 4000;
  const y = decimate(x16, 4, sr16, butterworth('low', 900, sr16));
  const hop = hop16 / 4;
  const len = Math.round(0.025 * sr);
  const minLag = Math.floor(sr / FEATURES.maxF0), maxLag = Math.ceil(sr / FEATURES.minF0);
  const voicing = new Float32Array(count), f0 = new Float32Array(count);
  const nccf = new Float64Array(maxLag + 2);
  // F0 and voicing change slowly next to the 10 ms hop; every other hop is analysed and the
  // ones between are filled in below, halving the cost of the most expensive feature.
  for (let i = 0; i < count; i += 2) {
    const start = i * hop - (len >> 1);
    if (start < 0 || start + len + maxLag + 1 > y.length) continue;
    let e0 = 0;
    for (let j = 0; j < len; j++) e0 += y[start + j] * y[start + j];
    if (e0 < 1e-9) continue;
    // Energy of the lagged window, slid along instead of recomputed.
    let eLag = 0;
    for (let j = 0; j < len; j++) eLag += y[start + minLag - 1 + j] ** 2;
    let best = 0, bestLag = 0;
    for (let lag = minLag - 1; lag <= maxLag + 1; lag++) {
      if (lag > minLag - 1) eLag += y[start + lag + len - 1] ** 2 - y[start + lag - 1] ** 2;
      let c = 0;
      for (let j = 0; j < len; j++) c += y[start + j] * y[start + j + lag];
      nccf[lag] = c / Math.sqrt(e0 * eLag + 1e-12);
    }
    for (let lag = minLag; lag <= maxLag; lag++) if (nccf[lag] > best) { best = nccf[lag]; bestLag = lag; }
    // Prefer the shortest lag nearly as good as the best: the period, not a multiple of it.
    for (let lag = minLag; lag < bestLag; lag++) {
      if (nccf[lag] > 0.9 * best && nccf[lag] >= nccf[lag - 1] && nccf[lag] >= nccf[lag + 1]) { bestLag = lag; break; }
    }
    voicing[i] = Math.max(0, best);
    if (best >= FEATURES.voiced && bestLag > 0) {
      const den = nccf[bestLag - 1] - 2 * nccf[bestLag] + nccf[bestLag + 1];
      const off = den < 0 ? (0.5 * (nccf[bestLag - 1] - nccf[bestLag + 1])) / den : 0;
      f0[i] = sr / (bestLag + off);
    }
  }
  for (let i = 1; i < count; i += 2) {
    const next = i + 1 < count ? i + 1 : i - 1;
    voicing[i] = 0.5 * (voicing[i - 1] + voicing[next]);
    // No interpolation across a voicing edge: an F0 halfway to zero is not a pitch.
    f0[i] = f0[i - 1] > 0 && f0[next] > 0 ? 0.5 * (f0[i - 1] + f0[next]) : 0;
  }
  return { voicing, f0 };
}
