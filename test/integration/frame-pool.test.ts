// The render threads of one video (pipeline/frame-pool.ts): the speech animated on one of them is
// the speech animated here, frames come back in order and as one thread draws them, a second
// thread joins a long range only, and a thread that fails fails the render instead of leaving it
// waiting.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { defaultPipelineDeps } from '../../src/adapters/index.js';
import { pickMainFace, rigFromLandmarks } from '../../src/analyze/face/index.js';
import { animate, paramsAt, styleFromPrompt } from '../../src/animate/index.js';
import { loadAudio, loadImage } from '../../src/ingest/index.js';
import { baseFrame } from '../../src/pipeline/index.js';
import { EXTRA_THREAD_MIN_FRAMES, keepFrameThreads, startFramePool, type FrameJob } from '../../src/pipeline/frame-pool.js';
import { backgroundFrame, createFrameRenderer, planLayout, rectToFrame, toFrameCoords } from '../../src/render/index.js';
import { fixtureAudio, fixtureImage } from '../helpers.js';

const deps = defaultPipelineDeps();
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

/** A fixture portrait laid out as the pipeline does, and `seconds` of fixture speech. */
async function scene(picture: string, seconds: number) {
  const sound = await loadAudio(fixtureAudio('en-speech-1.wav'), deps.encoder, undefined, seconds);
  const image = await loadImage(fixtureImage(picture), deps.imageCodec);
  const face = pickMainFace(await deps.faceDetector.detect(image), image.width, image.height)!;
  const layout = planLayout(image.width, image.height, face.box, 'adaptive');
  const base = await baseFrame(deps.imageCodec, image, layout);
  const rig = rigFromLandmarks(toFrameCoords(face.points, layout), rectToFrame(face.box, layout), { teeth: true });
  return { sound, base, rig };
}

test('the pool animates as this thread does and renders every frame in order, as one renderer draws it', async () => {
  const { sound, base, rig } = await scene('photo-woman-smiling.png', 3);
  const input = { audio: sound.audio, fps: 25, frameCount: 50, seed: 4, style: styleFromPrompt('lively') };
  const pool = startFramePool({ workers: 2, buffers: 3 });
  try {
    const expected = animate(input);
    const tracks = await pool.animate(input);
    assert.deepEqual(tracks, expected);
    assert.equal(input.audio.samples.length, 0, 'the samples were handed to the animation thread, not copied');
    const job: FrameJob = { base, rig, overlays: [], tracks };
    const seen: number[] = [], hashes: string[] = [];
    const short = await pool.render(job, backgroundFrame(base), { start: 10, end: 50 }, async (f, data) => { seen.push(f); hashes.push(md5(data)); });
    assert.deepEqual(seen, Array.from({ length: 40 }, (_, i) => 10 + i));
    assert.equal(short.threads, 1, 'a short range is not worth a second thread');
    const one = createFrameRenderer(base, rig, []);
    const out = one.newFrame();
    for (const f of [10, 31, 49]) {
      one.renderInto(out, paramsAt(tracks, f));
      assert.equal(hashes[f - 10], md5(out), `frame ${f}`);
    }
  } finally {
    await pool.close();
  }
});

test('over a long range the second thread joins once the first is ready, and draws as the first does', async () => {
  const { sound, base, rig } = await scene('photo-man-flag.jpg', 21);
  const frames = EXTRA_THREAD_MIN_FRAMES + 375;
  const tracks = animate({ audio: sound.audio, fps: 25, frameCount: frames, seed: 2, style: styleFromPrompt('lively') });
  // The consumer is slow, as x264 is: the first thread alone would keep up, but the second is
  // ready long before the end and is given frames.
  const pool = startFramePool({ workers: 2, buffers: 4 });
  try {
    const hashes: string[] = [];
    const r = await pool.render({ base, rig, overlays: [], tracks }, backgroundFrame(base), { start: 0, end: frames }, async (_f, data) => {
      hashes.push(md5(data));
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    assert.equal(hashes.length, frames);
    assert.equal(r.threads, 2);
    const one = createFrameRenderer(base, rig, []);
    const out = one.newFrame();
    for (let f = 0; f < frames; f += 7) {
      one.renderInto(out, paramsAt(tracks, f));
      assert.equal(hashes[f], md5(out), `frame ${f}`);
    }
  } finally {
    await pool.close();
  }
});

test('a render thread that fails fails the render, and the pool still closes', async () => {
  const pool = startFramePool({ workers: 2, buffers: 3 });
  try {
    // A job whose rig is missing: the threads cannot build a renderer from it.
    const broken = { base: { data: new Uint8Array(12), width: 2, height: 2 }, rig: null, overlays: [], tracks: null } as unknown as FrameJob;
    await assert.rejects(pool.render(broken, new Uint8Array(6), { start: 0, end: 5 }, async () => {}));
  } finally {
    await pool.close();
  }
});

// Bounded: a pool that gave back a thread with a frame in flight left the next one waiting for good.
test('kept threads draw the next video: a pool takes the last one\'s threads and gives back only those that ended it idle', { timeout: 60_000 }, async () => {
  const { sound, base, rig } = await scene('photo-woman-smiling.png', 3);
  const tracks = animate({ audio: sound.audio, fps: 25, frameCount: 60, seed: 3, style: styleFromPrompt('lively') });
  const other = animate({ audio: sound.audio, fps: 25, frameCount: 60, seed: 9, style: styleFromPrompt('calm') });
  const keeper = keepFrameThreads();
  try {
    const first = startFramePool({ workers: 2, buffers: 3 }, keeper);
    await first.render({ base, rig, overlays: [], tracks }, backgroundFrame(base), { start: 0, end: 60 }, async () => {});
    await first.close();
    const kept = keeper.take();
    assert.ok(kept, 'the thread that drew the video is kept');
    keeper.give(kept);
    // The next video, another job on the same thread: drawn as a fresh renderer draws it.
    const second = startFramePool({ workers: 2, buffers: 3 }, keeper);
    const hashes: string[] = [];
    await second.render({ base, rig, overlays: [], tracks: other }, backgroundFrame(base), { start: 0, end: 60 }, async (_f, data) => { hashes.push(md5(data)); });
    await second.close();
    const again = keeper.take();
    assert.equal(again?.threadId, kept.threadId, 'the second video was drawn by the kept thread');
    keeper.give(again!);
    const one = createFrameRenderer(base, rig, []);
    const out = one.newFrame();
    for (const f of [0, 23, 59]) {
      one.renderInto(out, paramsAt(other, f));
      assert.equal(hashes[f], md5(out), `frame ${f} of the second video`);
    }
    // A video that fails (cancelled mid-way) gives back no thread: its state is unknown.
    const third = startFramePool({ workers: 2, buffers: 3 }, keeper);
    const ac = new AbortController();
    await assert.rejects(third.render({ base, rig, overlays: [], tracks }, backgroundFrame(base), { start: 0, end: 60 }, async (f) => { if (f === 5) ac.abort(); }, ac.signal));
    await third.close();
    assert.equal(keeper.take(), null, 'no thread kept from a failed video');
  } finally {
    await keeper.close();
  }
});
