// Every picture shape renders a clean video. Short videos over many picture sizes (odd, tiny,
// huge, 1:4 to 4:1), face placements (centre, every edge and corner, near the top, partly cut
// off, small and huge) and one to three faces, in both resize modes, through the real pipeline.
// On every frame: the picture away from the face equals the first frame within encoding noise,
// and no frame jumps from the one before. A frame of the wrong size, a plane at the wrong
// offset or a region written outside the frame shows up on every frame after it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp, { type OverlayOptions } from 'sharp';
import { probe } from '../../src/adapters/ffmpeg.js';
import { defaultPipelineDeps } from '../../src/adapters/index.js';
import { DhError } from '../../src/core/errors.js';
import type { FaceLandmarks, Rect, ResizeMode } from '../../src/core/types.js';
import { baseFrame, renderVideo } from '../../src/pipeline/index.js';
import { fixedMinSideSize, planLayout } from '../../src/render/index.js';
import { sharpImageCodec } from '../../src/adapters/image-sharp.js';
import { forEachFrame } from '../../eval/lib/video-io.js';
import { fixtureImage, tempDir, vowelBetweenSilences, writeWav } from '../helpers.js';

const deps = defaultPipelineDeps();
const dir = tempDir('dh-geometry-');
const audio = path.join(dir, 'vowel.wav');
writeWav(audio, vowelBetweenSilences(0.12, 0.4, 0.16), 16000);
const FACE_IMAGE = fixtureImage('photo-woman-smiling.png');

/** The face picture's own landmarks, found once; placed copies get them moved and scaled. */
let faceModel: { face: FaceLandmarks; size: number } | null = null;
async function faceLandmarks(): Promise<{ face: FaceLandmarks; size: number }> {
  if (faceModel) return faceModel;
  const { data, info } = await sharp(FACE_IMAGE).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const [face] = await deps.faceDetector.detect({ data: new Uint8Array(data), width: info.width, height: info.height });
  assert.ok(face, 'the face fixture has a face');
  faceModel = { face, size: info.width };
  return faceModel;
}

/**
 * A textured backdrop (smooth colour waves and a diagonal grid, so a shifted or sheared frame
 * cannot pass as still) with the face picture pasted at `faces` (left, top, side in px; may
 * reach past the edges).
 */
async function composePicture(width: number, height: number, faces: readonly { x: number; y: number; size: number }[], file: string): Promise<void> {
  const bg = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const grid = ((x + y) % 24 < 3 || (x - y + 4800) % 24 < 3) ? -40 : 0;
      bg[i] = 120 + 60 * Math.sin(x / 37) + grid;
      bg[i + 1] = 130 + 50 * Math.cos(y / 29 + x / 91) + grid;
      bg[i + 2] = 110 + 55 * Math.sin((x + 2 * y) / 53) + grid;
    }
  }
  const layers: OverlayOptions[] = [];
  for (const f of faces) {
    const side = Math.max(1, Math.round(f.size));
    // Cut the part outside the picture first: sharp refuses overlays that reach past the edge.
    const left = Math.round(f.x), top = Math.round(f.y);
    const x0 = Math.max(0, -left), y0 = Math.max(0, -top);
    const x1 = Math.min(side, width - left), y1 = Math.min(side, height - top);
    if (x1 <= x0 || y1 <= y0) continue;
    const scaled = await sharp(FACE_IMAGE).removeAlpha().resize(side, side).png().toBuffer();
    const input = await sharp(scaled).extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 }).png().toBuffer();
    layers.push({ input, left: left + x0, top: top + y0 });
  }
  await sharp(bg, { raw: { width, height, channels: 3 } }).composite(layers).png().toFile(file);
}

/** The landmarks of the face picture pasted at (x, y) with side `size`. */
async function placedFace(x: number, y: number, size: number): Promise<FaceLandmarks> {
  const m = await faceLandmarks();
  const k = size / m.size;
  const points = new Float32Array(m.face.points.length);
  for (let i = 0; i < points.length; i += 2) {
    points[i] = x + m.face.points[i] * k;
    points[i + 1] = y + m.face.points[i + 1] * k;
  }
  const b = m.face.box;
  return { points, box: { x: x + b.x * k, y: y + b.y * k, width: b.width * k, height: b.height * k }, score: m.face.score };
}

interface Case {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** Pasted faces; positions as fractions of the free space (0 = left/top edge, 1 = right/bottom). */
  readonly faces: readonly { fx: number; fy: number; size: number }[];
  readonly modes: readonly ResizeMode[];
  /** true: the pipeline's face detector finds the faces (several faces); false: landmarks given. */
  readonly detect?: boolean;
}

