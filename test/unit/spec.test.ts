// The render specification: the CLI's flags become the same spec the API's param gives, through
// the same schema, and the few derived values (watermark text, face points) come out one way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DhError } from '../../src/core/errors.js';
import { CreateParam } from '../../src/server/schemas.js';
import { readTaskInput } from '../../src/store/task-input.js';
import { RenderSpecSchema, specFromArgs, toFacePoints, watermarkText, WATERMARK_DEFAULT } from '../../src/spec/index.js';

const refused = (f: () => unknown, id: string, field: RegExp) => assert.throws(f, (e: unknown) => e instanceof DhError && e.id === id && field.test(e.message));

test('flags and param give the same spec: "12.5" is a number, the watermark text is shown, points parse as JSON', () => {
  const fromFlags = specFromArgs({
    duration: '12.5', 'resize-mode': 'fixedMinSide', prompt: 'calm', watermark: '数字人',
    'face-points': '{"leftEye":[1,2],"rightEye":[3,4],"mouthLeft":[5,6],"mouthRight":[7,8]}',
  });
  const { imageUrl: _i, audioUrl: _a, ...fromParam } = CreateParam.parse({
    imageUrl: 'https://x/a.png', audioUrl: 'https://x/a.wav', duration: 12.5, resizeMode: 'fixedMinSide', prompt: 'calm',
    watermark: { show: true, content: '数字人' }, facePoints: { leftEye: [1, 2], rightEye: [3, 4], mouthLeft: [5, 6], mouthRight: [7, 8] },
  });
  assert.deepEqual(fromFlags, fromParam);
  assert.deepEqual(specFromArgs({}), { resizeMode: 'adaptive' }, 'without flags: the defaults, no duration (the audio\'s length)');
});

test('bad flags are refused with the flag\'s name, the same limits as the API', () => {
  refused(() => specFromArgs({ duration: '181' }), 'DURATION_OUT_OF_RANGE', /181/);
  refused(() => specFromArgs({ speed: '3' }), 'INVALID_ARGUMENT', /^--speed:/);
  refused(() => specFromArgs({ 'resize-mode': 'stretch' }), 'INVALID_ARGUMENT', /^--resize-mode:.*stretch/);
  refused(() => specFromArgs({ 'face-points': '{"leftEye":[1,2]}' }), 'INVALID_ARGUMENT', /^--face-points\.rightEye: is required/);
  refused(() => specFromArgs({ 'face-points': 'eyes at 1,2' }), 'INVALID_ARGUMENT', /^--face-points: is not JSON/);
  refused(() => specFromArgs({ prompt: 'x'.repeat(2001) }), 'INVALID_ARGUMENT', /^--prompt:/);
  assert.equal(RenderSpecSchema.safeParse({ resizeMode: 'adaptive', duration: 0.5 }).success, false);
});

test('watermark text: shown content trimmed, the default when empty, none when not shown', () => {
  assert.equal(watermarkText({ watermark: { show: true, content: '  AI 生成 ' } }), 'AI 生成');
  assert.equal(watermarkText({ watermark: { show: true, content: '   ' } }), WATERMARK_DEFAULT);
  assert.equal(watermarkText({ watermark: { show: true } }), WATERMARK_DEFAULT);
  assert.equal(watermarkText({ watermark: { show: false, content: 'x' } }), undefined);
  assert.equal(watermarkText({}), undefined);
  assert.deepEqual(toFacePoints({ leftEye: [1, 2], rightEye: [3, 4], mouthLeft: [5, 6], mouthRight: [7, 8], chin: [9, 10] }),
    { leftEye: { x: 1, y: 2 }, rightEye: { x: 3, y: 4 }, mouthLeft: { x: 5, y: 6 }, mouthRight: { x: 7, y: 8 }, chin: { x: 9, y: 10 } });
});

test('--speaker flags give the same speakers as param.speakers; an old flat row with speakers reads as the spec', () => {
  const points = { leftEye: [10, 10], rightEye: [40, 10], mouthLeft: [18, 40], mouthRight: [32, 40] };
  const fromFlags = specFromArgs({ speaker: ['0=left.wav', `${JSON.stringify(points)}=http://127.0.0.1/right.wav`] });
  const fromParam = RenderSpecSchema.parse({ speakers: [{ face: 0, audioUrl: 'left.wav' }, { facePoints: points, audioUrl: 'http://127.0.0.1/right.wav' }] });
  assert.deepEqual(fromFlags, fromParam);
  refused(() => specFromArgs({ speaker: ['left=a.wav'] }), 'INVALID_ARGUMENT', /^--speaker: "left=a.wav" is not <face number>=<audio>/);
  refused(() => specFromArgs({ speaker: Array.from({ length: 7 }, (_, i) => `${i}=a.wav`) }), 'INVALID_ARGUMENT', /^--speaker: /);
  const old = readTaskInput({
    imageUrl: 'http://x/i.jpg', duration: 2, resizeMode: 'adaptive', isNewAvatar: false,
    speakers: [{ face: 1, audioUrl: 'http://x/a.wav', audioKey: 't/uploads/a' }, { facePoints: { leftEye: { x: 10, y: 10 }, rightEye: { x: 40, y: 10 }, mouthLeft: { x: 18, y: 40 }, mouthRight: { x: 32, y: 40 } }, text: 'Hi.', voice: 'espeak:en-us' }],
  });
  assert.deepEqual(old.inputs.speakerAudioKeys, ['t/uploads/a', null]);
  assert.deepEqual(old.spec.speakers, [{ face: 1, audioUrl: 'http://x/a.wav' }, { facePoints: points, text: 'Hi.', voice: 'espeak:en-us' }]);
});
