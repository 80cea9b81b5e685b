// Small signal-processing building blocks for the speech features. Pure.
import { nativeAddon } from '../../core/native-addon.js';

/**
 * Resamples with a windowed-sinc low-pass (Blackman, 3 zero crossings each side at 95 % of the
 * lower Nyquist rate) from a table of 64 fractional phases. Quality is plenty for
 * feature extraction; exactness to a few 1e-3 is not needed.
 */
export function resample(x: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return x;
  const ratio = from / to;
  const n = Math.floor(x.length / ratio);
  const out = new Float32Array(n);
  const cutoff = Math.min(1, 1 / ratio) * 0.95;
  const half = Math.ceil(3 / cutoff);
  const phases = 64;
  const taps = 2 * half;
  const table = new Float32Array(phases * taps);
  for (let p = 0; p < phases; p++) {
    const frac = p / phases;
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      const d = k - half + 1 - frac;
      const w = 0.42 + 0.5 * Math.cos((Math.PI * d) / half) + 0.08 * Math.cos((2 * Math.PI * d) / half);
      const s = d === 0 ? 1 : Math.sin(Math.PI * cutoff * d) / (Math.PI * cutoff * d);
      const v = Math.abs(d) >= half ? 0 : s * w;
      table[p * taps + k] = v;
      sum += v;
    }
    for (let k = 0; k < taps; k++) table[p * taps + k] /= sum;
  }
  for (let i = 0; i < n; i++) {
    const pos = i * ratio;
    const base = Math.floor(pos);
    const p = Math.min(phases - 1, Math.round((pos - base) * phases));
    const row = p * taps;
    const start = base - half + 1;
    let acc = 0;
    if (start >= 0 && start + taps <= x.length) {
      for (let k = 0; k < taps; k++) acc += x[start + k] * table[row + k];
    } else {
      for (let k = 0; k < taps; k++) { const j = start + k; if (j >= 0 && j < x.length) acc += x[j] * table[row + k]; }
    }
    out[i] = acc;
  }
  return out;
}

/** Second-order section coefficients (RBJ audio EQ cookbook), normalised so a0 = 1. */
export interface Biquad { b0: number; b1: number; b2: number; a1: number; a2: number }