const ONE = (fx: number, fy: number, size: number) => [{ fx, fy, size }];
const BOTH: readonly ResizeMode[] = ['adaptive', 'fixedMinSide'];
const CASES: Case[] = [
  { name: 'tall 250x700 (1:2.8), face near the top', width: 250, height: 700, faces: ONE(0.5, 0.02, 200), modes: BOTH },
  { name: 'two standing people 501x700', width: 501, height: 700, faces: [{ fx: 0.05, fy: 0.05, size: 180 }, { fx: 0.95, fy: 0.1, size: 170 }], modes: BOTH, detect: true },
  { name: 'tall 1:3, small face at the bottom edge', width: 200, height: 600, faces: ONE(0.5, 1, 60), modes: BOTH },
  { name: 'tall 1:4, face at the top-left corner', width: 241, height: 964, faces: ONE(0, 0, 150), modes: ['adaptive'] },
  { name: 'wide 3:1, face at the right edge', width: 900, height: 300, faces: ONE(1, 0.5, 220), modes: BOTH },
  { name: 'wide 4:1, face at the bottom-right corner', width: 1203, height: 301, faces: ONE(1, 1, 200), modes: ['adaptive'] },
  { name: 'odd tiny 97x131, face filling it', width: 97, height: 131, faces: ONE(0.5, 0.3, 90), modes: BOTH },
  { name: 'tiny square 64x64', width: 64, height: 64, faces: ONE(0.5, 0.5, 60), modes: BOTH },
  { name: 'odd 1281x719, face at the top-right corner', width: 1281, height: 719, faces: ONE(1, 0, 300), modes: BOTH },
  { name: 'odd 333x777, face at the left edge', width: 333, height: 777, faces: ONE(0, 0.4, 160), modes: BOTH },
  { name: 'square, huge face past every edge', width: 400, height: 400, faces: [{ fx: 0.5, fy: 0.5, size: 520 }], modes: BOTH },
  { name: 'large 2001x1501, small face at the bottom-left corner', width: 2001, height: 1501, faces: ONE(0, 1, 180), modes: BOTH },
  { name: 'landscape, face cut off by the top edge', width: 800, height: 450, faces: [{ fx: 0.3, fy: -0.15, size: 260 }], modes: BOTH },
  // Full-length pictures with the face a quarter of the width near the top, and wide ones, at
  // many odd and even sizes: the scaled picture's edges land on every rounding.
  ...[[250, 700], [251, 703], [180, 540], [301, 451], [377, 1131], [199, 797], [520, 1040], [242, 961], [163, 489]].map(([w, h]): Case =>
    ({ name: `full length ${w}x${h}`, width: w, height: h, faces: ONE(0.45, 0.04, Math.round(0.26 * w)), modes: ['adaptive'] })),
  ...[[700, 250], [999, 333], [1601, 601], [1001, 251]].map(([w, h]): Case =>
    ({ name: `wide ${w}x${h}`, width: w, height: h, faces: ONE(0.3, 0.2, Math.round(0.5 * h)), modes: ['adaptive'] })),
  { name: 'portrait 3:4, three faces in a row', width: 750, height: 1000, faces: [{ fx: 0, fy: 0.3, size: 240 }, { fx: 0.5, fy: 0.35, size: 240 }, { fx: 1, fy: 0.3, size: 240 }], modes: BOTH, detect: true },
];

/** Frame rectangle around a face where the picture may move: the head, and the shoulders that breathe. */
function movingArea(face: Rect): Rect {
  const cx = face.x + face.width / 2;
  const half = 1.5 * Math.max(face.width, face.height);
  return { x: cx - half, y: face.y - 0.6 * face.height, width: 2 * half, height: 2.6 * face.height };
}

interface FrameStats {
  /** Mean |luma - frame 0's| away from the face. */
  readonly stillDiff: number;
  /** Share of the pixels away from the face more than 24 levels off frame 0's. */
  readonly stillOutliers: number;
  /** Share of all pixels more than 32 levels off the previous frame's: a talking mouth is a few percent at most. */
  readonly jump: number;
}

