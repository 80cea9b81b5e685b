// `node dist/bench/passes.js [image ...]`: where a frame's rendering time goes. Renders 10 s of
// frames of each portrait (adaptive, lively prompt, the fixture speech) on this thread, once with
// the TypeScript kernels and once with the native ones, and prints each pass's CPU milliseconds
// per frame (thread CPU time; the machine's other load does not count, its cache contention does).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultPipelineDeps } from '../src/adapters/index.js';
import { sharpImageCodec } from '../src/adapters/image-sharp.js';
import { baseFrame } from '../src/pipeline/index.js';
import { pickMainFace, rigFromLandmarks } from '../src/analyze/face/index.js';
import { animate, paramsAt, styleFromPrompt } from '../src/animate/index.js';
import { loadAudio, loadImage } from '../src/ingest/index.js';
import { createFrameRenderer, planLayout, PASSES, rectToFrame, toFrameCoords, type PassClock } from '../src/render/index.js';
import { JS_KERNELS, renderKernels } from '../src/render/kernels.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const images = process.argv.length > 2 ? process.argv.slice(2) : ['photo-man-flag.jpg', 'photo-man-suit.png'];
const frames = 250;
const deps = defaultPipelineDeps();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-passes-'));
const sound = await loadAudio(path.join(FIXTURES, 'audio', 'mixed-long-65s.mp3'), deps.encoder, undefined, frames / 25 + 1);
// CPU time of this process, which renders on this one thread.
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

for (const name of images) {
  const image = await loadImage(path.join(FIXTURES, 'images', name), deps.imageCodec);
  const face = pickMainFace(await deps.faceDetector.detect(image), image.width, image.height);
  if (!face) throw new Error(`no face in ${name}`);
  const layout = planLayout(image.width, image.height, face.box, 'adaptive');
  const base = await baseFrame(sharpImageCodec, image, layout);
  const rig = rigFromLandmarks(toFrameCoords(face.points, layout), rectToFrame(face.box, layout), { teeth: true });
  const tracks = animate({ audio: sound.audio, fps: 25, frameCount: frames, seed: 1, style: styleFromPrompt('lively') });
  console.log(`${name}: face box ${Math.round(rig.faceBox.height)} px high`);
  for (const kernels of [JS_KERNELS, renderKernels()]) {
    const r = createFrameRenderer(base, rig, [], kernels);
    const out = r.newFrame();
    for (let f = 0; f < frames; f++) r.renderInto(out, paramsAt(tracks, f));
    const clock: PassClock = { now: cpuMs, ms: {} };
    const t0 = cpuMs();
    for (let f = 0; f < frames; f++) r.renderInto(out, paramsAt(tracks, f), clock);
    const total = cpuMs() - t0;
    console.log(`  ${kernels.name.padEnd(6)} ${(total / frames).toFixed(2)} ms/frame: ${PASSES.map((p) => `${p} ${((clock.ms[p] ?? 0) / frames).toFixed(2)}`).join(', ')}`);
  }
}
fs.rmSync(work, { recursive: true, force: true });
process.exit(0);
