// Shared helpers for tests: fixture paths, synthetic media, and reading frames back from MP4s.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.resolve(ROOT, 'test', 'fixtures');
export const fixtureImage = (name: string): string => path.join(FIXTURES, 'images', name);
export const fixtureAudio = (name: string): string => path.join(FIXTURES, 'audio', name);
export const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

export function tempDir(prefix = 'dh-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a mono 16-bit WAV. */
export function writeWav(file: string, samples: Float32Array, sampleRate: number): void {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(s * 32767))), i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0); header.writeUInt32LE(36 + data.length, 4); header.write('WAVE', 8);
  header.write('fmt ', 12); header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24); header.writeUInt32LE(sampleRate * 2, 28); header.writeUInt16LE(2, 32); header.writeUInt16LE(16, 34);
  header.write('data', 36); header.writeUInt32LE(data.length, 40);
  fs.writeFileSync(file, Buffer.concat([header, data]));
}

/**
 * A vowel-like sound: a 140 Hz glottal pulse train shaped by two formant resonances (/a/:
 * ~700 and ~1200 Hz), loud enough to be speech, placed between stretches of silence.
 */
export function vowelBetweenSilences(silenceBefore: number, vowel: number, silenceAfter: number, sampleRate = 16000): Float32Array {
  const n = Math.round((silenceBefore + vowel + silenceAfter) * sampleRate);
  const out = new Float32Array(n);
  const start = Math.round(silenceBefore * sampleRate), end = start + Math.round(vowel * sampleRate);
  for (let i = start; i < end; i++) {
    const t = (i - start) / sampleRate;
    let s = 0;
    for (let h = 1; h * 140 < 4000; h++) {
      const f = h * 140;
      const gain = 1 / (1 + ((f - 700) / 150) ** 2) + 0.6 / (1 + ((f - 1200) / 200) ** 2) + 0.05;
      s += gain * Math.sin(2 * Math.PI * f * t);
    }
    out[i] = 0.25 * s * Math.min(1, t / 0.02, (end - i) / sampleRate / 0.02);
  }
  return out;
}

/**
 * The first sound stream's packets of a media file as ffmpeg's framemd5 lists them, copied not
 * decoded: [dts, size, md5] each. Two files whose lists match carry the same AAC bytes at the
 * same times (a sound copied, not encoded again).
 */
export function soundPackets(file: string): string[][] {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:a:0', '-c', 'copy', '-f', 'framemd5', '-'], { encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').map((c) => c.trim())).map((c) => [c[1], c[4], c[5]]);
}

// Frame reading and region differences are shared with the render evaluation (npm run eval:render).
export { readFrames } from '../eval/lib/video-io.js';
export { meanAbsDiff } from '../src/eval-metrics/index.js';

export interface Box { x: number; y: number; width: number; height: number }
