// Short-time loudness of speech, the first audio feature the mouth follows. Pure.
import type { RawAudio } from '../../core/types.js';

export interface LoudnessEnvelope {
  /** Seconds between values. */
  readonly hop: number;
  /** RMS level of each window in dBFS (floored at -100). */
  readonly db: Float32Array;
}

/** RMS level in dBFS over `window`-second windows every `hop` seconds (10 ms / 25 ms by default). */
export function loudnessEnvelope(audio: RawAudio, hop = 0.01, window = 0.025): LoudnessEnvelope {
  const hopN = Math.max(1, Math.round(hop * audio.sampleRate));
  const winN = Math.max(hopN, Math.round(window * audio.sampleRate));
  const n = Math.ceil(audio.samples.length / hopN);
  const db = new Float32Array(n);
  const s = audio.samples;
  for (let i = 0; i < n; i++) {
    // Windows are centred on their hop so value i describes time i * hop.
    const start = Math.max(0, i * hopN - (winN >> 1));
    const end = Math.min(s.length, start + winN);
    let sum = 0;
    for (let j = start; j < end; j++) sum += s[j] * s[j];
    const rms = end > start ? Math.sqrt(sum / (end - start)) : 0;
    db[i] = rms > 1e-5 ? 20 * Math.log10(rms) : -100;
  }
  return { hop: hopN / audio.sampleRate, db };
}

/** The q-quantile (0..1) of the values (digital silence counts: it is the true floor). */
export function quantile(values: Float32Array, q: number): number {
  if (values.length === 0) return -100;
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))];
}
