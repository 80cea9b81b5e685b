// The pure parts of several speakers in one picture: faces numbered from the left, the speakers'
// shape check, the mix, the framing around all speaking faces, listening motion.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DhError } from '../../src/core/errors.js';
import type { FaceLandmarks, ParamTracks } from '../../src/core/types.js';
import { faceList, numberFaces } from '../../src/analyze/face/index.js';
import { checkSpeakersSpec } from '../../src/pipeline/index.js';
import { parseOrThrow, RenderSpecSchema } from '../../src/spec/index.js';
import { assignFaces } from '../../src/pipeline/speakers.js';
import { mixTracks, MIX_PEAK } from '../../src/encode/mix.js';
import { planGroupLayout } from '../../src/render/group-layout.js';
import { planLayout } from '../../src/render/layout.js';
import { animate, LISTEN, withListening } from '../../src/animate/index.js';

const face = (x: number, y: number, size = 100, method?: FaceLandmarks['method']): FaceLandmarks =>
  ({ points: new Float32Array(956), box: { x, y, width: size, height: size }, score: 0.9, ...(method ? { method } : {}) });

test('faces are numbered left to right by the centre of their boxes, whatever order they were found in', () => {
  const big = face(20, 0, 300), small = face(250, 50, 40), right = face(600, 10, 100, 'facemesh-crop');
  // big's centre is at 170, small's at 270: the big face further left is number 0.
  const n = numberFaces([right, small, big]);
  assert.deepEqual(n, [big, small, right]);
  assert.deepEqual(faceList(n), [
    { index: 0, box: { x: 20, y: 0, width: 300, height: 300 }, method: 'facemesh' },
    { index: 1, box: { x: 250, y: 50, width: 40, height: 40 }, method: 'facemesh' },
    { index: 2, box: { x: 600, y: 10, width: 100, height: 100 }, method: 'facemesh-crop' },
  ]);
});

const errorOf = (fn: () => unknown): DhError => {
  try { fn(); } catch (err) { if (err instanceof DhError) return err; throw err; }
  assert.fail('no error');
};

test('speakers: each names one face by number or points, and no face twice', () => {
  // As the API and the CLI check them: the spec's schema, then the rules it cannot state.
  const names = { speakers: 'speakers', together: 'speakers', audio: 'audio', text: 'text', facePoints: 'facePoints', voice: 'voice' };
  const validateSpeakers = (speakers: unknown[]) => checkSpeakersSpec(parseOrThrow(RenderSpecSchema, { speakers }), false, names);
  assert.match(errorOf(() => validateSpeakers([])).message, /^speakers: Too small/);
  assert.match(errorOf(() => validateSpeakers([{ face: 0, audioUrl: '' }])).message, /^speakers\[0\]\.audioUrl: is required/);
  assert.match(errorOf(() => validateSpeakers([{ audioUrl: 'a.wav' }])).message, /^speakers\[0\]\.face: is missing\. Give the face number \(0 = leftmost face\)/);
  assert.match(errorOf(() => validateSpeakers([{ face: 1.5, audioUrl: 'a.wav' }])).message, /^speakers\.0\.face: /);
  const twice = errorOf(() => validateSpeakers([{ face: 1, audioUrl: 'a.wav' }, { face: 0, audioUrl: 'b.wav' }, { face: 1, audioUrl: 'c.wav' }]));
  assert.equal(twice.code, 1107);
  assert.match(twice.message, /speakers\[2\]\.face names face 1, which speakers\[0\] already speaks for/);
  const points = { leftEye: [10, 10], rightEye: [40, 10], mouthLeft: [18, 40], mouthRight: [32, 40] };
  assert.match(errorOf(() => validateSpeakers([{ face: 0, facePoints: points, audioUrl: 'a.wav' }])).message, /was given together with facePoints/);
  assert.doesNotThrow(() => validateSpeakers([{ face: 0, audioUrl: 'a.wav' }, { facePoints: points, audioUrl: 'b.wav' }]));
});

test('a face number the picture does not have says how many faces were found; the faces no speaker names listen', () => {
  const found = [face(0, 0), face(300, 0), face(600, 0)];
  const e = errorOf(() => assignFaces([{ face: 0, audio: 'a' }, { face: 3, audio: 'b' }], found, 800, 400));
  assert.equal(e.code, 1106);
  assert.equal(e.message, 'speakers[1].face is 3, but 3 faces were found in the image (numbered 0 to 2 from the left) - give a face number below 3, or mark that face with facePoints on the speaker.');
  assert.match(errorOf(() => assignFaces([{ face: 0, audio: 'a' }], [], 800, 400)).message, /is 0, but 0 faces were found in the image - give a face number below 0/);
  const { speaking, listening } = assignFaces([{ face: 2, audio: 'a' }, { face: 0, audio: 'b' }], found, 800, 400);
  assert.deepEqual(speaking, [found[2], found[0]]);
  assert.deepEqual(listening, [found[1]]);
});

test('a found face where a speaker marked one by points is that speaker\'s, not a listener as well', () => {
  const found = [face(0, 0), face(300, 0), face(600, 0)];
  // Points on the face found first (box 0-100): that face speaks, found[2] by number, found[1] listens.
  const points = { leftEye: { x: 30, y: 40 }, rightEye: { x: 70, y: 40 }, mouthLeft: { x: 38, y: 75 }, mouthRight: { x: 62, y: 75 } };
  const { speaking, listening } = assignFaces([{ facePoints: points, audio: 'a' }, { face: 2, audio: 'b' }], found, 800, 400);
  assert.equal(speaking[0].method, 'points');
  assert.deepEqual(speaking[1], found[2]);
  assert.deepEqual(listening, [found[1]]);
});

