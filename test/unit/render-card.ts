// The face card the render pass and kernel tests share: a 240x220 gradient with two eyes, a mouth
// and a head rigged on it, and its warps prepared as the renderer prepares them.
import type { FaceRig, RgbImage } from '../../src/core/types.js';
import { PROFILE_SAMPLES } from '../../src/analyze/face/rig.js';
import { eyeBox } from '../../src/render/eyes.js';
import { prepareEye } from '../../src/render/eye-prepare.js';
import { prepareHead } from '../../src/render/head.js';
import { prepareMouth } from '../../src/render/mouth.js';
import type { FaceWarps } from '../../src/render/warp.js';
import { planesOf, rgbToYuv420 } from '../../src/render/yuv.js';

const flat = (v: number) => new Float32Array(PROFILE_SAMPLES).fill(v);
const lid = (depth: number) => Float32Array.from({ length: PROFILE_SAMPLES }, (_, k) => depth * Math.sin((Math.PI * k) / (PROFILE_SAMPLES - 1)));
const eyeRig = (x: number) => ({ center: { x, y: 60 }, axis: { x: 1, y: 0 }, width: 24, upperLid: lid(-5), lowerLid: lid(4), iris: { u: 0, v: 0, radius: 4 } });

/** A 240x220 gradient card with a face rig: two eyes, a mouth, a head. */
export function card(): { base: RgbImage; rig: FaceRig } {
  const W = 240, H = 220, data = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) { data[3 * i] = 150 + ((i % W) * 7) % 60; data[3 * i + 1] = 120 + (Math.floor(i / W) * 5) % 60; data[3 * i + 2] = 110; }
  return {
    base: { data, width: W, height: H },
    rig: {
      faceBox: { x: 60, y: 20, width: 120, height: 130 },
      mouth: {
        center: { x: 120, y: 100 }, axis: { x: 1, y: 0 }, width: 60, seam: flat(0),
        upperInner: lid(0), lowerInner: lid(0), lipTop: -6, lipBottom: 7, chinDepth: 40, noseHeight: 20, jawHalfWidth: 50,
      },
      eyes: [eyeRig(95), eyeRig(145)],
      head: { center: { x: 120, y: 80 }, axis: { x: 1, y: 0 }, halfWidth: 60, halfHeight: 75, pivot: { x: 120, y: 180 }, chin: { x: 120, y: 140 } },
    },
  };
}

/** The test card's face prepared as the renderer prepares it: its warps and the scene the per-pixel kernels read. */
export function cardScene() {
  const { base, rig } = card();
  const src = planesOf(rgbToYuv420(base.data, 240, 220), 240, 220);
  const mouth = prepareMouth(base, rig.mouth!);
  const eyes = rig.eyes.map((e) => prepareEye(base, e));
  const head = prepareHead(rig.head!, 240, 220);
  const warps: FaceWarps = { mouth, mouthBox: mouth.bounds, eyes, eyeBoxes: eyes.map(eyeBox) };
  return { rig, mouth, eyes, head, warps, scene: { src, warps, head, pivot: rig.head!.pivot } };
}
