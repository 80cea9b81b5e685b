// What real clients send: "" and null in optional fields mean absent, numbers written as strings
// are numbers, "true"/"false" are booleans; what is really wrong is still refused. Field by
// field on the schemas, then the spec's own request as hand-built clients send it, over HTTP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DhError } from '../../src/core/errors.js';
import { CreateBody, CreateParam, DetailQuery, ListQuery, parseOrThrow } from '../../src/server/schemas.js';
import { API, CREATE, DETAIL, startHarness, uploadFile, type Harness } from './harness.js';
import { fixtureAudio, fixtureImage } from '../helpers.js';

const base = { imageUrl: 'https://cdn.example.com/photo.png', audioUrl: 'https://cdn.example.com/sound.mp3', duration: 10 };
const OPTIONAL_PARAM_FIELDS = ['imageUrl', 'audioUrl', 'resizeMode', 'prompt', 'watermark', 'isNewAvatar', 'avatarId', 'text', 'voice', 'speed', 'callbackUrl', 'facePoints', 'style', 'speakers'] as const;

function refusal(fn: () => unknown): DhError {
  try { fn(); } catch (err) { if (err instanceof DhError) return err; throw err; }
  assert.fail('was accepted');
}

test('every optional field of param: "" and null are the field left out', () => {
  // The list above must be the schema's: a new optional field gets this test too.
  const optional = Object.entries(CreateParam.shape).filter(([, f]) => f.safeParse(undefined).success).map(([k]) => k).sort();
  assert.deepEqual(optional, [...OPTIONAL_PARAM_FIELDS].sort());
  for (const field of OPTIONAL_PARAM_FIELDS) {
    const { [field as string]: _left, ...rest } = base as Record<string, unknown>;
    const without = parseOrThrow(CreateParam, rest);
    for (const empty of ['', null]) {
      assert.deepEqual(parseOrThrow(CreateParam, { ...base, [field]: empty }), without, `${field}: ${JSON.stringify(empty)}`);
    }
  }
  assert.deepEqual(parseOrThrow(CreateParam, { ...base, watermark: { show: true, content: '' } }), { ...parseOrThrow(CreateParam, base), watermark: { show: true } });
  assert.deepEqual(parseOrThrow(CreateBody, { videoName: 'x', thumbnailUrl: '', param: '{}' }), { videoName: 'x', param: '{}' });
  assert.deepEqual(parseOrThrow(CreateBody, { videoName: 'x', thumbnailUrl: null, param: '{}' }), { videoName: 'x', param: '{}' });
});

test('required fields given as "" or null are reported missing, by name', () => {
  for (const empty of ['', null]) {
    assert.match(refusal(() => parseOrThrow(CreateParam, { ...base, duration: empty })).message, /^duration: is required/);
    assert.match(refusal(() => parseOrThrow(CreateBody, { videoName: empty, param: '{}' })).message, /^videoName: is required/);
    assert.match(refusal(() => parseOrThrow(CreateBody, { videoName: 'x', param: empty })).message, /^param: is required/);
    assert.match(refusal(() => parseOrThrow(CreateParam, { ...base, watermark: { show: empty } })).message, /^watermark\.show: is required/);
  }
});

