// Reading a rendered MP4 back: every frame streamed once (flat memory however long the clip),
// chosen frames decoded again by index, and the audio track as mono samples. Spawns ffmpeg.
import { spawn, spawnSync } from 'node:child_process';

/** Calls `onFrame` with each decoded rgb24 frame in order; the buffer is reused afterwards. */
export async function forEachFrame(video: string, width: number, height: number, onFrame: (rgb: Uint8Array, index: number) => void): Promise<number> {
  const size = width * height * 3;
  const ff = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', video, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  ff.stderr.on('data', (d) => { stderr += d; });
  const frame = new Uint8Array(size);
  let filled = 0, index = 0;
  for await (const chunk of ff.stdout as AsyncIterable<Buffer>) {
    let off = 0;
    while (off < chunk.length) {
      const take = Math.min(size - filled, chunk.length - off);
      frame.set(chunk.subarray(off, off + take), filled);
      filled += take; off += take;
      if (filled === size) { onFrame(frame, index++); filled = 0; }
    }
  }
  const code: number = await new Promise((resolve) => (ff.exitCode !== null ? resolve(ff.exitCode) : ff.on('close', (c) => resolve(c ?? 1))));
  if (code !== 0) throw new Error(`ffmpeg could not decode ${video}: ${stderr.trim()}`);
  return index;
}

/** Decodes the given frames (0-based indices, any order, repeats allowed) to rgb24. */
export function readFrames(video: string, frames: readonly number[], width: number, height: number): Buffer[] {
  const unique = [...new Set(frames)].sort((a, b) => a - b);
  const select = unique.map((f) => `eq(n\\,${f})`).join('+');
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', video, '-vf', `select=${select}`, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  const size = width * height * 3;
  if (r.stdout.length < unique.length * size) throw new Error(`ffmpeg returned ${Math.floor(r.stdout.length / size)} of ${unique.length} frames from ${video}`);
  return frames.map((f) => { const i = unique.indexOf(f); return r.stdout.subarray(i * size, (i + 1) * size); });
}

/** The file's first audio stream as mono float samples. */
export function readAudioMono(file: string, sampleRate = 16000): Float32Array {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', file, '-vn', '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', 'pipe:1'], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`ffmpeg could not decode audio of ${file}: ${r.stderr}`);
  const b = Buffer.from(r.stdout);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}
