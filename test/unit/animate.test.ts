import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blinkShape, blinkTimes, blinkTrack, BLINK } from '../../src/animate/blink.js';
import { jawTrack, smoothAttackRelease } from '../../src/animate/jaw.js';
import { loudnessEnvelope } from '../../src/analyze/audio/loudness.js';

test('blink shape: closes in ~100 ms, holds, reopens more slowly', () => {
  assert.equal(blinkShape(0), 0);
  assert.equal(blinkShape(BLINK.closeSeconds), 1);
  assert.equal(blinkShape(BLINK.closeSeconds + BLINK.holdSeconds / 2), 1);
  assert.ok(BLINK.openSeconds > BLINK.closeSeconds);
  assert.equal(blinkShape(BLINK.closeSeconds + BLINK.holdSeconds + BLINK.openSeconds + 0.01), 0);
});

test('blinks: 10-30 a minute, irregular, reproducible from the seed', () => {
  const times = blinkTimes(600, 7);
  const perMinute = times.length / 10;
  assert.ok(perMinute >= 10 && perMinute <= 30, `${perMinute} blinks/min`);
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
  assert.ok(sd / mean > 0.3, `intervals too regular: cv ${sd / mean}`);
  assert.ok(gaps.some((g) => g < 0.6), 'no double blinks in 10 minutes');
  assert.deepEqual(blinkTimes(60, 3), blinkTimes(60, 3));
  assert.notDeepEqual(blinkTimes(60, 3), blinkTimes(60, 4));
  const track = blinkTrack(25, 25 * 60, 7);
  assert.ok(track.some((v) => v === 1) && track.every((v) => v >= 0 && v <= 1));
});

test('attack is faster than release', () => {
  const step = new Float32Array(40).fill(1, 0, 20);
  const y = smoothAttackRelease(step, 0.5, 0.2);
  assert.ok(y[2] > 0.8, `rise after 3 steps ${y[2]}`);
  assert.ok(y[22] > 0.4, `fall after 3 steps ${y[22]}`);
  assert.ok(y[39] < 0.02);
});

test('jaw: closed in silence, open on a loud sound, closed again after it', () => {
  const rate = 16000;
  const samples = new Float32Array(rate * 3);
  for (let i = rate; i < 2 * rate; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / rate) * (1 + 0.5 * Math.sin((2 * Math.PI * 4 * i) / rate));
  for (let i = 0; i < samples.length; i++) samples[i] += 0.0005 * Math.sin(i * 12.9898);
  const jaw = jawTrack(loudnessEnvelope({ samples, sampleRate: rate }), 25, 75);
  assert.ok(Math.max(...jaw.slice(0, 20)) < 0.02, 'moves before the sound');
  assert.ok(Math.max(...jaw.slice(28, 48)) > 0.5, 'does not open on the sound');
  assert.ok(Math.max(...jaw.slice(60)) < 0.02, 'stays open after the sound');
});
