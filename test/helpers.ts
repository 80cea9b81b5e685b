// Shared helpers for tests: fixture paths, synthetic media, and reading frames back from MP4s.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.resolve(ROOT, '..', 'shared', 'fixtures');
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

/** Decodes the given video frames (0-based indices) to rgb24 buffers. */
export function readFrames(video: string, frames: number[], width: number, height: number): Buffer[] {
  const select = frames.map((f) => `eq(n\\,${f})`).join('+');
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', video, '-vf', `select=${select}`, '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  const size = width * height * 3;
  return frames.map((_, i) => r.stdout.subarray(i * size, (i + 1) * size));
}

export interface Box { x: number; y: number; width: number; height: number }

/** Mean absolute difference of two rgb24 frames, inside `box` or (with `outside`) outside it. */
export function meanAbsDiff(a: Buffer, b: Buffer, width: number, height: number, box: Box, outside = false): number {
  let sum = 0, n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBox = x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
      if (inBox === outside) continue;
      const i = (y * width + x) * 3;
      sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
      n += 3;
    }
  }
  return n ? sum / n : 0;
}
