import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idleTracks, IDLE } from '../../src/animate/idle.js';
import { criticallyDamped } from '../../src/animate/speech/dynamics.js';

const fps = 25;

test('critically damped response: reaches the target without overshoot', () => {
  const step = new Float32Array(100).fill(1);
  // The head's response: tau 0.1 s from rest at 0, four sub-steps per frame (see idle.ts).
  const y = criticallyDamped(step, 1 / fps, 10, 10, { from: 0, subSteps: 4 });
  assert.ok(y.every((v, i) => i === 0 || v >= y[i - 1] - 1e-9), 'not monotone');
  assert.ok(Math.max(...y) <= 1 + 1e-6, `overshoot ${Math.max(...y)}`);
  assert.ok(y[25] > 0.99, `too slow: ${y[25]}`);
  assert.ok(y[1] < 0.3, `too fast: ${y[1]}`);
});

test('idle head motion stays within a few degrees and never repeats exactly', () => {
  const n = fps * 60;
  const t = idleTracks({ fps, frameCount: n, seed: 5 });
  for (const [name, track, limit] of [['yaw', t.headYaw, 3], ['pitch', t.headPitch, 2], ['roll', t.headRoll, 1.5]] as const) {
    const max = Math.max(...track.map(Math.abs));
    assert.ok(max > 0.2 && max <= limit, `${name} amplitude ${max}`);
  }
  // Smooth: no jumps between frames larger than a fraction of a degree.
  for (let f = 1; f < n; f++) assert.ok(Math.abs(t.headYaw[f] - t.headYaw[f - 1]) < 0.3);
  assert.notDeepEqual(idleTracks({ fps, frameCount: 100, seed: 1 }).headYaw, idleTracks({ fps, frameCount: 100, seed: 2 }).headYaw);
});

test('gaze rests on the camera most of the time and looks away now and then', () => {
  const n = fps * 120;
  const t = idleTracks({ fps, frameCount: n, seed: 9 });
  const atCamera = t.gazeX.filter((g, i) => Math.abs(g) < 0.15 && Math.abs(t.gazeY[i]) < 0.15).length / n;
  assert.ok(atCamera > 0.6, `only ${(atCamera * 100).toFixed(0)} % at the camera`);
  assert.ok(Math.max(...t.gazeX.map(Math.abs)) > IDLE.lookAwayReach[0] * 0.8, 'never looks away');
});

test('each stressed syllable gives a nod: the head dips and comes back', () => {
  const n = fps * 4;
  const emphasis = new Float32Array(n);
  emphasis[50] = 1; emphasis[51] = 1;
  const calm = idleTracks({ fps, frameCount: n, seed: 3 });
  const nod = idleTracks({ fps, frameCount: n, seed: 3, emphasis });
  const dip = nod.headPitch.map((v, i) => v - calm.headPitch[i]);
  assert.ok(Math.max(...dip.slice(50, 60)) > 0.5, `nod depth ${Math.max(...dip.slice(50, 60))}`);
  assert.ok(Math.abs(dip[n - 1]) < 0.05, 'head does not come back');
  assert.ok(Math.max(...dip.slice(0, 50).map(Math.abs)) < 1e-6, 'nod before the stress');
});

test('breathing is a slow cycle of about 15 a minute', () => {
  const n = fps * 60;
  const t = idleTracks({ fps, frameCount: n, seed: 4 });
  let crossings = 0;
  for (let f = 1; f < n; f++) if (t.breath[f - 1] < 0 && t.breath[f] >= 0) crossings++;
  assert.ok(crossings >= 12 && crossings <= 16, `${crossings} breaths a minute`);
});
