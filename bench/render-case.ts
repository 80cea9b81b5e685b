// One benchmark case in its own process, so its peak memory is its own: either the full
// pipeline for a portrait and speech of a given length, or the reference - the same ffmpeg
// encoding the same number of frames with no rendering. Prints one JSON line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEncoder } from '../src/adapters/ffmpeg.js';
import { defaultPipelineDeps } from '../src/adapters/index.js';
import { encodeArgs } from '../src/encode/index.js';
import { renderVideo } from '../src/pipeline/index.js';
import { VIDEO } from '../src/core/video.js';
import { yuv420Size } from '../src/render/index.js';

const { values } = parseArgs({ options: { mode: { type: 'string' }, seconds: { type: 'string' }, image: { type: 'string' }, audio: { type: 'string' } } });
const seconds = Number(values.seconds);
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dh-bench-')), 'out.mp4');
const started = performance.now();

if (values.mode === 'encode') {
  const frames = Math.round(seconds * VIDEO.fps);
  const sink = startEncoder(encodeArgs({ width: VIDEO.width, height: VIDEO.height, fps: VIDEO.fps, frameCount: frames, audioPath: values.audio!, outputPath: out }));
  // A mid-grey frame with a gentle gradient: the same bytes every frame, as a still picture
  // would send; two buffers, as the pipeline uses.
  const frame = new Uint8Array(yuv420Size(VIDEO.width, VIDEO.height)).fill(128);
  for (let i = 0; i < VIDEO.width * VIDEO.height; i++) frame[i] = 40 + ((i % VIDEO.width) >> 3) % 160;
  const buffers = [frame, new Uint8Array(frame)];
  const pending = [Promise.resolve(), Promise.resolve()];
  for (let f = 0; f < frames; f++) {
    await pending[f & 1];
    pending[f & 1] = sink.write(buffers[f & 1]);
  }
  await Promise.all(pending);
  await sink.finish();
} else {
  await renderVideo({ image: values.image!, audio: values.audio!, output: out, resizeMode: 'adaptive', durationSeconds: seconds }, defaultPipelineDeps());
}
const wallMs = performance.now() - started;
fs.rmSync(path.dirname(out), { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ mode: values.mode, seconds, wallMs: Math.round(wallMs), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
