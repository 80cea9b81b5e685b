import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eyeFits } from '../../src/render/eye-prepare.js';
import { EYE_OUTLINE } from '../../src/render/eye-outline.js';
import { SYNTHETIC, syntheticEye, syntheticRig } from './eye-drawn.js';

/** How far past the rig's image-right corner the fitted eye ends, with ink running on from that corner along the eye line to `reach` px past it. */
function endPastCorner(reach: number): number {
  const { EW } = SYNTHETIC;
  const img = syntheticEye((u, v) => (u >= EW / 2 && u <= EW / 2 + reach && v >= -2 && v <= 1 ? [35, 25, 25] : null));
  const { rig } = eyeFits(img, syntheticRig, {});
  return rig.center.x - syntheticRig.center.x + rig.width / 2 - EW / 2;
}

test('ink past a corner: a wing cut at the reach runs on beyond it; ink that ends there by itself does not (Pearl\'s far eye against the background)', () => {
  const reach = Math.floor(EYE_OUTLINE.reach * SYNTHETIC.EW);
  const before = endPastCorner(reach - 1), at = endPastCorner(reach), wing = endPastCorner(2 * reach);
  // Ending one pixel later moves the end about a pixel, not by the run-on (the old code jumped 10.2 -> 16 px here).
  assert.ok(at - before < 2, `ink ending ${reach - 1} px past the corner: the eye ends ${before.toFixed(1)} px past it; ${reach} px: ${at.toFixed(1)}`);
  // A wing running on past the reach is covered as long again.
  assert.ok(wing - at >= 0.5 * reach, `a wing: ${wing.toFixed(1)} px past the corner, ink ending at the reach: ${at.toFixed(1)}`);
});
