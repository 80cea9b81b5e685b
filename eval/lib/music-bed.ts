// A deterministic music bed to lay under speech: a pop loop of sustained chords, a bass line
// and drums (kick, snare, hi-hat), synthesized here so that the evaluation and the tests need no
// licensed recording. Loud and continuous, with most of its energy low, like the beds that kept
// the mouth shut (issue 13, point 4). Pure.
import type { RawAudio } from '../../src/core/types.js';

const midiHz = (n: number): number => 440 * 2 ** ((n - 69) / 12);

/** C - G - Am - F, one bar each, as MIDI notes of a close-voiced triad one octave below middle C and the bass root. */
const BARS = [
  { chord: [48, 52, 55], bass: 36 },
  { chord: [43, 47, 50], bass: 31 },
  { chord: [45, 48, 52], bass: 33 },
  { chord: [41, 45, 48], bass: 29 },
];

/** A seeded linear-congruential noise source in [-1, 1]: the same bed every run. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 31 - 1; };
}

/**
 * `seconds` of the loop at `sampleRate`, peak-normalised to 0.9. `bpm` sets the tempo (a bar
 * is four beats); the bass plays eighths, the kick beats 1 and 3, the snare 2 and 4, the hi-hat eighths.
 */
export function musicBed(seconds: number, sampleRate: number, bpm = 96): Float32Array {
  const n = Math.round(seconds * sampleRate);
  const out = new Float32Array(n);
  const beat = 60 / bpm, bar = 4 * beat;
  const rnd = noise(12345);
  let hp = 0, prev = 0, snareLp = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const { chord, bass } = BARS[Math.floor(t / bar) % BARS.length];
    // Chords: sawtooth-ish pads (three harmonics), slow attack, always sounding.
    let pad = 0;
    for (const note of chord) {
      const f = midiHz(note);
      for (let h = 1; h <= 3; h++) pad += Math.sin(2 * Math.PI * f * h * t + note) / h;
    }
    // Bass: eighth notes with a plucked decay.
    const eighth = beat / 2, te = t % eighth;
    const fb = midiHz(bass);
    const bassV = (Math.sin(2 * Math.PI * fb * t) + 0.3 * Math.sin(4 * Math.PI * fb * t)) * (0.45 + 0.55 * Math.exp(-te / 0.12));
    // Kick on beats 1 and 3: a falling sine sweep.
    const tb = t % (2 * beat);
    const kick = Math.sin(2 * Math.PI * (45 * tb + (80 / 25) * (1 - Math.exp(-25 * tb)))) * Math.exp(-tb / 0.15);
    // Snare on 2 and 4: band-limited noise burst with a 190 Hz body.
    const ts = (t + beat) % (2 * beat);
    const r = rnd();
    snareLp += 0.3 * (r - snareLp);
    const snare = (0.7 * snareLp + 0.4 * Math.sin(2 * Math.PI * 190 * ts)) * Math.exp(-ts / 0.08);
    // Hi-hat on eighths: high-passed noise, short.
    hp = 0.6 * (hp + r - prev); prev = r;
    const hat = hp * Math.exp(-te / 0.025);
    out[i] = 0.12 * pad + 0.5 * bassV + 0.8 * kick + 0.35 * snare + 0.12 * hat;
  }
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(out[i]));
  for (let i = 0; i < n; i++) out[i] *= 0.9 / peak;
  return out;
}

/** RMS of the samples whose 20 ms window is within 30 dB of the loudest one: the level while the voice sounds. */
export function activeRms(x: Float32Array, sampleRate: number): number {
  const w = Math.max(1, Math.round(0.02 * sampleRate));
  const powers: number[] = [];
  for (let i = 0; i + w <= x.length; i += w) { let s = 0; for (let j = i; j < i + w; j++) s += x[j] * x[j]; powers.push(s / w); }
  const top = Math.max(...powers, 1e-12);
  const active = powers.filter((p) => p > top * 1e-3);
  return Math.sqrt(active.reduce((a, b) => a + b, 0) / Math.max(1, active.length));
}

/**
 * The voice with the bed under it at `bedDb` (negative: that many dB below the voice's active
 * level), scaled together so the mix peaks at 0.9. The bed covers the whole clip, pauses too,
 * or with `fromShare` only the clip from that share of its length on (music coming in mid-speech,
 * faded in over 0.5 s).
 */
export function mixOverMusic(voice: RawAudio, bedDb: number, bpm?: number, fromShare = 0): RawAudio {
  const bed = musicBed(voice.samples.length / voice.sampleRate, voice.sampleRate, bpm);
  const g = (activeRms(voice.samples, voice.sampleRate) / activeRms(bed, voice.sampleRate)) * 10 ** (bedDb / 20);
  const out = new Float32Array(voice.samples.length);
  const from = Math.round(fromShare * out.length), fade = Math.round(0.5 * voice.sampleRate);
  let peak = 0;
  for (let i = 0; i < out.length; i++) {
    const on = fromShare > 0 ? Math.min(1, Math.max(0, (i - from) / fade)) : 1;
    out[i] = voice.samples[i] + on * g * bed[i]; peak = Math.max(peak, Math.abs(out[i]));
  }
  if (peak > 0.9) for (let i = 0; i < out.length; i++) out[i] *= 0.9 / peak;
  return { samples: out, sampleRate: voice.sampleRate };
}
