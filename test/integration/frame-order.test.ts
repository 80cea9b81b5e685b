// A frame is a function of its parameters alone: the render threads each draw an arbitrary
// subset of the frames, and segments of one video are drawn by different processes, so nothing
// a renderer keeps from the frame before may change the next one.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { defaultPipelineDeps } from '../../src/adapters/index.js';
import { pickMainFace, rigFromLandmarks } from '../../src/analyze/face/index.js';
import { animate, paramsAt, styleFromPrompt } from '../../src/animate/index.js';
import { loadAudio, loadImage } from '../../src/ingest/index.js';
import { baseFrame } from '../../src/pipeline/index.js';
import { createFrameRenderer, planLayout, rectToFrame, toFrameCoords } from '../../src/render/index.js';
import { fixtureAudio, fixtureImage } from '../helpers.js';

const deps = defaultPipelineDeps();

for (const portrait of ['photo-woman-smiling.png', 'photo-man-flag.jpg']) {
  test(`${portrait}: every frame is the same drawn forwards, backwards or alone`, async () => {
    const sound = await loadAudio(fixtureAudio('en-speech-1.wav'), deps.encoder, undefined, 4);
    const image = await loadImage(fixtureImage(portrait), deps.imageCodec);
    const face = pickMainFace(await deps.faceDetector.detect(image), image.width, image.height)!;
    const layout = planLayout(image.width, image.height, face.box, 'adaptive');
    const base = await baseFrame(deps.imageCodec, image, layout);
    const rig = rigFromLandmarks(toFrameCoords(face.points, layout), rectToFrame(face.box, layout), { teeth: true });
    const frames = 75;
    const tracks = animate({ audio: sound.audio, fps: 25, frameCount: frames, seed: 1, style: styleFromPrompt('lively') });
    const draw = (order: number[]) => {
      const r = createFrameRenderer(base, rig, []);
      const out = r.newFrame();
      const hashes = new Map<number, string>();
      for (const f of order) { r.renderInto(out, paramsAt(tracks, f)); hashes.set(f, createHash('md5').update(out).digest('hex')); }
      return hashes;
    };
    const forwards = draw([...Array(frames).keys()]);
    const backwards = draw([...Array(frames).keys()].reverse());
    const differ = [...forwards.keys()].filter((f) => forwards.get(f) !== backwards.get(f));
    assert.deepEqual(differ, [], `frames that depend on the order they are drawn in: ${differ.join(', ')}`);
    for (const f of [5, 40, 70]) assert.equal(draw([f]).get(f), forwards.get(f), `frame ${f} drawn alone`);
  });
}
