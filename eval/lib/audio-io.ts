// Audio in and out of ffmpeg for the evaluation and the tests.
import fs from 'node:fs';
import path from 'node:path';
import type { RawAudio } from '../../src/core/types.js';
import { runTool } from '../../src/adapters/ffmpeg.js';
import { encodeWav } from '../../src/encode/wav.js';

/** The audio played `factor` times faster at the same pitch (ffmpeg's atempo, as a user would speed up a clip). */
export async function speedUp(audio: RawAudio, factor: number, workDir: string): Promise<RawAudio> {
  const input = path.join(workDir, `speed-${process.pid}-${Date.now()}.wav`);
  fs.writeFileSync(input, encodeWav(audio));
  try {
    const raw = await runTool('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', input, '-filter:a', `atempo=${factor}`, '-f', 'f32le', '-ac', '1', '-ar', String(audio.sampleRate), 'pipe:1']);
    return { samples: new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length - (raw.length % 4))), sampleRate: audio.sampleRate };
  } finally {
    fs.rmSync(input, { force: true });
  }
}
