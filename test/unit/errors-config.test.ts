import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig, OPTIONS, usesS3 } from '../../src/core/config.js';
import { DhError, ERRORS, toDhError } from '../../src/core/errors.js';

// Details of every kind any message builder reads, so no message prints "undefined".
const SAMPLE = {
  field: 'duration', problem: 'is wrong', fix: 'Do this.', source: 'a.wav', reason: 'r', width: 1, height: 2, aspect: 3, min: 1, max: 2,
  seconds: 3, value: 4, url: 'http://x', limit: 5, program: 'ffmpeg', address: '10.0.0.1', kind: 'private', attempts: 3, avatarId: 7,
  days: 7, example: 'espeak:en-us', expected: 'image', expiredAt: '2026-01-01', got: 'text', head: 'GET', length: 9, method: 'GET',
  path: '/x', range: 'bytes=9-', size: 10, taskId: 1, voice: 'nope', waiting: 2, host: '127.0.0.1', port: 8080,
  setting: 'DH_DATABASE_URL', target: 'postgres://dh:***@127.0.0.1:5432/dh',
};

test('every catalogue entry has a unique code, a valid HTTP status, a meaning and a message', () => {
  const codes = new Set<number>();
  for (const [id, e] of Object.entries(ERRORS)) {
    assert.ok(!codes.has(e.code), `${id} reuses code ${e.code}`);
    codes.add(e.code);
    assert.ok(e.code > 0, id);
    assert.ok(e.http >= 400 && e.http < 600, `${id} http ${e.http}`);
    assert.ok(e.meaning.length > 10, `${id} has no meaning`);
    const msg = e.message(SAMPLE);
    assert.ok(msg.length > 10 && !msg.includes('undefined'), `${id}: ${msg}`);
  }
});

test('input errors say how to fix them', () => {
  for (const [id, e] of Object.entries(ERRORS)) {
    if (e.http !== 400) continue;
    const msg = e.message(SAMPLE);
    assert.match(msg, /(give|use|upload|check|shorten|crop|set|do this|pick|choose|send|retry|try|wait|create|remove|add|request)/i, `${id}: "${msg}" gives no fix`);
  }
});

test('toDhError keeps DhErrors and wraps anything else as INTERNAL', () => {
  const e = new DhError('AUDIO_EMPTY', { source: 'x.wav' });
  assert.equal(toDhError(e), e);
  assert.equal(toDhError(new Error('boom')).id, 'INTERNAL');
  assert.equal(toDhError(Object.assign(new Error('x'), { name: 'AbortError' })).id, 'CANCELLED');
});

test('config: flag beats environment beats default, then it is frozen', () => {
  const c = loadConfig({ '--port': '9001' }, { DH_PORT: '9000', DH_HOST: '::1' });
  assert.equal(c.port, 9001);
  assert.equal(c.host, '::1');
  assert.equal(loadConfig({}, { DH_PORT: '9000' }).port, 9000);
  assert.equal(loadConfig({}, {}).port, OPTIONS.port.default);
  assert.ok(Object.isFrozen(c));
});

test('config: a bad value names the option and its range', () => {
  assert.throws(() => loadConfig({ '--port': 'eighty' }, {}), /port: "eighty" is not a whole number from 0 to 65535/);
});

test('config: scale-out settings that cannot work together are refused at start, naming the setting', () => {
  assert.throws(() => loadConfig({}, { DH_WORKERS: '0' }), /DH_WORKERS: is 0 but DH_REDIS_URL is not set, so no process would render/);
  assert.equal(loadConfig({}, { DH_WORKERS: '0', DH_REDIS_URL: 'redis://127.0.0.1:6379' }).workers, 0);
  assert.throws(() => loadConfig({}, { DH_S3_ENDPOINT: 'http://127.0.0.1:9000', DH_S3_ACCESS_KEY: 'k' }), /DH_S3_SECRET_KEY: is not set, but DH_S3_ENDPOINT, DH_S3_ACCESS_KEY is/);
  const c = loadConfig({}, { DH_S3_ACCESS_KEY: 'k', DH_S3_SECRET_KEY: 's' });
  assert.deepEqual([usesS3(c), c.s3Bucket, c.s3Region, c.s3Endpoint, c.lockSeconds], [true, 'image-digital-human', 'us-east-1', '', 30]);
  assert.equal(usesS3(loadConfig({}, {})), false);
  assert.throws(() => loadConfig({}, { DH_LOCK_SECONDS: '1' }), /lockSeconds: "1" is not a whole number from 2 to 3600/);
});