export function butterworth(kind: 'low' | 'high', cutoffHz: number, sampleRate: number): Biquad {
  const w = (2 * Math.PI * cutoffHz) / sampleRate;
  const alpha = Math.sin(w) / Math.SQRT2;
  const c = Math.cos(w);
  const a0 = 1 + alpha;
  const b1 = kind === 'low' ? 1 - c : -(1 + c);
  const b0 = kind === 'low' ? (1 - c) / 2 : (1 + c) / 2;
  return { b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: (-2 * c) / a0, a2: (1 - alpha) / a0 };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** A section that passes the signal through (rounded to single precision, which a filtered sample already is). */
const PASS: Biquad = Object.freeze({ b0: 1, b1: 0, b2: 0, a1: 0, a2: 0 });

/** Where sample i's filtered power is summed: segment (i + half) / g, g tiling every window (see filteredFramePower). */
function segmentsFor(length: number, hopN: number, winN: number): { half: number; g: number; segs: number } {
  const half = winN >> 1;
  const g = gcd(gcd(hopN, winN), half) || 1;
  return { half, g, segs: Math.ceil((length + half) / g) + 1 };
}

/**
 * Mean power of `x` filtered by `f` (one section or a cascade) over `count` windows of `winN`
 * samples centred every `hopN` samples (samples outside `x` count as silence), without holding
 * the filtered signal: it is summed into short segments that tile every window, so three
 * minutes of audio need a fraction of a megabyte instead of a second full-length copy.
 */
export function filteredFramePower(x: Float32Array, f: Biquad | readonly Biquad[], count: number, hopN: number, winN: number): Float32Array {
  const stages = Array.isArray(f) ? (f as readonly Biquad[]) : [f as Biquad];
  const { half, g, segs } = segmentsFor(x.length, hopN, winN);
  const seg = new Float64Array(segs);
  // Up to four stages with their state in locals (an array of states per sample is several
  // times slower); missing stages pass the signal through.
  if (stages.length > 4) throw new Error('filteredFramePower: at most four sections');
  if (stages.length === 1) {
    const { b0, b1, b2, a1, a2 } = stages[0];
    let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (let i = 0; i < x.length; i++) {
      const v = Math.fround(b0 * x[i] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2);
      x2 = x1; x1 = x[i]; y2 = y1; y1 = v;
      seg[((i + half) / g) | 0] += v * v;
    }
    return framesFrom(seg, segs, count, hopN / g, winN / g, winN);
  }
  const [p, q, r, t] = [0, 1, 2, 3].map((k) => stages[k] ?? PASS);
  let px1 = 0, px2 = 0, py1 = 0, py2 = 0, qx1 = 0, qx2 = 0, qy1 = 0, qy2 = 0;
  let rx1 = 0, rx2 = 0, ry1 = 0, ry2 = 0, tx1 = 0, tx2 = 0, ty1 = 0, ty2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v0 = x[i];
    // Rounded to single precision after each stage, as a Float32Array between stages would.
    const v1 = Math.fround(p.b0 * v0 + p.b1 * px1 + p.b2 * px2 - p.a1 * py1 - p.a2 * py2);
    px2 = px1; px1 = v0; py2 = py1; py1 = v1;
    const v2 = Math.fround(q.b0 * v1 + q.b1 * qx1 + q.b2 * qx2 - q.a1 * qy1 - q.a2 * qy2);
    qx2 = qx1; qx1 = v1; qy2 = qy1; qy1 = v2;
    const v3 = Math.fround(r.b0 * v2 + r.b1 * rx1 + r.b2 * rx2 - r.a1 * ry1 - r.a2 * ry2);
    rx2 = rx1; rx1 = v2; ry2 = ry1; ry1 = v3;
    const v4 = Math.fround(t.b0 * v3 + t.b1 * tx1 + t.b2 * tx2 - t.a1 * ty1 - t.a2 * ty2);
    tx2 = tx1; tx1 = v3; ty2 = ty1; ty1 = v4;
    seg[((i + half) / g) | 0] += v4 * v4;
  }
  return framesFrom(seg, segs, count, hopN / g, winN / g, winN);
}

interface DspAddon {
  /** render_addon.cc FramePowers: four cascades' segment sums at once; false where the CPU cannot. */
  framePowers(x: Float32Array, coeffs: Float64Array, half: number, g: number, segs: number, out: Float64Array): boolean;
}

/**
 * filteredFramePower for several filters over the same signal, the same numbers: four at a time
 * in the native addon where it is built, one by one otherwise. Each filter's recurrence waits on
 * its own latency, so four side by side cost what one does there: twelve band-pass filters over
 * 180 s at 8 kHz take about 50 ms instead of 310 ms.
 */
export function filteredFramePowers(x: Float32Array, filters: readonly (Biquad | readonly Biquad[])[], count: number, hopN: number, winN: number): Float32Array[] {
  const addon = nativeAddon<DspAddon>();
  const out: Float32Array[] = [];
  const { half, g, segs } = segmentsFor(x.length, hopN, winN);
  for (let start = 0; start < filters.length; start += 4) {
    const group = filters.slice(start, start + 4).map((f) => (Array.isArray(f) ? (f as readonly Biquad[]) : [f as Biquad]));
    if (group.some((stages) => stages.length > 4)) throw new Error('filteredFramePowers: at most four sections');
    // [section][b0, b1, b2, a1, a2][lane]; lanes without a filter pass.
    const coeffs = new Float64Array(80);
    for (let s = 0; s < 4; s++) {
      for (let lane = 0; lane < 4; lane++) {
        const b = group[lane]?.[s] ?? PASS;
        [b.b0, b.b1, b.b2, b.a1, b.a2].forEach((v, k) => { coeffs[20 * s + 4 * k + lane] = v; });
      }
    }
    const sums = new Float64Array(4 * segs);
    if (addon?.framePowers(x, coeffs, half, g, segs, sums)) {
      group.forEach((_, lane) => {
        const seg = new Float64Array(segs);
        for (let k = 0; k < segs; k++) seg[k] = sums[4 * k + lane];
        out.push(framesFrom(seg, segs, count, hopN / g, winN / g, winN));
      });
    } else {
      for (const f of group) out.push(filteredFramePower(x, f, count, hopN, winN));
    }
  }
  return out;
}

