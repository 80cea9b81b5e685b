// npm run eval:render: renders every fixture portrait with the real pipeline, measures each video
// from its pixels (identity, background stillness, blinks, head motion, mouth range), writes a
// contact sheet per fixture to out/eval-render/ and prints a table against the targets.
// Each fixture also says a fast sentence (~8 syllables a second, English or Mandarin in turn),
// measured by the independent face model frame by frame, with a zoomed mouth strip beside it.
// Usage: node dist/eval/render.js [name-substring...] [--seconds N] [--fast-only | --no-fast] [--fast en-fast|zh-fast]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultPipelineDeps } from '../src/adapters/index.js';
import { createFaceApiRecognizer } from '../src/adapters/face-recognition.js';
import { DhError } from '../src/core/errors.js';
import type { FacePoints } from '../src/core/types.js';
import { renderVideo } from '../src/pipeline/index.js';
import { measureVideo, type VideoMeasures } from './lib/measure-video.js';
import { writeContactSheet } from './lib/contact-sheet.js';
import { FAST_CLIPS, fastSpeech } from './lib/fast-speech.js';
import { lipOpening, mouthAndForehead, mouthSpeechCorrelation, OPEN_GAP } from './lib/mouth-motion.js';
import { writeMouthStrip } from './lib/mouth-strip.js';
import { readAudioMono } from './lib/video-io.js';
import { formatTable, summarize, type EvalRow } from './lib/report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.resolve(ROOT, 'test', 'fixtures');
const OUT = path.join(ROOT, 'out', 'eval-render');

/**
 * Faces marked once, for fixtures no detector finds (source pixels, looked up by eye on the
 * picture): the evaluation renders them as a user who marked them would get them.
 */
const MARKED: Record<string, FacePoints> = {
  'animal-cat.jpg': { leftEye: { x: 414, y: 480 }, rightEye: { x: 630, y: 416 }, mouthLeft: { x: 540, y: 634 }, mouthRight: { x: 612, y: 626 }, chin: { x: 586, y: 690 } },
  'cartoon-alpaca.jpg': { leftEye: { x: 260, y: 343 }, rightEye: { x: 394, y: 340 }, mouthLeft: { x: 304, y: 406 }, mouthRight: { x: 378, y: 405 }, chin: { x: 341, y: 446 } },
};

