import assert from 'node:assert/strict';
import { test } from 'node:test';
import { styleFromPrompt, NEUTRAL_STYLE } from '../../src/animate/style.js';
import { IDLE, idleTracks } from '../../src/animate/idle.js';

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

test('prompts in Japanese, Korean, German, Spanish and French steer the same cues; names are not cues', () => {
  assert.deepEqual(styleFromPrompt('落ち着いて、笑顔で話す').cues, ['calm', 'smiling']);
  assert.deepEqual(styleFromPrompt('차분하게 미소').cues, ['calm', 'smiling']);
  assert.deepEqual(styleFromPrompt('ruhig und freundlich, nickend').cues, ['calm', 'nodding', 'smiling']);
  assert.deepEqual(styleFromPrompt('animado, sonriendo').cues, ['lively', 'smiling']);
  assert.deepEqual(styleFromPrompt('sérieux, comme au journal').cues, ['focused']);
  assert.deepEqual(styleFromPrompt('Bob explains taxes').cues, []);
});

test('a cue said not to be wanted is not taken: "no smile" keeps the face from smiling, in every language the cues are read in', () => {
  const none: [string, string[]][] = [
    ['serious, no smile', ['focused']], ['do not smile', []], ["don't nod, calm", ['calm']], ['Smiling, not nodding', ['smiling']],
    // A negated word turns its cue off whatever else says it; other cues of the same word stay.
    ['happy but without smiling', ['lively']],
    ['不要微笑，平静', ['calm']], ['别笑', []], ['笑わないで', []], ['웃지 마세요', []],
    ['ohne Lächeln, ruhig', ['calm']], ['sin sonrisa', []], ['sans sourire', []],
  ];
  for (const [prompt, cues] of none) assert.deepEqual(styleFromPrompt(prompt).cues, cues, prompt);
  assert.equal(styleFromPrompt('serious, no smile').smile, 0);
  // Not negations: the negation ends with its clause or at "and"; 不断/不停 are "keep on", 特别 "especially".
  const kept: [string, string[]][] = [
    ['no smile and calm', ['calm']], ['keep calm and smile', ['calm', 'smiling']],
    ['不断点头', ['nodding']], ['不停地点头，微笑', ['nodding', 'smiling']], ['特别开心', ['lively', 'smiling']],
    ['no head movement', ['still']],
  ];
  for (const [prompt, cues] of kept) assert.deepEqual(styleFromPrompt(prompt).cues, cues, prompt);
});

test('how much of a cue is asked for: "a slight smile" half a smile, "a big smile" more; "very calm" calmer, "slightly lively" less lively', () => {
  const plain = styleFromPrompt('smile').smile;
  for (const p of ['a slight smile', 'smiling a little', '淡淡的微笑', '少し笑顔', '살짝 미소', 'un peu souriant']) assert.equal(styleFromPrompt(p).smile, plain / 2, p);
  for (const p of ['a big smile', '灿烂的笑容']) {
    const s = styleFromPrompt(p).smile;
    assert.ok(s > plain && s <= 1, `${p}: ${s}`);
  }
  const calm = styleFromPrompt('calm').motion, lively = styleFromPrompt('lively').motion;
  assert.ok(styleFromPrompt('very calm').motion < calm && styleFromPrompt('sehr ruhig').motion < calm);
  assert.ok(styleFromPrompt('slightly lively').motion < lively && styleFromPrompt('slightly lively').motion > 1);
  assert.ok(styleFromPrompt('非常活泼').motion > lively);
  // Taken further, a scale stops at none: "very still" is still, not moving the other way.
  assert.ok(styleFromPrompt('very still').motion >= 0 && styleFromPrompt('very still').nod >= 0);
  // A modifier of another cue in another clause changes nothing.
  assert.equal(styleFromPrompt('very calm, smile').smile, plain);
});

test('a sad prompt lowers the head and the eyes; a surprised one raises the brows further', () => {
  const n = 25 * 20;
  const mean = (t: Float32Array) => t.reduce((a, b) => a + b, 0) / t.length;
  const emphasis = Float32Array.from({ length: n }, (_, f) => (f % 25 < 3 ? 1 : 0));
  const neutral = idleTracks({ fps: 25, frameCount: n, seed: 3, emphasis });
  const sad = idleTracks({ fps: 25, frameCount: n, seed: 3, emphasis, style: styleFromPrompt('sad, looking down') });
  assert.deepEqual(styleFromPrompt('悲伤，低头').cues, ['downcast']);
  assert.ok(mean(sad.headPitch) > mean(neutral.headPitch) + 0.8 * IDLE.lowerHeadDeg, `head ${mean(sad.headPitch).toFixed(2)} against ${mean(neutral.headPitch).toFixed(2)} degrees`);
  assert.ok(mean(sad.gazeY) > mean(neutral.gazeY) + 0.8 * IDLE.lowerGaze, 'eyes lowered');
  const surprised = idleTracks({ fps: 25, frameCount: n, seed: 3, emphasis, style: styleFromPrompt('surprised') });
  assert.ok(mean(surprised.browRaise) > 1.5 * mean(neutral.browRaise), `brows ${mean(surprised.browRaise).toFixed(3)} against ${mean(neutral.browRaise).toFixed(3)}`);
  assert.deepEqual(idleTracks({ fps: 25, frameCount: n, seed: 3, emphasis, style: styleFromPrompt('a scene on a beach') }), neutral, 'no cue, no change');
});