/** Luma differences of every frame: against frame 0 outside `moving`, and against the previous frame everywhere. */
async function frameStats(video: string, width: number, height: number, moving: Rect): Promise<FrameStats[]> {
  const luma = (rgb: Uint8Array, i: number) => 0.2126 * rgb[3 * i] + 0.7152 * rgb[3 * i + 1] + 0.0722 * rgb[3 * i + 2];
  const n = width * height;
  const first = new Float32Array(n), prev = new Float32Array(n);
  const stats: FrameStats[] = [];
  const outside = new Uint8Array(n);
  let outsideCount = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = x < moving.x || x >= moving.x + moving.width || y < moving.y || y >= moving.y + moving.height;
      outside[y * width + x] = o ? 1 : 0;
      if (o) outsideCount++;
    }
  }
  await forEachFrame(video, width, height, (rgb, index) => {
    let still = 0, outliers = 0, jump = 0;
    for (let i = 0; i < n; i++) {
      const l = luma(rgb, i);
      if (index === 0) first[i] = l;
      if (outside[i]) {
        const d = Math.abs(l - first[i]);
        still += d;
        if (d > 24) outliers++;
      }
      if (index > 0 && Math.abs(l - prev[i]) > 32) jump++;
      prev[i] = l;
    }
    stats.push({ stillDiff: outsideCount ? still / outsideCount : 0, stillOutliers: outsideCount ? outliers / outsideCount : 0, jump: jump / n });
  });
  return stats;
}

for (const c of CASES) {
  for (const mode of c.modes) {
    test(`geometry: ${c.name}, ${mode}`, async () => {
      const image = path.join(dir, `${c.width}x${c.height}-${c.faces.length}.png`);
      // fx/fy place the face box between flush left/top (0) and flush right/bottom (1).
      const placed = c.faces.map((f) => ({ x: f.fx * (c.width - f.size), y: f.fy * (c.height - f.size), size: f.size }));
      if (!fs.existsSync(image)) await composePicture(c.width, c.height, placed, image);
      const face = c.detect ? undefined : await placedFace(placed[0].x, placed[0].y, placed[0].size);
      const out = path.join(dir, `out-${c.width}x${c.height}-${mode}.mp4`);
      const result = await renderVideo({ resizeMode: mode }, { image, audio, face }, deps, { output: out, seed: 7 });
      if (c.detect) assert.equal(result.faceFound, true, 'the detector finds a face among the pasted ones');

      const size = mode === 'adaptive' ? { width: 1280, height: 720 } : fixedMinSideSize(c.width, c.height);
      const info = await probe(out);
      const v = info.streams.find((s) => s.codec_type === 'video')!;
      assert.deepEqual({ width: v.width, height: v.height }, size);
      assert.equal(Number(v.nb_frames), result.frameCount);

      const stats = await frameStats(out, size.width, size.height, movingArea(result.faceBox));
      assert.equal(stats.length, result.frameCount, 'every frame decodes');
      stats.forEach((s, f) => {
        assert.ok(s.stillDiff < 1.5, `frame ${f}: the picture away from the face differs from frame 0 by ${s.stillDiff.toFixed(2)} on average`);
        assert.ok(s.stillOutliers < 0.002, `frame ${f}: ${(100 * s.stillOutliers).toFixed(2)} % of the pixels away from the face changed by more than 24 levels`);
        assert.ok(s.jump < 0.05, `frame ${f}: ${(100 * s.jump).toFixed(1)} % of the frame changed by more than 32 levels from the frame before`);
      });
    });
  }
}

test('geometry: the base frame is exactly the layout\'s size for every picture shape and face box', async () => {
  // Pseudo-random but fixed: sizes from 40 to 2000 px, aspects 1:5 to 5:1, faces anywhere.
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const wrong: string[] = [];
  for (let n = 0; n < 120; n++) {
    const width = 40 + Math.floor(rnd() * 1960), height = Math.max(8, Math.round(width * Math.exp((rnd() - 0.5) * 2 * Math.log(5))));
    const side = (0.05 + rnd() * 0.9) * Math.min(width, height);
    const face = { x: rnd() * (width - side), y: rnd() * (height - side), width: side, height: side * (0.9 + rnd() * 0.4) };
    const layout = planLayout(width, height, face, 'adaptive');
    const img = { data: new Uint8Array(width * height * 3).fill(90), width, height };
    const base = await baseFrame(sharpImageCodec, img, layout).catch((e: Error) => ({ width: -1, height: -1, error: e.message }));
    if (base.width !== layout.width || base.height !== layout.height) wrong.push(`${width}x${height} face ${JSON.stringify(face)} -> ${base.width}x${base.height}`);
  }
  assert.deepEqual(wrong, []);
});

test('geometry: fixedMinSide refuses pictures more elongated than 3:1, naming the aspect', async () => {
  const image = path.join(dir, 'wide-4-1.png');
  await composePicture(1203, 301, [], image);
  await assert.rejects(renderVideo({ resizeMode: 'fixedMinSide' }, { image, audio, face: null }, deps, { output: path.join(dir, 'refused.mp4') }),
    (err: unknown) => err instanceof DhError && err.id === 'IMAGE_ASPECT_UNSUPPORTED');
});

test('geometry: clean up', () => { fs.rmSync(dir, { recursive: true, force: true }); });
