#!/usr/bin/env node
// `dh` command line: render a video, run the service, or run the demo.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeOptions, loadConfig } from '../core/config.js';
import { DhError, toDhError, invalidArgument } from '../core/errors.js';
import type { FacePoints, ResizeMode } from '../core/types.js';
import { faceSummary } from '../analyze/face/index.js';
import fs from 'node:fs/promises';
import { renderVideo, type RenderRequest, type RenderResult } from '../pipeline/index.js';
import { createSpeechSynthesizer } from '../tts/index.js';
import { encodeWav } from '../media/wav.js';
import { defaultPipelineDeps } from '../adapters/index.js';
import { startServer } from '../server/index.js';
import { FacePointsInput, parseOrThrow, toFacePoints } from '../server/schemas.js';
import { createProgressBar } from './progress.js';
import { startWorkers } from './worker.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DEMO = Object.freeze({
  image: path.join(ROOT, 'assets', 'demo', 'portrait.jpg'),
  /** The demo speaks a line of the project's own voice synthesis; the recording is the fallback. */
  line: 'Hello! I am a digital human, made from one photograph and this voice. Watch my lips follow every word, and my eyes blink now and then.',
  voice: 'festival:us_kal_diphone',
  audio: path.join(ROOT, 'assets', 'demo', 'speech.m4a'),
  speech: path.resolve('out', 'demo-speech.wav'),
  output: path.resolve('out', 'demo.mp4'),
  watermark: 'AI 生成 · AI-generated',
});

const USAGE = `usage:
  dh render --image <file|url> --audio <file|url> --out <file.mp4> [--duration <seconds>]
            [--prompt <text>] [--resize-mode adaptive|fixedMinSide] [--watermark <text>] [--json]
            [--face-points '{"leftEye":[x,y],"rightEye":[x,y],"mouthLeft":[x,y],"mouthRight":[x,y],"chin":[x,y]}']
  dh serve [--port <n>] [--host <addr>] [--data-dir <dir>]   the API (and, unless DH_WORKERS=0, render workers)
  dh worker [--data-dir <dir>]   render workers only, sharing DH_REDIS_URL (and the store and media) with dh serve;
                                 SIGTERM finishes the renders in flight and exits, a second SIGTERM stops at once
  dh demo  [--port <n>] [--data-dir <dir>]   render the bundled demo, then serve

service options (flag, environment variable):
${describeOptions()}
`;

function parseDuration(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw invalidArgument('--duration', `"${raw}" is not a number`, 'Give the length in seconds, e.g. --duration 12.5.');
  return n;
}

function parseFacePoints(raw: string | undefined): FacePoints | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw invalidArgument('--face-points', `is not JSON (${(err as Error).message.slice(0, 80)})`, 'Give an object such as \'{"leftEye":[210,240],"rightEye":[315,208],"mouthLeft":[270,316],"mouthRight":[306,312]}\' in image pixels.');
  }
  return toFacePoints(parseOrThrow(FacePointsInput, value, '--face-points.'));
}

async function render(argv: string[]): Promise<RenderResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      image: { type: 'string' }, audio: { type: 'string' }, out: { type: 'string' },
      duration: { type: 'string' }, prompt: { type: 'string' }, 'resize-mode': { type: 'string', default: 'adaptive' },
      watermark: { type: 'string' }, json: { type: 'boolean', default: false }, seed: { type: 'string' },
      'face-points': { type: 'string' },
    },
    strict: true,
  });
  for (const f of ['image', 'audio', 'out'] as const) {
    if (!values[f]) throw invalidArgument(`--${f}`, 'is missing', `See \`dh --help\`.`);
  }
  const result = await renderWithProgress({
    image: values.image!, audio: values.audio!, output: values.out!,
    durationSeconds: parseDuration(values.duration),
    resizeMode: values['resize-mode'] as ResizeMode,
    prompt: values.prompt, watermark: values.watermark,
    seed: values.seed === undefined ? undefined : Number(values.seed),
    facePoints: parseFacePoints(values['face-points']),
  });
  if (values.json) {
    // The 478 landmarks are for the service's avatars; the summary's few points can be given
    // back as --face-points to correct the face.
    const { face, ...summary } = result;
    process.stdout.write(`${JSON.stringify({ ...summary, face: face ? faceSummary(face) : null })}\n`);
  }
  return result;
}

