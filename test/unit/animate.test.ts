import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blinkShape, blinkTimes, blinkTrack, BLINK } from '../../src/animate/blink.js';

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

test('blinks gather at gaze shifts and keep a natural rate', () => {
  const shifts = Array.from({ length: 12 }, (_, i) => 4 + i * 5);
  const times = blinkTimes(60, 11, shifts);
  const perMinute = times.length;
  assert.ok(perMinute >= 10 && perMinute <= 30, `${perMinute} blinks/min`);
  const atShift = shifts.filter((g) => times.some((t) => Math.abs(t - g - 0.02) < 1e-9)).length;
  assert.ok(atShift >= 4, `only ${atShift} of 12 gaze shifts brought a blink`);
  // Around an evoked blink the eyes do not blink again spontaneously.
  for (const t of times) {
    const evoked = shifts.some((g) => Math.abs(t - g - 0.02) < 1e-9);
    if (!evoked) assert.ok(!times.some((u) => u !== t && shifts.some((g) => Math.abs(u - g - 0.02) < 1e-9) && Math.abs(u - t) < BLINK.saccadeQuietSeconds), `spontaneous blink at ${t} beside an evoked one`);
  }
});