function framesFrom(seg: Float64Array, segs: number, count: number, step: number, per: number, winN: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let sum = 0;
    for (let k = i * step, end = Math.min(segs, i * step + per); k < end; k++) sum += seg[k];
    out[i] = sum / winN;
  }
  return out;
}

/** A 4th-order band-pass: two high-pass and two low-pass Butterworth sections (24 dB/octave skirts). */
export function bandPass(loHz: number, hiHz: number, sampleRate: number): Biquad[] {
  const hp = butterworth('high', loHz, sampleRate), lp = butterworth('low', hiHz, sampleRate);
  return [hp, hp, lp, lp];
}

export function filter(x: Float32Array, f: Biquad): Float32Array {
  const y = new Float32Array(x.length);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = f.b0 * x[i] + f.b1 * x1 + f.b2 * x2 - f.a1 * y1 - f.a2 * y2;
    x2 = x1; x1 = x[i]; y2 = y1; y1 = v; y[i] = v;
  }
  return y;
}

/** Autocorrelation r[0..order] of x[start, start+len) times a Hann window. */
export function windowedAutocorrelation(x: Float32Array, start: number, len: number, order: number, win: Float32Array, out: Float64Array, buf: Float64Array): void {
  for (let i = 0; i < len; i++) { const j = start + i; buf[i] = j >= 0 && j < x.length ? x[j] * win[i] : 0; }
  for (let k = 0; k <= order; k++) {
    let s = 0;
    for (let i = k; i < len; i++) s += buf[i] * buf[i - k];
    out[k] = s;
  }
}

/**
 * Levinson-Durbin: LPC coefficients a[1..order] (a[0] = 1) of the all-pole model from the
 * autocorrelation r; returns the prediction error power. (Makhoul 1975, "Linear prediction".)
 */
export function levinson(r: Float64Array, order: number, a: Float64Array): number {
  a.fill(0); a[0] = 1;
  let err = r[0] * (1 + 1e-9) + 1e-12;
  const tmp = new Float64Array(order + 1);
  for (let i = 1; i <= order; i++) {
    let acc = r[i];
    for (let j = 1; j < i; j++) acc += a[j] * r[i - j];
    const k = -acc / err;
    tmp.set(a);
    for (let j = 1; j < i; j++) a[j] = tmp[j] + k * tmp[i - j];
    a[i] = k;
    err *= 1 - k * k;
    if (err <= 0) break;
  }
  return err;
}

export const hann = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n));

/**
 * Keeps every `factor`-th sample after a 4th-order Butterworth low-pass at 80 % of the new
 * Nyquist rate (and after `pre`, an extra filter, when given): cheaper than `resample` and
 * clean enough for pitch and formant analysis. The filters run as one stream, so no full-rate
 * copy of the signal is made.
 */
export function decimate(x: Float32Array, factor: number, sampleRate: number, pre?: Biquad): Float32Array {
  const lp = butterworth('low', (0.8 * sampleRate) / factor / 2, sampleRate);
  const stages = pre ? [pre, lp, lp] : [lp, lp];
  const state = stages.map(() => ({ x1: 0, x2: 0, y1: 0, y2: 0 }));
  const out = new Float32Array(Math.floor(x.length / factor));
  for (let i = 0; i < x.length; i++) {
    let v = x[i];
    for (let k = 0; k < stages.length; k++) {
      const f = stages[k], st = state[k];
      // Rounded to single precision after each stage, as a Float32Array between stages would.
      const y = Math.fround(f.b0 * v + f.b1 * st.x1 + f.b2 * st.x2 - f.a1 * st.y1 - f.a2 * st.y2);
      st.x2 = st.x1; st.x1 = v; st.y2 = st.y1; st.y1 = y;
      v = y;
    }
    if (i % factor === 0 && i / factor < out.length) out[i / factor] = v;
  }
  return out;
}
