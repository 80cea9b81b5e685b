import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DhError } from '../../src/core/errors.js';
import { fixedMinSideSize, planLayout, toFrameCoords } from '../../src/render/layout.js';

test('fixedMinSide keeps the aspect with the short side at 720, both sides even', () => {
  assert.deepEqual(fixedMinSideSize(1000, 500), { width: 1440, height: 720 });
  assert.deepEqual(fixedMinSideSize(500, 1000), { width: 720, height: 1440 });
  assert.deepEqual(fixedMinSideSize(333, 500), { width: 720, height: 1082 });
  assert.deepEqual(fixedMinSideSize(300, 900), { width: 720, height: 2160 });
});

test('fixedMinSide refuses images more elongated than 3:1 with a message that says what to do', () => {
  assert.throws(() => fixedMinSideSize(4000, 200), (err: unknown) => {
    assert.ok(err instanceof DhError);
    assert.equal(err.code, 1103);
    assert.match(err.message, /4000x200/);
    assert.match(err.message, /resizeMode adaptive/);
    return true;
  });
});

test('adaptive: a wide image is cropped to 16:9 around the face, without padding', () => {
  const face = { x: 1500, y: 300, width: 300, height: 300 };
  const l = planLayout(3000, 1000, face, 'adaptive');
  assert.equal(l.width, 1280);
  assert.equal(l.height, 720);
  assert.equal(l.padded, false);
  assert.ok(Math.abs(l.crop.width / l.crop.height - 16 / 9) < 1e-9);
  // The face centre is horizontally centred in the window.
  assert.ok(Math.abs(l.crop.x + l.crop.width / 2 - 1650) < 1e-6);
  const [x, y] = toFrameCoords(new Float32Array([1650, 450]), l);
  assert.ok(Math.abs(x - 640) < 1e-3);
  assert.ok(y > 200 && y < 420, `face centre at y=${y}`);
});

test('adaptive: a portrait whose face would not fit a 16:9 crop is padded instead of cutting the head', () => {
  const face = { x: 100, y: 80, width: 300, height: 340 };
  const l = planLayout(500, 600, face, 'adaptive');
  assert.equal(l.padded, true);
  assert.ok(l.crop.height >= 340 * 1.5 - 1e-6);
  assert.ok(l.crop.x < 0 && l.crop.x + l.crop.width > 500);
  // The image sits in the middle of the frame.
  assert.ok(Math.abs(l.crop.x + l.crop.width / 2 - 250) < 1e-6);
});

test('adaptive: a small face in a big picture is brought closer', () => {
  const face = { x: 900, y: 200, width: 100, height: 100 };
  const l = planLayout(2000, 3000, face, 'adaptive');
  assert.ok(l.crop.height <= 500 + 1e-6, `window ${l.crop.height} tall for a 100 px face`);
  assert.equal(l.padded, false);
});

test('adaptive without a face centres a window in the upper middle', () => {
  const l = planLayout(1920, 1080, null, 'adaptive');
  assert.equal(l.padded, false);
  assert.ok(l.crop.x >= 0 && l.crop.x + l.crop.width <= 1920 + 1e-6);
});

test('adaptive: a portrait whose own 16:9 crop leaves the face room is cropped tighter rather than padded', () => {
  // 800 wide gives a 450 px tall window: 1.67 face heights, room for the head without margins.
  const face = { x: 300, y: 200, width: 230, height: 270 };
  const l = planLayout(800, 1200, face, 'adaptive');
  assert.equal(l.padded, false);
  assert.ok(Math.abs(l.crop.height - 450) < 1e-6, `window ${l.crop.height} tall`);
  assert.ok(l.crop.y <= face.y && l.crop.y + l.crop.height >= face.y + face.height, 'the face is inside the window');
  // Narrower still (1.2 face heights), the head needs margins.
  assert.equal(planLayout(575, 1200, face, 'adaptive').padded, true);
});
