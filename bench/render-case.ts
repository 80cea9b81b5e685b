// One benchmark case in its own process, so its peak memory is its own: the full pipeline for a
// portrait and speech of a given length (`full`); the reference - the same ffmpeg encoding the
// same number of frames of a still picture with no rendering (`encode`); or the same ffmpeg
// encoding the frames the pipeline rendered, read back from a raw file, with no rendering
// (`frames`): what the encoder alone costs on a talking head; `pictures`: those frames without
// the sound, x264 alone. `dump` writes those frames: the
// pipeline run again with a file in the encoder's place (the same inputs give the same frames).
// `service`: the same video as a task of the service's: a render process (worker/thread.ts) that has
// rendered one task before (SERVICE_WARM_SECONDS long: enough frames for both render threads, which
// the process keeps) and stood idle for a while, as between tasks, renders it (timed from
// the task's hand-over to its result; the peak memory is not this process's, so not reported).
// Prints one JSON line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEncoder } from '../src/adapters/ffmpeg.js';
import { defaultPipelineDeps } from '../src/adapters/index.js';
import { encodeArgs, videoEncodeArgs } from '../src/encode/index.js';
import { renderVideo } from '../src/pipeline/index.js';
import { EXTRA_THREAD_MIN_FRAMES } from '../src/pipeline/frame-pool.js';
import { createWorkerProcess } from '../src/worker/thread.js';
import type { RenderJob } from '../src/worker/render-job.js';
import { VIDEO } from '../src/core/video.js';
import type { MediaEncoder } from '../src/core/ports.js';
import { yuv420Size } from '../src/render/index.js';

const { values } = parseArgs({ options: {
  mode: { type: 'string' }, seconds: { type: 'string' }, image: { type: 'string' }, audio: { type: 'string' },
  /** `full`: keep the video here; `frames`: raw yuv420p frames to encode; `dump`: where to write them. */
  keep: { type: 'string' }, raw: { type: 'string' },
  /** `speakers`: a second speech file; faces 0 and 1 of the image speak --audio and this. */
  audio2: { type: 'string' },
} });
const seconds = Number(values.seconds);
const out = values.keep ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dh-bench-')), 'out.mp4');
let started = performance.now();
/** `full`: the pipeline's own timings (renderEncodeMs: the frame loop, rendering and encoding). */
let timings: Readonly<Record<string, number>> = {};

/**
 * Encodes `frames` frames with the pipeline's ffmpeg settings and no rendering, through two
 * buffers as the pipeline does; `fill` puts frame f's bytes into its buffer (none: the buffers'
 * bytes are sent as they are).
 */
async function encodeOnly(frames: number, first: Uint8Array, fill?: (buffer: Uint8Array, f: number) => void, sound = true): Promise<void> {
  const spec = { width: VIDEO.width, height: VIDEO.height, fps: VIDEO.fps, frameCount: frames, outputPath: out };
  const sink = startEncoder(sound ? encodeArgs({ ...spec, audioPath: values.audio! }) : videoEncodeArgs(spec), yuv420Size(VIDEO.width, VIDEO.height));
  const buffers = [first, new Uint8Array(first)];
  const pending = [Promise.resolve(), Promise.resolve()];
  for (let f = 0; f < frames; f++) {
    await pending[f & 1];
    fill?.(buffers[f & 1], f);
    pending[f & 1] = sink.write(buffers[f & 1]);
  }
  await Promise.all(pending);
  await sink.finish();
}

