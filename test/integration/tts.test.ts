import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DhError } from '../../src/core/errors.js';
import { createSpeechSynthesizer, toNumberedPinyin, festivalSegmentsToEvents, marksToEvents } from '../../src/tts/index.js';
import { schemeString } from '../../src/adapters/festival.js';

const tts = createSpeechSynthesizer();

test('voices: espeak-ng languages with genders, Mandarin pinyin and festival HTS', async () => {
  const voices = await tts.listVoices();
  assert.ok(voices.length > 200, `${voices.length} voices`);
  for (const id of ['espeak:en-us', 'espeak:en-us+f3', 'espeak:cmn-latn-pinyin', 'espeak:ja', 'festival:us_slt_hts']) assert.ok(voices.some((v) => v.id === id), id);
  assert.equal(voices.find((v) => v.id === 'espeak:en-us')?.language, 'en-US');
  assert.equal(voices.find((v) => v.id === 'festival:us_slt_hts')?.gender, 'female');
});

test('espeak-ng: audio with a contiguous phoneme timeline that ends with the audio; speed shortens it', async () => {
  const s = await tts.synthesize('Bob, map it!', 'espeak:en-us');
  assert.equal(s.audio.sampleRate, 22050);
  assert.ok(s.durationSeconds > 0.5 && s.durationSeconds < 2.5);
  assert.equal(s.phonemes[0].start, 0);
  assert.ok(Math.abs(s.phonemes[s.phonemes.length - 1].end - s.durationSeconds) < 1e-9);
  for (let i = 1; i < s.phonemes.length; i++) assert.equal(s.phonemes[i].start, s.phonemes[i - 1].end);
  assert.deepEqual(s.phonemes.filter((p) => p.phoneme !== '_').map((p) => p.phoneme[0]).filter((c) => 'bmp'.includes(c)), ['b', 'b', 'm', 'p']);
  const fast = await tts.synthesize('Bob, map it!', 'espeak:en-us', { speed: 2 });
  assert.ok(fast.durationSeconds < 0.75 * s.durationSeconds);
});

test('Mandarin: Han text goes through numbered pinyin', async () => {
  assert.equal(toNumberedPinyin('你好吗？绿了。'), 'ni3 hao3 ma5? lv4 le5.');
  const s = await tts.synthesize('妈妈', 'espeak:cmn-latn-pinyin');
  assert.deepEqual(s.phonemes.filter((p) => p.phoneme !== '_').map((p) => p.phoneme[0]), ['m', 'ɑ', 'm', 'ɑ']);
});

test('festival HTS: phoneme timings from the Segment relation, in IPA', async () => {
  const s = await tts.synthesize('Pam bought a "map".', 'festival:us_slt_hts');
  assert.equal(s.audio.sampleRate, 32000);
  const ph = s.phonemes.filter((p) => p.phoneme !== '_').map((p) => p.phoneme);
  assert.deepEqual(ph.slice(0, 3), ['p', 'æ', 'm']);
  assert.ok(Math.abs(s.phonemes[s.phonemes.length - 1].end - s.durationSeconds) < 0.02);
});

test('festival diphone (male): timings in IPA, and speed stretches the speech', async () => {
  const voices = await tts.listVoices();
  assert.equal(voices.find((v) => v.id === 'festival:us_kal_diphone')?.gender, 'male');
  const normal = await tts.synthesize('Pam bought a map.', 'festival:us_kal_diphone');
  const ph = normal.phonemes.filter((p) => p.phoneme !== '_').map((p) => p.phoneme);
  assert.deepEqual(ph.slice(0, 3), ['p', 'æ', 'm']);
  const slow = await tts.synthesize('Pam bought a map.', 'festival:us_kal_diphone', { speed: 0.5 });
  assert.ok(slow.durationSeconds > normal.durationSeconds * 1.6, `${slow.durationSeconds} vs ${normal.durationSeconds}`);
});

test('errors: empty text, unknown voice, bad speed come from the catalogue', async () => {
  await assert.rejects(tts.synthesize(' !? ', 'espeak:en'), (e: DhError) => e.id === 'TEXT_EMPTY');
  await assert.rejects(tts.synthesize('hi', 'espeak:xx-nope'), (e: DhError) => e.id === 'VOICE_UNKNOWN' && e.code === 1503);
  await assert.rejects(tts.synthesize('hi', 'espeak:en', { speed: 3 }), (e: DhError) => e.id === 'INVALID_ARGUMENT');
  await assert.rejects(tts.synthesize('x'.repeat(6000), 'espeak:en'), (e: DhError) => e.id === 'TEXT_TOO_LONG');
});

test('timelines: marks become contiguous events, short empty marks fold away, festival names map to IPA', () => {
  const ev = marksToEvents([{ at: 0.1, phoneme: 'm' }, { at: 0.2, phoneme: 'a' }, { at: 0.3, phoneme: '' }, { at: 0.31, phoneme: 'p' }, { at: 0.4, phoneme: '' }], 0.6);
  assert.deepEqual(ev.map((e) => [e.phoneme, e.start, e.end]), [['_', 0, 0.1], ['m', 0.1, 0.2], ['a', 0.2, 0.31], ['p', 0.31, 0.4], ['_', 0.4, 0.6]]);
  assert.deepEqual(festivalSegmentsToEvents([{ name: 'pau', end: 0.1 }, { name: 'hh', end: 0.2 }, { name: 'ay', end: 0.4 }], 0.4).map((e) => e.phoneme), ['_', 'h', 'aɪ']);
  assert.equal(schemeString('say "hi" \\ now'), '"say \\"hi\\" \\\\ now"');
});