test('numeric fields take numbers written as strings, and nothing else', () => {
  assert.equal(parseOrThrow(CreateParam, { ...base, duration: '10' }).duration, 10);
  assert.equal(parseOrThrow(CreateParam, { ...base, duration: ' 12.5 ' }).duration, 12.5);
  assert.equal(parseOrThrow(CreateParam, { ...base, speed: '1.25' }).speed, 1.25);
  assert.equal(parseOrThrow(CreateParam, { ...base, avatarId: '15342352346' }).avatarId, 15342352346);
  assert.equal(parseOrThrow(DetailQuery, { taskId: '7' }).taskId, 7);
  assert.deepEqual(parseOrThrow(ListQuery, { page: '', pageSize: '5' }), { page: 1, pageSize: 5 });
  for (const bad of ['ten', '10 s', '0x10', '1e400', 'Infinity', 'NaN', '1,5', '--1', '[10]']) {
    const e = refusal(() => parseOrThrow(CreateParam, { ...base, duration: bad }));
    assert.equal(e.code, 1000, bad);
    assert.match(e.message, /^duration: .*expected number/, bad);
  }
  for (const [field, bad] of [['speed', 'fast'], ['avatarId', '12.5'], ['avatarId', 'abc']] as const) {
    assert.match(refusal(() => parseOrThrow(CreateParam, { ...base, [field]: bad })).message, new RegExp(`^${field}: `), `${field} ${bad}`);
  }
  // In range only after conversion: the range check still applies.
  assert.equal(refusal(() => parseOrThrow(CreateParam, { ...base, duration: '181' })).code, 1301);
  assert.equal(refusal(() => parseOrThrow(CreateParam, { ...base, speed: '9' })).code, 1000);
});

test('boolean fields take "true" and "false", and nothing else', () => {
  assert.equal(parseOrThrow(CreateParam, { ...base, isNewAvatar: 'true' }).isNewAvatar, true);
  assert.equal(parseOrThrow(CreateParam, { ...base, isNewAvatar: 'false' }).isNewAvatar, false);
  assert.deepEqual(parseOrThrow(CreateParam, { ...base, watermark: { show: 'false' } }).watermark, { show: false });
  for (const bad of ['yes', '1', 'TRUE ', 'on']) assert.match(refusal(() => parseOrThrow(CreateParam, { ...base, isNewAvatar: bad })).message, /^isNewAvatar: /, bad);
  // Strings stay strings: a prompt of "10" is text.
  assert.equal(parseOrThrow(CreateParam, { ...base, prompt: '10' }).prompt, '10');
});

let h: Harness;
before(async () => { h = await startHarness({ DH_API_KEYS: 'lenient-key', DH_ALLOW_PRIVATE_URLS: '0' }); });
after(async () => { await h.close(); });

test('over HTTP: the spec\'s request with "" fields and a numeric string is accepted and means what it says', async () => {
  const img = await uploadFile(h, fixtureImage('photo-woman-smiling.png'), 'lenient-key', 'p.png');
  const aud = await uploadFile(h, fixtureAudio('zh-bus.wav'), 'lenient-key', 'a.wav');
  assert.equal(img.code, 0); assert.equal(aud.code, 0);
  // Built by hand, as a form builder or a client library with unset fields does.
  const param = `{"imageUrl":"${img.data.url}","audioUrl":"${aud.data.url}","duration":"1.5","prompt":"","isNewAvatar":"false","avatarId":"","watermark":{"show":"true","content":null},"callbackUrl":null}`;
  const r = await h.request('POST', CREATE, { key: 'lenient-key', json: { videoName: 'hand-built', thumbnailUrl: '', param } });
  assert.equal(r.json.code, 0, JSON.stringify(r.json));
  const d = await h.request('GET', `${DETAIL}?taskId=${r.json.data}`, { key: 'lenient-key' });
  assert.equal(d.json.code, 0);
  assert.equal(d.json.data.input.duration, 1.5);
  assert.equal(d.json.data.input.prompt, null);
  assert.equal(d.json.data.input.avatarId, null);
  assert.equal(d.json.data.input.isNewAvatar, false);
  assert.equal(typeof d.json.data.input.watermark, 'string', 'show "true" draws the default watermark');
  // Nothing to render here: the task is removed again.
  const del = await h.request('POST', `${API}/material/single/image/video/delete`, { key: 'lenient-key', json: { taskId: r.json.data } });
  assert.equal(del.json.code, 0);
  // Still refused: a duration that is not a number.
  const bad = await h.request('POST', CREATE, { key: 'lenient-key', json: { videoName: 'x', param: param.replace('"1.5"', '"1.5 seconds"') } });
  assert.equal(bad.json.code, 1000);
  assert.match(bad.json.message, /^param\.duration: /);
});