const frameCount = Math.round(seconds * VIDEO.fps);
/** How long the service's render process stands idle between the two tasks (its next detection's thread gets ready meanwhile). */
const SERVICE_IDLE_MS = 5000;
/** The length of the task the service's render process renders first: past EXTRA_THREAD_MIN_FRAMES, so it draws with both threads. */
const SERVICE_WARM_SECONDS = Math.ceil(EXTRA_THREAD_MIN_FRAMES / VIDEO.fps) + 1;
const size = yuv420Size(VIDEO.width, VIDEO.height);
if (values.mode === 'encode') {
  // A mid-grey frame with a gentle gradient: the same bytes every frame, as a still picture
  // would send.
  const frame = new Uint8Array(size).fill(128);
  for (let i = 0; i < VIDEO.width * VIDEO.height; i++) frame[i] = 40 + ((i % VIDEO.width) >> 3) % 160;
  await encodeOnly(frameCount, frame);
} else if (values.mode === 'frames' || values.mode === 'pictures') {
  // `pictures`: the same frames without the sound, x264's share of the work alone.
  const fd = fs.openSync(values.raw!, 'r');
  await encodeOnly(frameCount, new Uint8Array(size), (buffer, f) => { fs.readSync(fd, buffer, 0, size, f * size); }, values.mode === 'frames');
  fs.closeSync(fd);
} else if (values.mode === 'dump') {
  // The frames exactly as the pipeline hands them to ffmpeg. Decoding the full run's video back
  // would give x264 its own lossy output to encode again, about 5 % cheaper than the real frames.
  const fd = fs.openSync(values.raw!, 'w');
  const deps = defaultPipelineDeps();
  // The pipeline muxes the pictures' file with the sound and renames the result: empty files stand for both.
  let pictures = '';
  const toFile: MediaEncoder = {
    run: async (args, opts) => {
      if (!pictures || !args.includes(pictures)) return deps.encoder.run(args, opts);
      fs.writeFileSync(args[args.length - 1], '');
      return Buffer.alloc(0);
    },
    start: (args) => ({
      write: async (frame) => { fs.writeSync(fd, frame); },
      finish: async () => { pictures = args[args.length - 1]; fs.writeFileSync(pictures, ''); },
      abort: () => {},
    }),
  };
  await renderVideo({ resizeMode: 'adaptive', duration: seconds }, { image: values.image!, audio: values.audio! }, { ...deps, encoder: toFile }, { output: out });
  fs.closeSync(fd);
} else if (values.mode === 'speakers') {
  const tracks = [values.audio!, values.audio2!];
  const r = await renderVideo({ resizeMode: 'adaptive', duration: seconds, speakers: tracks.map((audioUrl, face) => ({ face, audioUrl })) },
    { image: values.image!, audio: '', speakers: tracks.map((audio) => ({ audio })) }, defaultPipelineDeps(), { output: out });
  timings = r.timings;
} else if (values.mode === 'service') {
  const worker = createWorkerProcess();
  const job = (s: number, taskId: number): RenderJob => ({
    resolvedInputs: { image: { file: path.resolve(values.image!), label: 'image' }, audio: { file: path.resolve(values.audio!), label: 'audio' } },
    spec: { resizeMode: 'adaptive', duration: s },
    run: { taskId, scratchDir: path.join(path.dirname(out), `task-${taskId}`), thumbnail: false, allowPrivateUrls: false, frameWorkers: os.availableParallelism() },
  });
  try {
    await worker.run({ kind: 'render', job: job(SERVICE_WARM_SECONDS, 1) });
    await new Promise((resolve) => setTimeout(resolve, SERVICE_IDLE_MS));
    started = performance.now();
    timings = (await worker.run<{ timings: Record<string, number> }>({ kind: 'render', job: job(seconds, 2) })).timings;
  } finally {
    await worker.close();
  }
} else {
  timings = (await renderVideo({ resizeMode: 'adaptive', duration: seconds }, { image: values.image!, audio: values.audio! }, defaultPipelineDeps(), { output: out })).timings;
}
const wallMs = performance.now() - started;
if (!values.keep) fs.rmSync(path.dirname(out), { recursive: true, force: true });
const maxRssMb = values.mode === 'service' ? null : Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify({ mode: values.mode, seconds, wallMs: Math.round(wallMs), renderEncodeMs: timings.renderEncodeMs, renderMs: timings.renderMs, renderCpuMs: timings.renderCpuMs, maxRssMb })}\n`);
