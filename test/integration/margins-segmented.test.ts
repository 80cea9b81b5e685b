// Padded margins on real pictures with the real segmentation model (MediaPipe Selfie on tfjs
// wasm, installed by scripts/setup.mjs): a narrow portrait whose hair runs down both sides of the
// picture gets margins that continue the backdrop, with none of the hair's colour carried out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { defaultPipelineDeps } from '../../src/adapters/index.js';
import { pickMainFace } from '../../src/analyze/face/index.js';
import type { RgbImage } from '../../src/core/types.js';
import { baseFrame } from '../../src/pipeline/index.js';
import { planLayout } from '../../src/render/index.js';
import { fixtureImage } from '../helpers.js';

const deps = defaultPipelineDeps();

/** The middle of a fixture, half as wide as it is tall: too narrow for 16:9. */
async function narrow(name: string): Promise<RgbImage> {
  const file = fixtureImage(name);
  const m = await sharp(file).metadata();
  const w = Math.round(0.5 * m.height!);
  const { data, info } = await sharp(file).extract({ left: Math.round((m.width! - w) / 2), top: 0, width: w, height: m.height! }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

const luma = (d: Uint8Array, i: number) => 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];

test('photo-woman-dark-hair, narrow: the margins are the grey backdrop, not her dark hair smeared sideways', async () => {
  const image = await narrow('photo-woman-dark-hair.png');
  const face = pickMainFace(await deps.faceDetector.detect(image), image.width, image.height)!;
  const layout = planLayout(image.width, image.height, face.box, 'adaptive');
  assert.equal(layout.padded, true);
  const mask = await deps.segmenter!.segment(image);
  assert.ok(mask, 'the segmentation model is installed (scripts/setup.mjs)');
  // The backdrop: the picture's pixels the mask calls backdrop, beside the head.
  let bl = 0, bn = 0;
  for (let y = 0; y < image.height * 0.4; y++) for (let x = 0; x < image.width; x++) {
    const m = mask.data[Math.floor((y * mask.height) / image.height) * mask.width + Math.floor((x * mask.width) / image.width)];
    if (m < 10) { bl += luma(image.data, (y * image.width + x) * 3); bn++; }
  }
  assert.ok(bn > 1000, `${bn} backdrop pixels`);
  const backdrop = bl / bn;
  const withMask = await baseFrame(deps.imageCodec, image, layout, mask);
  const byColour = await baseFrame(deps.imageCodec, image, layout, null);
  const left = Math.round(-layout.crop.x * layout.scale), right = Math.round((image.width - layout.crop.x) * layout.scale);
  assert.ok(left > 100 && right < withMask.width - 100, `margins ${left} and ${withMask.width - right} px`);
  // Every margin pixel 10-100 px out from the picture, on both sides, every row.
  const worst = (f: RgbImage) => {
    let far = 0;
    for (let y = 0; y < f.height; y++) for (const x0 of [left - 100, right + 10]) for (let x = x0; x < x0 + 90; x++) {
      far = Math.max(far, Math.abs(luma(f.data, (y * f.width + x) * 3) - backdrop));
    }
    return far;
  };
  const masked = worst(withMask), coloured = worst(byColour);
  // The hair is some 60 levels darker than the backdrop: a smear of it shows as a dark band.
  assert.ok(masked < 20, `a margin pixel is ${masked.toFixed(0)} levels off the backdrop (${backdrop.toFixed(0)}); by colour alone ${coloured.toFixed(0)}`);
});
