import assert from 'node:assert/strict';
import { test } from 'node:test';
import { strandAt } from '../../src/render/eyes.js';
import { prepareEye } from '../../src/render/eye-prepare.js';
import { luma, SYNTHETIC, syntheticEye, syntheticRig } from './eye-drawn.js';

// Over the lid, from 5 to 10 px above its line: on the eye's left, lashes curling up (dark
// strands 2 px wide every 8 px); on its right, a shadow of the same colour (a shadowed socket).
const { EW, cx, cy } = SYNTHETIC;
const DARK: [number, number, number] = [70, 50, 45];
const picture = () => syntheticEye((u, v, up) => {
  if (Math.abs(u) >= EW / 2 - 3 || v > up - 5 || v <= up - 11) return null;
  return u > 0 || ((Math.round(u) % 8) + 8) % 8 < 2 ? DARK : null;
});
const Y = (rgb: readonly number[]) => 16 + (219 / 255) * luma(rgb[0], rgb[1], rgb[2]);

test('a strand across the lid (a lash, a hair) is told from a shadow by the pixels beside it along the eye', () => {
  const img = picture();
  const w = prepareEye(img, syntheticRig);
  const at = (u: number, v: number) => strandAt(w, cx + u, cy + v, Y([...img.data.subarray(((cy + v) * img.width + cx + u) * 3, ((cy + v) * img.width + cx + u) * 3 + 3)]));
  // 8 px above the lid line: u -8 a strand's column, -12 the skin between two, 12 the shadow.
  const up = (u: number) => Math.round(-8 * Math.sin(Math.PI * (u / EW + 0.5)));
  assert.equal(at(-8, up(-8) - 8), 1);
  assert.ok(at(-12, up(-12) - 8) < 0.1, `skin between strands ${at(-12, up(-12) - 8)}`);
  assert.ok(at(12, up(12) - 8) < 0.1, `shadow ${at(12, up(12) - 8)}`);
});