test('the mix sums the tracks from 0 as long as the longest, and scales down only what would clip', () => {
  const a = Float32Array.from([0.5, 0.5, 0, 0]), b = Float32Array.from([0, 0.25, 0.25]);
  const quiet = mixTracks([a, b], 8000);
  assert.equal(quiet.gain, 1);
  assert.deepEqual(Array.from(quiet.audio.samples), [0.5, 0.75, 0.25, 0]);
  const loud = mixTracks([Float32Array.from([0.9, -0.8]), Float32Array.from([0.9, -0.1])], 8000);
  assert.ok(Math.abs(loud.gain - MIX_PEAK / 1.8) < 1e-6);
  assert.ok(Math.abs(loud.audio.samples[0] - MIX_PEAK) < 1e-6);
  assert.ok(Math.abs(loud.audio.samples[1] + 0.9 * (MIX_PEAK / 1.8)) < 1e-6);
  assert.equal(mixTracks([a], 8000, 6).audio.samples.length, 6);
});

test('adaptive framing keeps every speaking face in the 16:9 window, padding only when they cannot fit the picture', () => {
  const faces = [{ x: 200, y: 30, width: 220, height: 220 }, { x: 750, y: 50, width: 220, height: 220 }];
  const l = planGroupLayout(1126, 661, faces, 'adaptive');
  assert.equal(l.padded, false);
  assert.ok(Math.abs(l.crop.width / l.crop.height - 16 / 9) < 1e-9);
  for (const f of faces) assert.ok(f.x >= l.crop.x && f.x + f.width <= l.crop.x + l.crop.width && f.y >= l.crop.y && f.y + f.height <= l.crop.y + l.crop.height, JSON.stringify(l.crop));
  // Faces at the top and the bottom of a tall narrow picture cannot both fit a 16:9 window inside it.
  const tall = [{ x: 50, y: 50, width: 150, height: 150 }, { x: 400, y: 800, width: 150, height: 150 }];
  const p = planGroupLayout(600, 1000, tall, 'adaptive');
  assert.equal(p.padded, true);
  for (const f of tall) assert.ok(f.x >= p.crop.x && f.x + f.width <= p.crop.x + p.crop.width && f.y >= p.crop.y && f.y + f.height <= p.crop.y + p.crop.height, JSON.stringify(p.crop));
  // One face (or fixedMinSide): as before.
  assert.deepEqual(planGroupLayout(1126, 661, faces.slice(0, 1), 'adaptive'), planLayout(1126, 661, faces[0], 'adaptive'));
  assert.deepEqual(planGroupLayout(1126, 661, faces, 'fixedMinSide'), planLayout(1126, 661, faces[0], 'fixedMinSide'));
});

/** Tracks of a silent face, with speech activity set to 1 on frames [from, to). */
function tracksSpeaking(frameCount: number, from: number, to: number, seed: number): ParamTracks {
  const t = animate({ audio: { samples: new Float32Array(16000 * 4), sampleRate: 16000 }, fps: 25, frameCount, seed });
  const speechActivity = new Float32Array(frameCount);
  speechActivity.fill(1, from, to);
  return { ...t, speechActivity };
}

test('listeners turn their eyes and a little of their head towards whoever speaks, and back; the speaker looks ahead', () => {
  const n = 100;
  const left = tracksSpeaking(n, 20, 60, 1), right = tracksSpeaking(n, 0, 0, 2);
  const [l, r] = withListening([left, right], [{ x: 200, y: 300 }, { x: 900, y: 300 }], 7);
  // The right face listens to the left one: gaze and turn towards image left (negative), while it speaks.
  assert.ok(r.gazeX[55] < right.gazeX[55] - 0.4 * LISTEN.gaze, `gaze ${r.gazeX[55]} vs ${right.gazeX[55]}`);
  assert.ok(r.headYaw[55] < right.headYaw[55] - 0.5 * LISTEN.yawDeg);
  // Before anyone speaks, and long after, nothing is added.
  assert.equal(r.gazeX[10], right.gazeX[10]);
  assert.ok(Math.abs(r.headYaw[99] - right.headYaw[99]) < 0.1 * LISTEN.yawDeg);
  // The speaker itself is unchanged (nobody else speaks), and the speech tracks are never touched.
  assert.deepEqual(l.gazeX, left.gazeX);
  assert.equal(r.jaw, right.jaw);
  assert.equal(r.speechActivity, right.speechActivity);
  // The left face listens to the right one turning to image right (positive).
  const [l2] = withListening([right, left], [{ x: 200, y: 300 }, { x: 900, y: 300 }], 7);
  assert.ok(l2.headYaw[55] > right.headYaw[55] + 0.5 * LISTEN.yawDeg);
  // One face alone: nothing to listen to.
  assert.deepEqual(withListening([left], [{ x: 0, y: 0 }], 7), [left]);
});

test('a face whose track is silent keeps its mouth closed but still blinks and moves', () => {
  const t = animate({ audio: { samples: new Float32Array(16000 * 8), sampleRate: 16000 }, fps: 25, frameCount: 200, seed: 3 });
  assert.equal(Math.max(...t.jaw), 0);
  assert.ok(Math.max(...t.blinkLeft) > 0.9, 'blinks');
  assert.ok(Math.max(...t.headYaw) - Math.min(...t.headYaw) > 0.2, 'moves');
  assert.ok(Math.max(...t.breath) > 0.5, 'breathes');
});
