// RawAudio -> 16-bit PCM mono WAV (RIFF), the format every player and ffmpeg reads.
// Layout per the Microsoft RIFF/WAVE spec: 44-byte header, then little-endian samples.
import type { RawAudio } from '../core/types.js';

export function encodeWav(audio: RawAudio): Buffer {
  const { samples, sampleRate } = audio;
  const out = Buffer.alloc(44 + samples.length * 2);
  out.write('RIFF', 0);
  out.writeUInt32LE(36 + samples.length * 2, 4);
  out.write('WAVE', 8);
  out.write('fmt ', 12);
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36);
  out.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    out.writeInt16LE(Math.round(s < 0 ? s * 32768 : s * 32767), 44 + 2 * i);
  }
  return out;
}
