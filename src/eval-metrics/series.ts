// Per-frame series measured from a rendered video (eye-region change, mouth aperture, audio
// loudness) and the events read out of them. Pure.
import { median } from './regions.js';

export interface BlinkEvent {
  readonly start: number;
  /** Last frame above the threshold (inclusive). */
  readonly end: number;
  /** Frame where the series peaks. */
  readonly peak: number;
}

export interface BlinkOptions {
  /** Smallest rise over the baseline that counts, in the series' units (levels of 255). */
  readonly minRise?: number;
  /** Rise in units of the median absolute deviation, to stay above encoder noise. */
  readonly madFactor?: number;
  /** Runs separated by at most this many frames below threshold are one blink. */
  readonly mergeGap?: number;
  /** Running-median window (frames) taken away first; 0 = none. */
  readonly detrendWindow?: number;
}

/** `values` minus their running median over `window` frames (odd, centred, clipped at the ends). */
export function detrend(values: readonly number[], window: number): number[] {
  const h = window >> 1;
  return values.map((v, i) => v - median(values.slice(Math.max(0, i - h), i + h + 1)));
}

/**
 * Blinks in an eye-region change series (difference from an open-eyed reference): runs where it
 * rises above median + max(minRise, madFactor * MAD). A lid closing over the eye changes that
 * region far more than gaze shifts or encoding noise do; a 100-150 ms blink lasts 3-4 frames
 * at 25 fps, so one frame of dip inside a run is merged rather than counted twice. Head turns and
 * gaze drift change the region slowly; a running median over 21 frames (0.84 s, over twice the
 * longest blink) is taken away first so they do not lift the series over the threshold.
 */
export function detectBlinks(series: ArrayLike<number>, opts: BlinkOptions = {}): { events: BlinkEvent[]; threshold: number } {
  const window = opts.detrendWindow ?? 21;
  const values = window > 1 ? detrend(Array.from(series), window) : Array.from(series);
  const base = median(values);
  const mad = median(values.map((v) => Math.abs(v - base)));
  const threshold = base + Math.max(opts.minRise ?? 4, (opts.madFactor ?? 6) * mad);
  const gap = opts.mergeGap ?? 1;
  const events: BlinkEvent[] = [];
  let start = -1, end = -1;
  const close = () => {
    if (start < 0) return;
    let peak = start;
    for (let i = start; i <= end; i++) if (values[i] > values[peak]) peak = i;
    events.push({ start, end, peak });
    start = -1;
  };
  values.forEach((v, i) => {
    if (v <= threshold) return;
    if (start >= 0 && i - end - 1 > gap) close();
    if (start < 0) start = i;
    end = i;
  });
  close();
  return { events, threshold };
}

export const perMinute = (count: number, frames: number, fps: number): number => (frames > 0 ? (count * 60 * fps) / frames : 0);

/** RMS of `samples` over each video frame's span of audio. */
export function rmsPerFrame(samples: Float32Array, sampleRate: number, fps: number, frameCount: number): Float32Array {
  const out = new Float32Array(frameCount);
  const hop = sampleRate / fps;
  for (let f = 0; f < frameCount; f++) {
    const a = Math.round(f * hop), b = Math.min(samples.length, Math.round((f + 1) * hop));
    let s = 0;
    for (let i = a; i < b; i++) s += samples[i] * samples[i];
    out[f] = b > a ? Math.sqrt(s / (b - a)) : 0;
  }
  return out;
}

/**
 * Frames with speech: loudness within `rangeDb` of the clip's 95th-percentile frame. Relative,
 * so quiet and loud recordings read alike; 26 dB keeps soft consonants and drops room noise.
 */
export function speechMask(rms: ArrayLike<number>, rangeDb = 26): boolean[] {
  const sorted = Array.from(rms).sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
  const floor = p95 * 10 ** (-rangeDb / 20);
  return Array.from(rms, (v) => p95 > 0 && v >= floor);
}

/** Index of the largest (or with `smallest`, the smallest) value among frames `mask` allows; -1 when none. */
export function argExtreme(values: ArrayLike<number>, mask?: readonly boolean[], smallest = false): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    if (mask && !mask[i]) continue;
    if (best < 0 || (smallest ? values[i] < values[best] : values[i] > values[best])) best = i;
  }
  return best;
}

export function range(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < values.length; i++) { min = Math.min(min, values[i]); max = Math.max(max, values[i]); }
  return values.length ? { min, max } : { min: 0, max: 0 };
}

/** `count` frame indices spread evenly over [0, frames - 1], ends included. */
export function evenlySpaced(frames: number, count: number): number[] {
  if (frames <= 0 || count <= 0) return [];
  if (count === 1 || frames === 1) return [0];
  const n = Math.min(count, frames);
  return Array.from({ length: n }, (_, i) => Math.round((i * (frames - 1)) / (n - 1)));
}

/** Pearson correlation of two equally long series; 0 when either is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  if (n < 2) return 0;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i] / n; mb += b[i] / n; }
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma, db = b[i] - mb;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}
