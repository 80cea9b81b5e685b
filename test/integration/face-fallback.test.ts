// The face fallback on real pictures: the face model, OpenCV's cat cascades and CenterNet.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { createHumanFaceDetector } from '../../src/adapters/face-human.js';
import { createFallbackFaceDetector } from '../../src/adapters/face-fallback.js';
import { findObjects } from '../../src/adapters/objects-human.js';
import { EYE_EVIDENCE, eyeEvidence, faceImplausibility, measureFace } from '../../src/analyze/face/plausible.js';
import { eyeCentre, LM } from '../../src/analyze/face/landmarks.js';
import { fitToPicture, quarterTurnsOf, rigFromLandmarks, turnFace, turnImage } from '../../src/analyze/face/index.js';
import { eyeOpenings } from '../../src/analyze/face/rig.js';
import { sharpImageCodec } from '../../src/adapters/image-sharp.js';
import { baseFrame } from '../../src/pipeline/index.js';
import { createFrameRenderer, planLayout, rectToFrame, toFrameCoords } from '../../src/render/index.js';
import type { FaceLandmarks, RgbImage } from '../../src/core/types.js';
import { isLineArt } from '../../src/analyze/face/line-art.js';
import { fixtureImage } from '../helpers.js';

/** A fixture by name, or a file by its absolute path. */
async function load(name: string): Promise<RgbImage> {
  const { data, info } = await sharp(path.isAbsolute(name) ? name : fixtureImage(name)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** A fixture's region, decoded. */
async function crop(name: string, region: { left: number; top: number; width: number; height: number }): Promise<RgbImage> {
  const { data, info } = await sharp(fixtureImage(name)).extract(region).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** The suit portrait through an ffmpeg filter chain `vf`, in a temporary file, decoded. */
async function suitThrough(vf: string): Promise<RgbImage> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-filtered-'));
  try {
    const file = path.join(dir, 'filtered.png');
    const r = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', fixtureImage('photo-man-suit.png'), '-vf', vf, file]);
    assert.equal(r.status, 0, String(r.stderr));
    return await load(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const human = createHumanFaceDetector();
const detector = createFallbackFaceDetector(human);

test('human fixtures: the whole-picture meshes are plausible and found as plain facemesh', async () => {
  for (const name of ['photo-woman-smiling.png', 'painting-mona-lisa.jpg', 'painting-pearl-earring.jpg', 'anime-girl.png', 'photo-two-people.jpg']) {
    const image = await load(name);
    for (const f of await human.detect(image)) assert.equal(faceImplausibility(f, image), null, name);
    const faces = await detector.detect(image);
    assert.ok(faces.length >= 1, name);
    assert.ok(faces.every((f) => f.method === 'facemesh'), name);
    assert.ok(faces.every((f) => !f.animal), `${name}: a person, not an animal`);
  }
});

test('a dog the face model fits is found as facemesh and known to be an animal (no drawn teeth)', async () => {
  const [dog] = await detector.detect(await load('animal-shiba-dog.jpg'));
  assert.equal(dog.method, 'facemesh');
  assert.equal(dog.animal, true);
});

test('a dog\'s face filling the picture, which the face model fits no mesh to, is found from its dark eyes and nose', async () => {
  // The shiba cropped to its face (0.2-0.8 across, 0.15-0.75 down: 307 px square).
  const image = await crop('animal-shiba-dog.jpg', { left: 102, top: 77, width: 307, height: 307 });
  assert.equal((await human.detect(image)).filter((f) => faceImplausibility(f, image) === null).length, 0, 'the face model alone finds it (the test needs a face it misses)');
  const [dog] = await detector.detect(image);
  assert.ok(dog, 'a face');
  assert.equal(dog.method, 'animal-eyes');
  assert.equal(dog.animal, true);
  // Its eyes' centres as seen in the crop: (70, 155) and (203, 152).
  const eyes = LM.irisCenters.map((i) => ({ x: dog.points[2 * i], y: dog.points[2 * i + 1] })).sort((a, b) => a.x - b.x);
  for (const [e, [x, y]] of eyes.map((e, k) => [e, [[70, 155], [203, 152]][k]] as const)) {
    assert.ok(Math.hypot(e.x - x, e.y - y) < 10, `an eye at ${e.x.toFixed(0)},${e.y.toFixed(0)} against ${x},${y}`);
  }
});

test('a dog cut through its brow, whose mesh the face model lays with an eye on its nose, gets its points from its dark eyes and nose', async () => {
  const image = await crop('animal-shiba-dog.jpg', { left: 70, top: 190, width: 307, height: 307 });
  // Its eyes' centres as seen in the crop.
  const truth = [[102, 42], [234, 39]] as const;
  const eyesOf = (f: FaceLandmarks) => LM.eyes.map((e) => eyeCentre(f.points, e));
  const meshes = (await human.detect(image)).filter((f) => faceImplausibility(f, image) === null);
  assert.ok(meshes.some((f) => eyesOf(f).some((e, k) => Math.hypot(e.x - truth[k][0], e.y - truth[k][1]) > 30)), 'the face model alone misplaces an eye (the test needs such a mesh)');
  const [dog] = await detector.detect(image);
  assert.equal(dog.method, 'animal-eyes');
  assert.equal(dog.animal, true);
  eyesOf(dog).forEach((e, k) => assert.ok(Math.hypot(e.x - truth[k][0], e.y - truth[k][1]) < 10, `an eye at ${e.x.toFixed(0)},${e.y.toFixed(0)} against ${truth[k]}`));
});

test('a dog cut tight round its eyes and muzzle, which the object detector calls no animal, is found from the whole picture\'s dark eyes and nose', async () => {
  const image = await crop('animal-shiba-dog.jpg', { left: 100, top: 205, width: 280, height: 260 });
  assert.ok(!(await findObjects(image)).some((o) => o.label === 'dog' || o.label === 'cat'), 'the object detector sees no animal (the test needs such a crop)');
  const [dog] = await detector.detect(image);
  assert.equal(dog?.method, 'animal-eyes');
  // Its eyes' centres as seen in the crop, within a tenth of their distance.
  const truth = [[72, 27], [204, 24]] as const;
  LM.eyes.map((e) => eyeCentre(dog.points, e)).forEach((e, k) => assert.ok(Math.hypot(e.x - truth[k][0], e.y - truth[k][1]) < 13, `an eye at ${e.x.toFixed(0)},${e.y.toFixed(0)} against ${truth[k]}`));
});

test('a large picture is shrunk before the object detector: the dog at 8x (4096 px) is the same box, in source pixels, and still an animal', async () => {
  const small = await load('animal-shiba-dog.jpg');
  const { data, info } = await sharp(small.data, { raw: { width: small.width, height: small.height, channels: 3 } }).resize(small.width * 8, small.height * 8).raw().toBuffer({ resolveWithObject: true });
  const large: RgbImage = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  const dogIn = async (image: RgbImage) => (await findObjects(image)).find((o) => o.label === 'dog');
  const [a, b] = [await dogIn(small), await dogIn(large)];
  assert.ok(a && b, 'a dog at both sizes');
  for (const k of ['x', 'y', 'width', 'height'] as const) {
    assert.ok(Math.abs(b.box[k] - 8 * a.box[k]) < 0.05 * 8 * small.width, `${k}: ${b.box[k].toFixed(0)} at 4096 px against 8 x ${a.box[k].toFixed(0)}`);
  }
  const [dog] = await detector.detect(large);
  assert.equal(dog.animal, true);
});

test('a face filling the picture or cut through the brows (Pearl Earring cropped) is found with room round it, its eyes on its eyes', async () => {
  // Crops and her eyes' centres in them (seen on the picture): tight round her face, missed as
  // it is; through her brows, fitted as it is with a squashed eye, then upside down on her mouth.
  const cases = [
    { region: { left: 309, top: 414, width: 278, height: 278 }, eyes: [[70, 82], [191, 103]] },
    { region: { left: 277, top: 473, width: 343, height: 300 }, eyes: [[103, 27], [224, 40]] },
  ];
  for (const { region, eyes } of cases) {
    const image = await crop('painting-pearl-earring.jpg', region);
    assert.equal((await human.detect(image)).filter((f) => faceImplausibility(f, image) === null).length, 0, 'the face model alone misses it (the test needs such a crop)');
    const [face] = await detector.detect(image);
    assert.equal(face?.method, 'facemesh', JSON.stringify(region));
    LM.eyes.map((e) => eyeCentre(face.points, e)).forEach((e, k) => assert.ok(Math.hypot(e.x - eyes[k][0], e.y - eyes[k][1]) < 12, `an eye at ${e.x.toFixed(0)},${e.y.toFixed(0)} against ${eyes[k]}`));
  }
});

test('a face filling the picture (Mona Lisa cropped close) is fitted with room round it: her mouth on her lips, not above them', async () => {
  const image = await crop('painting-mona-lisa.jpg', { left: 238, top: 219, width: 215, height: 215 });
  // Her inner lips' middle as the whole painting's fit has it, in the crop.
  const lips = { x: 101, y: 180.5 };
  const mouthOf = (f: FaceLandmarks) => ({ x: (f.points[2 * 13] + f.points[2 * 14]) / 2, y: (f.points[2 * 13 + 1] + f.points[2 * 14 + 1]) / 2 });
  const [asIs] = await human.detect(image);
  assert.ok(Math.abs(mouthOf(asIs).y - lips.y) > 10, 'the face model as it is puts the mouth high (the test needs such a crop)');
  const [face] = await detector.detect(image);
  const m = mouthOf(face);
  assert.ok(Math.hypot(m.x - lips.x, m.y - lips.y) < 6, `mouth at ${m.x.toFixed(0)},${m.y.toFixed(0)} against ${lips.x},${lips.y}`);
});

test('a white cat cropped through its brows is no line drawing: its fur\'s shading is in mid-tones', async () => {
  const image = await crop('animal-cat.jpg', { left: 173, top: 351, width: 694, height: 607 });
  assert.equal(isLineArt(image), false);
});

test('a line drawing (the suit portrait traced by ffmpeg\'s edge detector) is found once its strokes are thickened; the photo is no line drawing', async () => {
  const sketch = await suitThrough('format=gray,edgedetect=low=0.1:high=0.3,negate,format=rgb24');
  assert.equal(isLineArt(sketch), true);
  assert.equal(isLineArt(await load('photo-man-suit.png')), false);
  assert.equal((await human.detect(sketch)).length, 0, 'the face model alone now finds the drawing: this test no longer tests the thickening');
  const [face] = await detector.detect(sketch);
  assert.ok(face, 'a face in the drawing');
  // Where the photo's face is: the same eyes, within a tenth of their distance.
  const [photo] = await detector.detect(await load('photo-man-suit.png'));
  const eye = (f: FaceLandmarks, i: number) => ({ x: f.points[2 * i], y: f.points[2 * i + 1] });
  const iod = Math.hypot(eye(photo, LM.eyes[1].upper[0]).x - eye(photo, LM.eyes[0].upper[0]).x, eye(photo, LM.eyes[1].upper[0]).y - eye(photo, LM.eyes[0].upper[0]).y);
  for (const e of LM.eyes) {
    const a = eye(face, e.upper[0]), b = eye(photo, e.upper[0]);
    assert.ok(Math.hypot(a.x - b.x, a.y - b.y) < 0.1 * iod, `eye corner at ${a.x.toFixed(0)},${a.y.toFixed(0)} against ${b.x.toFixed(0)},${b.y.toFixed(0)}`);
  }
});

test('an underexposed, noisy photo: its eyes are judged against its own dark cheeks, not a lit face\'s levels', async () => {
  const dark = await suitThrough('eq=brightness=-0.35:contrast=0.6,noise=alls=25:allf=t:all_seed=7');
  const [mesh] = await human.detect(dark);
  assert.ok(mesh && mesh.score >= EYE_EVIDENCE.sureScore, 'the face model is sure of it');
  const levels = eyeEvidence(mesh, dark);
  assert.ok(levels.some((e) => e.contrast < EYE_EVIDENCE.contrast && e.darker < EYE_EVIDENCE.darker), 'an eye fails the lit-face levels: this test no longer tests the relative rule');
  const faces = await detector.detect(dark);
  assert.equal(faces.length, 1);
  assert.equal(faces[0].method, 'facemesh');
});

/**
 * `name` with thick dark glasses drawn round its eyes, from its own face's landmarks: rims across
 * brow and cheeks; `lens`: the lenses filled with that colour (sunglasses).
 */
async function withGlasses(name: string, lens = 'none'): Promise<RgbImage> {
  const plain = await load(name);
  const [face] = await human.detect(plain);
  const at = (i: number) => ({ x: face.points[2 * i], y: face.points[2 * i + 1] });
  const rims = LM.eyes.map((e) => {
    const a = at(e.upper[0]), b = at(e.upper[e.upper.length - 1]);
    const w = Math.hypot(b.x - a.x, b.y - a.y), cx = (a.x + b.x) / 2, cy = (a.y + b.y) / 2;
    return `<rect x="${cx - 0.95 * w}" y="${cy - 0.6 * w}" width="${1.9 * w}" height="${1.2 * w}" rx="${0.35 * w}" fill="${lens}" fill-opacity="0.93" stroke="#151515" stroke-width="${0.12 * w}"/>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${plain.width}" height="${plain.height}">${rims.join('')}</svg>`;
  const { data, info } = await sharp(Buffer.from(plain.data), { raw: { width: plain.width, height: plain.height, channels: 3 } })
    .composite([{ input: Buffer.from(svg) }]).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

test('thick glasses: a rim across the cheek does not hide the eyes (the cheek\'s level is its median, a very dark eye counts); they still blink', async () => {
  for (const name of ['photo-man-suit.png', 'photo-woman-smiling.png']) {
    const image = await withGlasses(name);
    const faces = await detector.detect(image);
    assert.equal(faces.length, 1, name);
    assert.equal(faces[0].method, 'facemesh', name);
    assert.ok(!faces[0].animal, name);
    assert.ok(!fitToPicture(faces[0], image).eyesHidden, `${name}: clear glasses hide nothing`);
  }
});

test('dark glasses: the face is found, its eyes are hidden and not rigged (no lid drawn over a lens)', async () => {
  for (const name of ['photo-man-suit.png', 'photo-woman-outdoors.jpg']) {
    const image = await withGlasses(name, '#141414');
    const faces = await detector.detect(image);
    assert.equal(faces.length, 1, name);
    const face = fitToPicture(faces[0], image);
    assert.equal(face.eyesHidden, true, name);
    assert.deepEqual(rigFromLandmarks(face.points, face.box, { eyesHidden: face.eyesHidden }).eyes, [], name);
  }
  // The same faces without glasses keep their eyes.
  const plain = await load('photo-man-suit.png');
  const [face] = await detector.detect(plain);
  assert.ok(!fitToPicture(face, plain).eyesHidden);
});

test('a face the picture\'s edge cuts through an eye: found, its eyes hidden (no lid drawn out in the margin); cut beside the eyes, they blink', async () => {
  // The suit portrait (640 px wide; its image-left eye from x 259 to 318, its reach from 235) cut
  // at x 288: through that eye; and at x 150, clear of its reach.
  for (const [x, cut] of [[288, true], [150, false]] as const) {
    const image = await suitThrough(`crop=iw-${x}:ih:${x}:0`);
    const faces = await detector.detect(image);
    assert.equal(faces.length, 1, `cut at ${x}`);
    assert.equal(Boolean(fitToPicture(faces[0], image).eyesHidden), cut, `cut at ${x}`);
  }
});

test('a picture on its side or upside down (its EXIF orientation lost): the face is found where it lies and comes upright with the picture', async () => {
  const plain = await load('photo-man-suit.png');
  const [reference] = await detector.detect(plain);
  // ffmpeg's transpose=1 turns clockwise, 2 anticlockwise; hflip,vflip is a half turn.
  for (const vf of ['transpose=1', 'transpose=2', 'hflip,vflip']) {
    const image = await suitThrough(vf);
    const faces = await detector.detect(image);
    assert.equal(faces.length, 1, vf);
    const turns = quarterTurnsOf(faces[0]);
    assert.equal(turns, { 'transpose=1': 1, 'transpose=2': 3, 'hflip,vflip': 2 }[vf], vf);
    const upright = turnFace(faces[0], turns, image.width, image.height);
    const picture = turnImage(image, turns);
    assert.deepEqual([picture.width, picture.height], [plain.width, plain.height], vf);
    assert.ok(Buffer.from(picture.data).equals(Buffer.from(plain.data)), `${vf}: turned back, the picture is the photo`);
    // Its eyes and mouth corners where the photo's own are: found in the picture turned upright, within 2 % of the eye distance (1.2 % seen).
    const iod = measureFace(reference).eyeDistance;
    for (const i of [LM.eyes[0].upper[0], LM.eyes[1].upper[8], LM.mouthCornerLeft, LM.mouthCornerRight]) {
      const d = Math.hypot(upright.points[2 * i] - reference.points[2 * i], upright.points[2 * i + 1] - reference.points[2 * i + 1]);
      assert.ok(d < 0.02 * iod, `${vf}: landmark ${i} ${d.toFixed(1)} px from the photo's (eye distance ${iod.toFixed(0)})`);
    }
  }
});

test('eyes shut in the picture: a frame the renderer drew with both lids closed is found, its eyes hidden (nothing to blink); open, not', async () => {
  const image = await load('photo-woman-dark-hair.png');
  const [found] = await detector.detect(image);
  const layout = planLayout(image.width, image.height, found.box, 'adaptive');
  const base = await baseFrame(sharpImageCodec, image, layout);
  const renderer = createFrameRenderer(base, rigFromLandmarks(toFrameCoords(found.points, layout), rectToFrame(found.box, layout), { teeth: true }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-shut-'));
  try {
    for (const blink of [0, 1]) {
      const frame = renderer.newFrame();
      renderer.renderInto(frame, { jaw: 0, blinkLeft: blink, blinkRight: blink });
      fs.writeFileSync(path.join(dir, 'f.yuv'), frame);
      const r = spawnSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${layout.width}x${layout.height}`, '-i', path.join(dir, 'f.yuv'),
        '-vf', 'scale=in_color_matrix=bt709:in_range=tv', path.join(dir, 'f.png')]);
      assert.equal(r.status, 0, String(r.stderr));
      const picture = await load(path.join(dir, 'f.png'));
      const [face] = await detector.detect(picture);
      assert.ok(face, `blink ${blink}: a face`);
      assert.equal(Boolean(fitToPicture(face, picture).eyesHidden), blink === 1, `blink ${blink}: openings ${eyeOpenings(face.points).map((o) => o.toFixed(3))}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the fixture cat is found by the fallback, its mouth near the real one', async () => {
  const image = await load('animal-cat.jpg');
  assert.equal((await human.detect(image)).length, 0, 'the face model alone now finds the cat: this test no longer tests the fallback');
  const faces = await detector.detect(image);
  assert.equal(faces.length, 1);
  assert.ok(faces[0].method === 'cat-cascade' || faces[0].method === 'facemesh-crop', faces[0].method);
  const p = faces[0].points;
  const mx = (p[2 * LM.mouthCornerLeft] + p[2 * LM.mouthCornerRight]) / 2, my = (p[2 * LM.mouthCornerLeft + 1] + p[2 * LM.mouthCornerRight + 1]) / 2;
  // Measured by hand: mouth x 540-612 at y 626-634, eyes at (414,480) and (630,416).
  assert.ok(mx > 540 && mx < 612 && my > 600 && my < 660, `mouth at ${mx.toFixed(0)},${my.toFixed(0)}`);
});

test('nothing face-like gives no face: a gradient and a synthetic texture', async () => {
  const w = 480, h = 640;
  const gradient = new Uint8Array(w * h * 3);
  const texture = new Uint8Array(w * h * 3);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      gradient[o] = (x * 255) / w; gradient[o + 1] = (y * 255) / h; gradient[o + 2] = 128;
      // Woven stripes with noise: fabric-like, no eyes anywhere.
      const v = 128 + 60 * Math.sin(x / 6) * Math.sin(y / 9) + 30 * (rnd() - 0.5);
      texture[o] = v; texture[o + 1] = v * 0.8; texture[o + 2] = v * 0.6;
    }
  }
  assert.deepEqual(await detector.detect({ data: gradient, width: w, height: h }), []);
  assert.deepEqual(await detector.detect({ data: texture, width: w, height: h }), []);
});
