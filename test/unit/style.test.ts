import assert from 'node:assert/strict';
import { test } from 'node:test';
import { styleFromPrompt, NEUTRAL_STYLE } from '../../src/animate/style.js';
import { idleTracks } from '../../src/animate/idle.js';

test('prompts steer motion through keyword cues in English and Chinese', () => {
  assert.deepEqual(styleFromPrompt(undefined), NEUTRAL_STYLE);
  assert.deepEqual(styleFromPrompt('夏日海滩场景 | Summer beach scene').cues, []);
  const calm = styleFromPrompt('Calm, gentle explanation');
  assert.deepEqual(calm.cues, ['calm']);
  assert.ok(calm.motion < 1 && calm.nod < 1);
  const lively = styleFromPrompt('活泼的主播，经常点头');
  assert.deepEqual(lively.cues, ['lively', 'focused', 'nodding']);
  assert.ok(lively.nod > 1 && lively.lookAway < 1);
  const smiling = styleFromPrompt('微笑，亲切');
  assert.deepEqual(smiling.cues, ['smiling']);
  assert.ok(smiling.smile > 0.5);
  assert.equal(styleFromPrompt('calm').smile, 0);
  // Whole words only: "anode" does not ask for nods.
  assert.deepEqual(styleFromPrompt('an anode diagram').cues, []);
});

test('a calm style moves the head less and a curious one looks away more', () => {
  const n = 25 * 120;
  const amp = (t: Float32Array) => Math.max(...t.map(Math.abs));
  const neutral = idleTracks({ fps: 25, frameCount: n, seed: 2 });
  const calm = idleTracks({ fps: 25, frameCount: n, seed: 2, style: styleFromPrompt('calm') });
  assert.ok(amp(calm.headRoll) < 0.7 * amp(neutral.headRoll));
  const curious = idleTracks({ fps: 25, frameCount: n, seed: 2, style: styleFromPrompt('look around, curious') });
  assert.ok(curious.gazeShifts.length > 1.5 * neutral.gazeShifts.length, `${curious.gazeShifts.length} vs ${neutral.gazeShifts.length}`);
});
