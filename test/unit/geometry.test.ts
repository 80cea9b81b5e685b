import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clamp, clipRect, interp1, intersectRects, normalOf, seededRandom, smoothstep } from '../../src/core/geometry.js';

test('clamp and smoothstep hit their ends and midpoint exactly', () => {
  assert.equal(clamp(5, 0, 1), 1);
  assert.equal(clamp(-5, 0, 1), 0);
  assert.equal(smoothstep(0, 1, -1), 0);
  assert.equal(smoothstep(0, 1, 2), 1);
  assert.equal(smoothstep(0, 1, 0.5), 0.5);
  assert.equal(smoothstep(0, 2, 0.5), 0.15625);
});

test('interp1 interpolates linearly and clamps outside the range', () => {
  const xs = [0, 10, 20], ys = [0, 100, 0];
  assert.equal(interp1(xs, ys, 5), 50);
  assert.equal(interp1(xs, ys, 15), 50);
  assert.equal(interp1(xs, ys, -3), 0);
  assert.equal(interp1(xs, ys, 99), 0);
});

test('rect helpers intersect and clip to whole pixels', () => {
  assert.deepEqual(intersectRects({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 8, width: 10, height: 10 }), { x: 5, y: 8, width: 5, height: 2 });
  assert.equal(intersectRects({ x: 0, y: 0, width: 1, height: 1 }, { x: 2, y: 2, width: 1, height: 1 }), null);
  assert.deepEqual(clipRect({ x: -2.5, y: 3.2, width: 10, height: 100 }, 6, 50), { x: 0, y: 3, width: 6, height: 47 });
});

test('normalOf turns a level axis to point down the screen', () => {
  assert.deepEqual(normalOf({ x: 1, y: 0 }), { x: -0, y: 1 });
});

test('seededRandom is reproducible and spread over [0, 1)', () => {
  const a = seededRandom(42), b = seededRandom(42);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
});
