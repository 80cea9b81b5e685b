#!/usr/bin/env node
// `dh` command line: render a video, run the service, or run the demo.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeOptions, loadConfig } from '../core/config.js';
import { DhError, toDhError, invalidArgument, withoutServerPaths } from '../core/errors.js';
import { faceSummary } from '../analyze/face/index.js';
import { checkSpeakersSpec, renderVideo, type LocalInputs, type RenderResult, type RenderSpec } from '../pipeline/index.js';
import { createSpeechSynthesizer } from '../tts/index.js';
import { encodeWav } from '../encode/wav.js';
import { defaultPipelineDeps } from '../adapters/index.js';
import { createSafeFetcher } from '../adapters/safe-fetch.js';
import { startServer } from '../server/index.js';
import { specArgOptions, specFromArgs, specUsage } from '../spec/index.js';
import { fetchInputs, refFromArg, type InputRef } from '../tasks/inputs.js';
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
  dh render --image <file|url> --audio <file|url> --out <file.mp4> [--json] [--seed <n>]
            ${specUsage()}
            (the options of the API's param, see docs/api.md; --text with --voice replaces --audio;
             --face-points takes '{"leftEye":[x,y],"rightEye":[x,y],"mouthLeft":[x,y],"mouthRight":[x,y],"chin":[x,y]}')
  dh render --image <file|url> --speaker 0=<file|url> --speaker 1=<file|url> --out <file.mp4> [...]
            several faces, each speaking its own track (faces numbered from the left, 0 first;
            --json lists them); a face no detector finds: --speaker '{"leftEye":[x,y],...}=<file|url>'
  dh serve [--port <n>] [--host <addr>] [--data-dir <dir>]   the API (and, unless DH_WORKERS=0, render workers)
  dh worker [--data-dir <dir>]   render workers only, sharing DH_REDIS_URL (and the store and media) with dh serve;
                                 SIGTERM finishes the renders in flight and exits, a second SIGTERM stops at once
  dh demo  [--port <n>] [--data-dir <dir>]   render the bundled demo, then serve

service options (flag, environment variable):
${describeOptions()}
`;

/** Speech from text with the project's synthesizer, as a WAV file, with its phoneme timings. */
async function speak(text: string, voice: string, speed: number | undefined, output: string): Promise<{ seconds: number; phonemes: LocalInputs['phonemes'] }> {
  const speech = await createSpeechSynthesizer().synthesize(text, voice, { speed });
  await fs.writeFile(output, encodeWav(speech.audio));
  return { seconds: speech.durationSeconds, phonemes: speech.phonemes };
}

async function render(argv: string[]): Promise<RenderResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      image: { type: 'string' }, audio: { type: 'string' }, out: { type: 'string' },
      json: { type: 'boolean', default: false }, seed: { type: 'string' },
      ...specArgOptions(),
    },
    strict: true,
  });
  const spec = specFromArgs(values);
  for (const f of ['image', 'out'] as const) {
    if (!values[f]) throw invalidArgument(`--${f}`, 'is missing', `See \`dh --help\`.`);
  }
  checkSpeakersSpec(spec, values.audio !== undefined, { speakers: 'speakers', together: '--speaker', audio: '--audio', text: '--text', facePoints: '--face-points', voice: '--voice' });
  if (values.audio && spec.text) throw invalidArgument('--text', 'was given together with --audio', 'Give either --audio or --text with --voice.');
  if (!spec.speakers && !values.audio && !spec.text) throw invalidArgument('--audio', 'is missing', 'Give the speech as a file or URL (or --text with --voice).');
  if (spec.text && !spec.voice) throw invalidArgument('--voice', 'is required with --text', 'Pick a voice id (the service lists them at GET /api/2dvh/v1/voice/list).');
  const output = values.out!;
  if (!/\.mp4$/i.test(output)) throw invalidArgument('--out', `"${output}" is not an .mp4 path`, 'Name the output file with a .mp4 extension.');

  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'dh-cli-'));
  // Downloaded inputs are named in messages by their URLs, not by the scratch files.
  const labels: [string, string][] = [];
  try {
    const refs = {
      image: refFromArg(values.image!), ...(values.audio ? { audio: refFromArg(values.audio) } : {}),
      ...(spec.speakers ? { speakers: spec.speakers.map((sp) => (sp.audioUrl ? refFromArg(sp.audioUrl) : null)) } : {}),
    };
    const local = await fetchInputs(refs, scratch, createSafeFetcher({ allowPrivate: true }), undefined,
      (ref: InputRef, file: string) => { if ('url' in ref) labels.push([file, ref.url]); });
    let audio = local.audio;
    let phonemes: LocalInputs['phonemes'];
    // Each speaker's speech: its file, or its text spoken into one.
    const speakers = spec.speakers && await Promise.all(spec.speakers.map(async (sp, i) => {
      const file = local.speakers?.[i];
      if (file) return { audio: file };
      const wav = path.join(scratch, `speech-${i}.wav`);
      return { audio: wav, phonemes: (await speak(sp.text!, sp.voice!, sp.speed, wav)).phonemes };
    }));
    if (speakers) audio = '';
    else if (!audio) {
      audio = path.join(scratch, 'speech.wav');
      ({ phonemes } = await speak(spec.text!, spec.voice!, spec.speed, audio));
    }
    const result = await renderWithProgress(spec, { image: local.image, audio, phonemes, ...(speakers ? { speakers } : {}) }, output, values.seed === undefined ? undefined : Number(values.seed));
    if (values.json) {
      // The 478 landmarks are for the service's avatars; the summary's few points can be given
      // back as --face-points to correct the face.
      const { face, foundFaces: _landmarks, ...summary } = result;
      process.stdout.write(`${JSON.stringify({ ...summary, face: face ? faceSummary(face) : null })}\n`);
    }
    return result;
  } catch (err) {
    if (!(err instanceof DhError) || labels.length === 0) throw err;
    const details = Object.fromEntries(Object.entries(err.details).map(([k, v]) => [k, typeof v === 'string' ? withoutServerPaths(v, labels, [scratch]) : v]));
    throw new DhError(err.id, details, { cause: err });
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

async function renderWithProgress(spec: RenderSpec, inputs: LocalInputs, output: string, seed?: number): Promise<RenderResult> {
  const bar = createProgressBar();
  try {
    const result = await renderVideo(spec, inputs, defaultPipelineDeps(), { output, seed, onProgress: bar.update });
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
  process.stderr.write(`${server.app.summary}; ${config.workers === 0 ? 'no render workers here (DH_WORKERS=0)' : `${config.workers} render worker(s)`}\n`);
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
  let phonemes: LocalInputs['phonemes'];
  try {
    const speech = await speak(DEMO.line, DEMO.voice, undefined, DEMO.speech);
    audio = DEMO.speech;
    phonemes = speech.phonemes;
    process.stderr.write(`demo speech: "${DEMO.line}" (${DEMO.voice}, ${speech.seconds.toFixed(1)} s)\n`);
  } catch (err) {
    process.stderr.write(`voice synthesis is unavailable (${toDhError(err).message}); the demo uses the bundled recording\n`);
  }
  process.stderr.write(`rendering the demo: ${path.relative(process.cwd(), DEMO.image)} + ${path.relative(process.cwd(), audio)}\n`);
  const spec: RenderSpec = { resizeMode: 'adaptive', watermark: { show: true, content: DEMO.watermark } };
  const result = await renderWithProgress(spec, { image: DEMO.image, audio, phonemes }, DEMO.output);
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