async function renderWithProgress(request: RenderRequest): Promise<RenderResult> {
  const bar = createProgressBar();
  try {
    const result = await renderVideo(request, defaultPipelineDeps(), { onProgress: bar.update });
    bar.done();
    process.stderr.write(`wrote ${result.video} (${result.width}x${result.height}, ${result.durationSeconds.toFixed(2)} s) in ${(result.timings.totalMs / 1000).toFixed(1)} s\n`);
    return result;
  } catch (err) {
    bar.done();
    throw err;
  }
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, host: { type: 'string' }, 'data-dir': { type: 'string' } },
    strict: true,
  });
  const config = loadConfig({ '--port': values.port, '--host': values.host, '--data-dir': values['data-dir'] }, process.env);
  const server = await startServer(config);
  for (const notice of server.notices) process.stderr.write(`${notice}\n`);
  process.stderr.write(`${server.app.summary}; ${config.workers === 0 ? 'no render workers here (DH_WORKERS=0)' : `${config.renderWorkers} render worker(s)`}\n`);
  process.stderr.write(`service listening on ${server.url} (data in ${config.dataDir}; API reference at ${server.url}docs)\n`);
  process.stdout.write(`${server.url}\n`);
  const stop = () => { void server.close().then(() => process.exit(0)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function worker(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' } }, strict: true });
  const config = loadConfig({ '--data-dir': values['data-dir'] }, process.env);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const workers = await startWorkers(config, log);
  log(`${workers.workers} render worker(s) in process ${process.pid}; ${workers.summary}`);
  process.once('SIGTERM', () => {
    log('SIGTERM: finishing the renders in flight, taking no new task (SIGTERM again to stop now)');
    process.once('SIGTERM', () => { log('stopping now: renders in flight go back to the queue'); void workers.stop().then(() => process.exit(0)); });
    void workers.drain().then(() => { log('drained'); process.exit(0); });
  });
  process.once('SIGINT', () => { void workers.stop().then(() => process.exit(0)); });
}

async function demo(argv: string[]): Promise<void> {
  await fs.mkdir(path.dirname(DEMO.output), { recursive: true });
  let audio = DEMO.audio;
  let phonemes: RenderRequest['phonemes'];
  try {
    const speech = await createSpeechSynthesizer().synthesize(DEMO.line, DEMO.voice);
    await fs.writeFile(DEMO.speech, encodeWav(speech.audio));
    audio = DEMO.speech;
    phonemes = speech.phonemes;
    process.stderr.write(`demo speech: "${DEMO.line}" (${DEMO.voice}, ${speech.durationSeconds.toFixed(1)} s)\n`);
  } catch (err) {
    process.stderr.write(`voice synthesis is unavailable (${toDhError(err).message}); the demo uses the bundled recording\n`);
  }
  process.stderr.write(`rendering the demo: ${path.relative(process.cwd(), DEMO.image)} + ${path.relative(process.cwd(), audio)}\n`);
  const result = await renderWithProgress({ image: DEMO.image, audio, output: DEMO.output, resizeMode: 'adaptive', watermark: DEMO.watermark, phonemes });
  process.stderr.write(`demo video: ${result.video}\n`);
  await serve(argv);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'render': await render(rest); return;
    case 'serve': await serve(rest); return;
    case 'worker': await worker(rest); return;
    case 'demo': await demo(rest); return;
    case undefined: case '-h': case '--help': case 'help':
      process.stdout.write(USAGE); return;
    default:
      throw invalidArgument('command', `"${command}" is not a dh command`, 'Use render, serve, worker or demo (see dh --help).');
  }
}

main().catch((err: unknown) => {
  const e = err instanceof DhError ? err : (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ? invalidArgument('arguments', (err as Error).message, 'See `dh --help`.')
    : toDhError(err);
  process.stderr.write(`\nerror ${e.code} ${e.id}: ${e.message}\n`);
  if (e.id === 'INTERNAL' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exitCode = 1;
});