/** Speech clips taken in turn, so the fixtures between them cover English, Mandarin and German. */
const CLIPS = ['en-speech-1.wav', 'zh-poem.wav', 'de-speech.wav', 'en-radio.wav', 'en-imagine.wav', 'en-speech-2.wav'];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const secIdx = args.indexOf('--seconds');
  const maxSeconds = secIdx >= 0 ? Number(args.splice(secIdx, 2)[1]) : 7;
  const fastIdx = args.indexOf('--fast');
  const fastName = fastIdx >= 0 ? args.splice(fastIdx, 2)[1] : undefined;
  const fastOnly = args.includes('--fast-only');
  if (fastOnly) args.splice(args.indexOf('--fast-only'), 1);
  const noFast = args.includes('--no-fast');
  if (noFast) args.splice(args.indexOf('--no-fast'), 1);
  const images = fs.readdirSync(path.join(FIXTURES, 'images')).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
  const chosen = images.filter((f) => args.length === 0 || args.some((a) => f.includes(a)));
  fs.mkdirSync(OUT, { recursive: true });
  const deps = defaultPipelineDeps();
  const recognizer = createFaceApiRecognizer();
  const landmarker = createFaceApiRecognizer({ descriptors: false });
  const rows: EvalRow[] = [];
  const fastRows: string[][] = [];
  const started = performance.now();
  for (const image of chosen) {
    const clip = CLIPS[images.indexOf(image) % CLIPS.length];
    const audio = path.join(FIXTURES, 'audio', clip);
    const seconds = Math.min(maxSeconds, Math.floor((readAudioMono(audio).length / 16000) * 10) / 10);
    const name = image.replace(/\.[^.]+$/, '');
    const video = path.join(OUT, `${name}.mp4`);
    if (!fastOnly) {
    const t0 = performance.now();
    const request = { image: path.join(FIXTURES, 'images', image), audio, output: video, durationSeconds: seconds, resizeMode: 'adaptive' as const };
    // Found automatically where a detector finds it; otherwise with the points marked for it.
    const result = await renderVideo(request, deps).catch((err: unknown) => {
      if (!(err instanceof DhError && err.id === 'FACE_NOT_FOUND' && MARKED[image])) throw err;
      return renderVideo({ ...request, facePoints: MARKED[image] }, deps);
    });
    const renderMs = performance.now() - t0;
    const rendered = { video, width: result.width, height: result.height, fps: result.fps, faceBox: result.faceBox };
    const m: VideoMeasures = await measureVideo(rendered, path.join(FIXTURES, 'images', image), recognizer);
    await writeContactSheet(path.join(OUT, `${name}.png`), `${image} + ${clip} (${seconds}s)`, rendered, m);
    const mouthSpeech = result.face ? await mouthSpeechCorrelation(video, result.width, result.height, result.fps, mouthAndForehead(result.face, result.faceBox)) : undefined;
    const row = summarize(name, clip, result.faceFound, result.faceBox.width, m, renderMs, performance.now() - t0 - renderMs, result.face?.method ?? 'facemesh', mouthSpeech);
    rows.push(row);
    process.stderr.write(`${name}: rendered in ${(renderMs / 1000).toFixed(1)} s, measured in ${(row.measureMs / 1000).toFixed(1)} s\n`);
    }
    // The fast sentence: the mouth must keep up at 8 syllables a second.
    if (noFast) continue;
    const fast = FAST_CLIPS.find((c) => c.name === fastName) ?? FAST_CLIPS[(images.indexOf(image) + 1) % FAST_CLIPS.length];
    const fastAudio = fastSpeech(fast, path.join(FIXTURES, 'audio'), OUT);
    const fastVideo = path.join(OUT, `${name}-${fast.name}.mp4`);
    const fastRequest = { image: path.join(FIXTURES, 'images', image), audio: fastAudio, output: fastVideo, durationSeconds: Math.min(4, Math.floor((readAudioMono(fastAudio).length / 16000) * 10) / 10), resizeMode: 'adaptive' as const };
    const fr = await renderVideo(fastRequest, deps).catch((err: unknown) => {
      if (!(err instanceof DhError && err.id === 'FACE_NOT_FOUND' && MARKED[image])) throw err;
      return renderVideo({ ...fastRequest, facePoints: MARKED[image] }, deps);
    });
    if (fr.face) {
      const boxes = mouthAndForehead(fr.face, fr.faceBox);
      const boxR = await mouthSpeechCorrelation(fastVideo, fr.width, fr.height, fr.fps, boxes);
      const lips = await lipOpening(fastVideo, fr.width, fr.height, fr.fps, fr.faceBox, landmarker);
      await writeMouthStrip(path.join(OUT, `${name}-mouth.png`), `${image} + ${fast.name}`, fastVideo, fr.width, fr.height, fr.fps, boxes.mouth, lips);
      const seen = Array.from(lips.opening).filter(Number.isFinite);
      fastRows.push([name, fast.name, boxR.toFixed(2), Number.isFinite(lips.r) ? lips.r.toFixed(2) : 'n/a', Number.isFinite(lips.openShare) ? `${(100 * lips.openShare).toFixed(0)} %` : 'n/a',
        seen.length ? `${Math.max(...seen).toFixed(3)}` : 'n/a', `${seen.length}/${lips.opening.length}`]);
      process.stderr.write(`${name}: fast sentence ${fast.name}: box r ${boxR.toFixed(2)}, face-api r ${lips.r.toFixed(2)}, open ${(100 * lips.openShare).toFixed(0)} %\n`);
    }
  }
  if (!fastOnly) {
  fs.writeFileSync(path.join(OUT, 'summary.json'), JSON.stringify(rows, null, 2));
  process.stdout.write(formatTable(rows));
  }
  const fastHead = ['fixture', 'fast clip', 'mouth~speech r', 'face-api lip gap~speech r', `lips apart (gap > ${OPEN_GAP}) in speech`, 'widest gap', 'frames with face'];
  const widths = fastHead.map((h, c) => Math.max(h.length, ...fastRows.map((r) => r[c].length)));
  process.stdout.write(`\nFast sentence (~8 syllables/s; mouth strips in <fixture>-mouth.png):\n${[fastHead, ...fastRows].map((r) => r.map((c, i) => c.padEnd(widths[i])).join(' | ')).join('\n')}\n`);
  process.stdout.write(`\n${rows.length} fixtures in ${((performance.now() - started) / 1000).toFixed(1)} s; contact sheets, videos and summary.json in ${path.relative(process.cwd(), OUT) || OUT}\n`);
}

main().catch((err) => {
  process.stderr.write(`eval:render failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
