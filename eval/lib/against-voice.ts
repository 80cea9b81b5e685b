// The mouth judged against a voice whose clean recording is known: voice activity and loudness
// come from the clip without the music, the tracks from what was heard. Shared by eval:lipsync
// and the over-music test.
import type { RawAudio } from '../../src/core/types.js';
import { loudnessEnvelope, quantile } from '../../src/analyze/audio/index.js';
import { tracksFromAudio } from '../../src/animate/speech/index.js';

/** Voice activity from the loudness alone, independent of the analyzer: 12 dB over the floor, 150 ms hangover. */
export function voiceActivity(audio: RawAudio, fps: number, frames: number): Uint8Array {
  const env = loudnessEnvelope(audio);
  const thr = Math.max(quantile(env.db, 0.1), quantile(env.db, 0.98) - 45) + 12;
  const out = new Uint8Array(frames);
  for (let f = 0; f < frames; f++) {
    const t = f / fps;
    for (let i = Math.max(0, Math.round((t - 0.15) / env.hop)); i <= Math.min(env.db.length - 1, Math.round((t + 0.15) / env.hop)); i++) {
      if (env.db[i] > thr) { out[f] = 1; break; }
    }
  }
  return out;
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const x = a[i] - ma, y = b[i] - mb; sab += x * y; saa += x * x; sbb += y * y; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

export interface AgainstVoice {
  readonly frames: number;
  /** Shares of the frames where the clean voice sounds with the lips shut (press >= 0.5) / the mouth open (jaw*(1-press) > 0.1). */
  readonly shutWhileVoice: number;
  readonly openWhileVoice: number;
  /** Share of the frames without voice where the mouth is not open. */
  readonly closedWithoutVoice: number;
  /** Share of all frames where "open" agrees with the voice activity. */
  readonly agreement: number;
  /** Pearson r of the opening against the clean voice's loudness (0..1 between its 20th and 98th percentile). */
  readonly loudnessR: number;
}

/** `fromFrame`: judge only the frames from there on (the tracks are still computed from the whole clip). */
export function againstVoice(clean: RawAudio, heard: RawAudio, fps: number, fromFrame = 0): AgainstVoice {
  const frames = Math.ceil((clean.samples.length / clean.sampleRate) * fps);
  const pred = tracksFromAudio(heard, fps, frames);
  const vad = voiceActivity(clean, fps, frames);
  const env = loudnessEnvelope(clean);
  const lo = quantile(env.db, 0.2), hi = quantile(env.db, 0.98);
  const loud = Float32Array.from({ length: frames }, (_, f) => Math.min(1, Math.max(0, (env.db[Math.min(env.db.length - 1, Math.round(f / fps / env.hop))] - lo) / (hi - lo))));
  const opening = Float32Array.from({ length: frames }, (_, f) => pred.jaw[f] * (1 - pred.lipPress[f]));
  let voiced = 0, shut = 0, open = 0, agree = 0, silent = 0, silentClosed = 0;
  for (let f = fromFrame; f < frames; f++) {
    const isOpen = opening[f] > 0.1;
    if (isOpen === (vad[f] === 1)) agree++;
    if (vad[f]) { voiced++; if (pred.lipPress[f] >= 0.5) shut++; if (isOpen) open++; }
    else { silent++; if (!isOpen) silentClosed++; }
  }
  return {
    frames: frames - fromFrame, shutWhileVoice: shut / Math.max(1, voiced), openWhileVoice: open / Math.max(1, voiced),
    closedWithoutVoice: silent ? silentClosed / silent : 1, agreement: agree / Math.max(1, frames - fromFrame), loudnessR: pearson(opening.subarray(fromFrame), loud.subarray(fromFrame)),
  };
}
