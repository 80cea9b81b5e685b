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
import { renderVideo, type RenderSpec } from '../src/pipeline/index.js';
import type { FacePointsSpec } from '../src/spec/index.js';
import { measureVideo, type VideoMeasures } from './lib/measure-video.js';
import { writeContactSheet } from './lib/contact-sheet.js';
import { blinkCheck, formatBlinkTable, type BlinkCheck } from './lib/blink-check.js';
import { resolveStyle, rigFromLandmarks } from '../src/analyze/face/index.js';
import { planLayout, rectToFrame, toFrameCoords } from '../src/render/index.js';
import { FAST_CLIPS, fastSpeech } from './lib/fast-speech.js';
import { lipOpening, mouthAndForehead, mouthSpeechCorrelation, OPEN_GAP } from './lib/mouth-motion.js';
import { writeMouthStrip } from './lib/mouth-strip.js';
import { readAudioMono } from './lib/video-io.js';
import { formatTable, summarize, type EvalRow } from './lib/report.js';
import { evalDialogue, formatDialogue, type DialogueRow } from './lib/dialogue.js';

/** Two-person pictures, each with two tracks that take turns (face 0 = the leftmost face). */
const DIALOGUES = [
  { image: 'two-portraits.jpg', tracks: ['dialogue-left.wav', 'dialogue-right.wav'] },
  { image: 'photo-two-people.jpg', tracks: ['dialogue-left.wav', 'dialogue-right.wav'] },
];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.resolve(ROOT, 'test', 'fixtures');
const OUT = path.join(ROOT, 'out', 'eval-render');

/**
 * Faces marked once, for fixtures no detector finds (source pixels, looked up by eye on the
 * picture): the evaluation renders them as a user who marked them would get them.
 */
const MARKED: Record<string, FacePointsSpec> = {
  'animal-cat.jpg': { leftEye: [414, 480], rightEye: [630, 416], mouthLeft: [540, 634], mouthRight: [612, 626], chin: [586, 690] },
  'cartoon-alpaca.jpg': { leftEye: [260, 343], rightEye: [394, 340], mouthLeft: [300, 413], mouthRight: [374, 413], chin: [341, 446] },
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
  const lids: { name: string; check: BlinkCheck }[] = [];
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
    const spec: RenderSpec = { duration: seconds, resizeMode: 'adaptive' };
    const inputs = { image: path.join(FIXTURES, 'images', image), audio };
    // Found automatically where a detector finds it; otherwise with the points marked for it.
    const result = await renderVideo(spec, inputs, deps, { output: video }).catch((err: unknown) => {
      if (!(err instanceof DhError && err.id === 'FACE_NOT_FOUND' && MARKED[image])) throw err;
      return renderVideo({ ...spec, facePoints: MARKED[image] }, inputs, deps, { output: video });
    });
    const renderMs = performance.now() - t0;
    const rendered = { video, width: result.width, height: result.height, fps: result.fps, faceBox: result.faceBox };
    const m: VideoMeasures = await measureVideo(rendered, path.join(FIXTURES, 'images', image), recognizer);
    // The renderer fits the eyes of faces without human teeth (animals, drawings: a photo's style
    // alone has them, as the renderer reads it) to the picture.
    const style = result.face ? resolveStyle(spec.style, result.face).style : 'photo';
    // The eyes as the renderer rigged them (its style laying them out), in frame pixels, for the blink check.
    const eyes = result.face ? (() => {
      const layout = planLayout(m.source.width, m.source.height, result.face.box, 'adaptive');
      return rigFromLandmarks(toFrameCoords(result.face.points, layout), rectToFrame(result.face.box, layout), { style, eyesHidden: result.face.eyesHidden }).eyes;
    })() : [];
    const lid = blinkCheck(rendered, m, eyes, { darkEyes: style !== 'photo', animal: style === 'animal' });
    lids.push({ name, check: lid });
    const strips = lid.strip ? [{ ...lid.strip, title: `one blink, eyes zoomed (shut frame #${lid.frame}): the closed lid should read as skin with a thin lash line` }] : [];
    await writeContactSheet(path.join(OUT, `${name}.png`), `${image} + ${clip} (${seconds}s)`, rendered, m, strips);
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
    const fastSpec: RenderSpec = { duration: Math.min(4, Math.floor((readAudioMono(fastAudio).length / 16000) * 10) / 10), resizeMode: 'adaptive' };
    const fastInputs = { image: path.join(FIXTURES, 'images', image), audio: fastAudio };
    const fr = await renderVideo(fastSpec, fastInputs, deps, { output: fastVideo }).catch((err: unknown) => {
      if (!(err instanceof DhError && err.id === 'FACE_NOT_FOUND' && MARKED[image])) throw err;
      return renderVideo({ ...fastSpec, facePoints: MARKED[image] }, fastInputs, deps, { output: fastVideo });
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
  // Several speakers: `dialogue` on the command line runs only these.
  const dialogues: DialogueRow[] = [];
  if (!fastOnly) {
    for (const d of DIALOGUES.filter((x) => args.length === 0 || args.some((a) => 'dialogue'.includes(a) || x.image.includes(a)))) {
      const row = await evalDialogue(path.join(FIXTURES, 'images', d.image), d.tracks.map((t) => path.join(FIXTURES, 'audio', t)), OUT, deps, createFaceApiRecognizer({ descriptors: false }), 2);
      dialogues.push(row);
      process.stderr.write(`${row.name}: rendered in ${(row.renderMs / 1000).toFixed(1)} s\n`);
    }
    fs.writeFileSync(path.join(OUT, 'summary.json'), JSON.stringify({ portraits: rows.map((r, i) => ({ ...r, lid: lids[i].check.figures })), dialogues: dialogues.map((d) => ({ ...d, faces: d.faces.map(({ gap, ...f }) => f) })) }, null, 2));
    process.stdout.write(formatTable(rows));
    process.stdout.write(formatBlinkTable(lids));
    if (dialogues.length) process.stdout.write(formatDialogue(dialogues));
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
