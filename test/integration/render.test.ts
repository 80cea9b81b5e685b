// End to end through the real pipeline: real ffmpeg, sharp and the face model, fixture media.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { probe } from '../../src/adapters/ffmpeg.js';
import { defaultPipelineDeps } from '../../src/adapters/index.js';
import { createFaceApiRecognizer } from '../../src/adapters/face-recognition.js';
import { AI_LABEL, renderVideo } from '../../src/pipeline/index.js';
import type { DhError } from '../../src/core/errors.js';
import { measureFace } from '../../src/analyze/face/plausible.js';
import { fixtureAudio, fixtureImage, meanAbsDiff, readFrames, soundPackets, tempDir, vowelBetweenSilences, writeWav } from '../helpers.js';

const deps = defaultPipelineDeps();

/** The lower-middle part of a face box, where the mouth is. */
const mouthOf = (f: { x: number; y: number; width: number; height: number }) =>
  ({ x: f.x + 0.3 * f.width, y: f.y + 0.62 * f.height, width: 0.4 * f.width, height: 0.3 * f.height });

test('renders a talking portrait: 1280x720 H.264/AAC, 25 fps, equal streams from 0, faststart, mouth moves, background still', async () => {
  const dir = tempDir();
  const audio = path.join(dir, 'vowel.wav');
  writeWav(audio, vowelBetweenSilences(1, 1, 1), 16000);
  const out = path.join(dir, 'out.mp4');
  const stages = new Set<string>();
  const result = await renderVideo({ resizeMode: 'adaptive' }, { image: fixtureImage('photo-woman-outdoors.jpg'), audio }, deps,
    { output: out, onProgress: (stage) => stages.add(stage) });
  assert.equal(result.faceFound, true);
  assert.equal(result.frameCount, 75);
  assert.deepEqual([...stages], ['ingest', 'analyze', 'render', 'encode', 'done']);

  const info = await probe(out);
  const video = info.streams.find((s) => s.codec_type === 'video')!;
  const sound = info.streams.find((s) => s.codec_type === 'audio')!;
  assert.equal(video.codec_name, 'h264');
  assert.equal(video.pix_fmt, 'yuv420p');
  assert.equal(video.width, 1280);
  assert.equal(video.height, 720);
  assert.equal(video.r_frame_rate, '25/1');
  assert.equal(Number(video.nb_frames), 75);
  assert.equal(sound.codec_name, 'aac');
  assert.equal(Number(video.start_time), 0);
  assert.equal(Number(sound.start_time), 0);
  assert.ok(Math.abs(Number(video.duration) - 3) < 1e-6, `video ${video.duration}`);
  assert.ok(Math.abs(Number(sound.duration) - 3) < 0.03, `audio ${sound.duration}`);
  assert.equal(info.format.tags?.comment, AI_LABEL);
  const bytes = fs.readFileSync(out);
  assert.ok(bytes.indexOf('moov') < bytes.indexOf('mdat'), 'moov atom is not before mdat (+faststart)');

  // Frame 12 is in the leading silence, frame 37 in the middle of the vowel.
  const [silent, loud] = readFrames(out, [12, 37], 1280, 720);
  const f = result.faceBox;
  const mouth = mouthOf(f);
  const twiceFace = { x: f.x - f.width / 2, y: f.y - f.height / 2, width: 2 * f.width, height: 2 * f.height };
  const mouthChange = meanAbsDiff(silent, loud, 1280, 720, mouth);
  const backgroundChange = meanAbsDiff(silent, loud, 1280, 720, twiceFace, true);
  assert.ok(mouthChange > 6, `mouth region changed by only ${mouthChange.toFixed(2)}`);
  assert.ok(backgroundChange < 1, `background changed by ${backgroundChange.toFixed(2)}`);
  // The pictures and the sound were encoded apart and put together: nothing of that is left.
  assert.deepEqual(fs.readdirSync(dir).sort(), ['out.mp4', 'vowel.wav']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a sound that fails to encode stops the render before its frames; a cancelled render stops; neither leaves a file behind', async () => {
  const dir = tempDir();
  const audio = path.join(dir, 'vowel.wav');
  writeWav(audio, vowelBetweenSilences(1, 8, 1), 16000);
  // The sound's encoder (AAC, no pictures) writes where it cannot, as a vanished disk would: real ffmpeg fails.
  const soundFails = { ...deps, encoder: { ...deps.encoder, run: (args: readonly string[], opts?: { signal?: AbortSignal; niceness?: number }) =>
    deps.encoder.run(args.includes('aac') && !args.includes('-c:v') ? [...args.slice(0, -1), path.join(dir, 'gone', 'sound.m4a')] : args, opts) } };
  const stages = new Set<string>();
  await assert.rejects(renderVideo({ resizeMode: 'adaptive' }, { image: fixtureImage('photo-woman-outdoors.jpg'), audio }, soundFails,
    { output: path.join(dir, 'failed.mp4'), onProgress: (stage) => stages.add(stage) }),
  (err: DhError) => err.id === 'ENCODE_FAILED' && /gone/.test(err.message));
  assert.ok(!stages.has('encode'), `the frames went on to the end: ${[...stages]}`);
  assert.deepEqual(fs.readdirSync(dir), ['vowel.wav']);

  const cancel = new AbortController();
  await assert.rejects(renderVideo({ resizeMode: 'adaptive' }, { image: fixtureImage('photo-woman-outdoors.jpg'), audio }, deps,
    { output: path.join(dir, 'cancelled.mp4'), signal: cancel.signal, onProgress: (stage, share) => { if (stage === 'render' && share > 0.2) cancel.abort(); } }),
  (err: DhError) => err.id === 'CANCELLED');
  assert.deepEqual(fs.readdirSync(dir), ['vowel.wav']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a duration longer than the audio continues silently with the mouth closed', async () => {
  const dir = tempDir();
  const out = path.join(dir, 'long.mp4');
  const result = await renderVideo({ resizeMode: 'adaptive', duration: 4.5 }, { image: fixtureImage('photo-woman-dark-hair.png'), audio: fixtureAudio('zh-bus.wav') }, deps, { output: out });
  assert.equal(result.frameCount, 113);
  const info = await probe(out);
  for (const s of info.streams) assert.ok(Math.abs(Number(s.duration) - 4.52) < 0.03, `${s.codec_type} lasts ${s.duration}`);
  // The speech ends at 3.4 s. The lips are read by a second, independent face model, so head
  // motion in the silent tail (nods, turns) does not count as mouth motion; a pixel difference
  // would. Frame 20 is a wide "a" that the same measure must see open.
  const frames = [20, 100, 105, 110];
  const gaps: number[] = [];
  for (const rgb of readFrames(out, frames, result.width, result.height)) gaps.push(await innerLipGap(rgb, result.width, result.height));
  const [speaking, ...tail] = gaps;
  assert.ok(speaking > 0.035, `the measure sees no open mouth in speech (inner-lip gap ${speaking.toFixed(3)} of the face height)`);
  for (const [i, g] of tail.entries()) assert.ok(g < 0.025, `frame ${frames[i + 1]}: lips ${g.toFixed(3)} of the face height apart in the silent tail`);
  fs.rmSync(dir, { recursive: true, force: true });
});

const recognizer = createFaceApiRecognizer();

/** Inner-lip opening at the centre of the mouth, as a fraction of the face box height (68-point model: 61-63 over 67-65). */
async function innerLipGap(rgb: Uint8Array, width: number, height: number): Promise<number> {
  const [face] = await recognizer.describe(rgb, width, height);
  assert.ok(face, 'no face found in the rendered frame');
  const p = face.landmarks;
  const pairs = [[61, 67], [62, 66], [63, 65]];
  return pairs.reduce((sum, [u, l]) => sum + Math.hypot(p[2 * u] - p[2 * l], p[2 * u + 1] - p[2 * l + 1]), 0) / pairs.length / face.box.height;
}

test('a duration shorter than the audio cuts it; fixedMinSide keeps the image aspect', async () => {
  const dir = tempDir();
  const out = path.join(dir, 'cut.mp4');
  const result = await renderVideo({ resizeMode: 'fixedMinSide', duration: 2 }, { image: fixtureImage('photo-bw-man-einstein.jpg'), audio: fixtureAudio('en-speech-2.m4a') }, deps, { output: out });
  assert.equal(result.width, 720);
  assert.equal(result.height, 960);
  const info = await probe(out);
  for (const s of info.streams) assert.ok(Math.abs(Number(s.duration) - 2) < 0.03, `${s.codec_type} lasts ${s.duration}`);
  // The sound is AAC already: the video carries its packets as they were (same times, sizes and
  // bytes), not a second encoding.
  const copied = soundPackets(out);
  assert.ok(copied.length >= 90, `${copied.length} sound packets for 2 s`);
  assert.deepEqual(copied, soundPackets(fixtureAudio('en-speech-2.m4a')).slice(0, copied.length));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a portrait stored on its side (EXIF orientation lost) renders upright; its face is reported where it lies in the picture given', async () => {
  const dir = tempDir();
  const sideways = path.join(dir, 'sideways.png');
  await sharp(fixtureImage('photo-woman-dark-hair.png')).rotate(90).png().toFile(sideways);
  const out = path.join(dir, 'upright.mp4');
  const result = await renderVideo({ resizeMode: 'adaptive', duration: 1 }, { image: sideways, audio: fixtureAudio('zh-bus.wav') }, deps, { output: out });
  assert.ok(Math.abs(Math.abs(measureFace(result.face!).roll) - 90) < 10, `reported roll ${measureFace(result.face!).roll.toFixed(0)}`);
  // The independent face model finds the rendered face with its eye line level.
  const [rgb] = readFrames(out, [5], result.width, result.height);
  const [face] = await recognizer.describe(rgb, result.width, result.height);
  assert.ok(face, 'no face in the rendered frame');
  const p = face.landmarks;
  const roll = (Math.atan2(p[2 * 45 + 1] - p[2 * 36 + 1], p[2 * 45] - p[2 * 36]) * 180) / Math.PI;
  assert.ok(Math.abs(roll) < 10, `the rendered eye line is turned ${roll.toFixed(0)} degrees`);
  fs.rmSync(dir, { recursive: true, force: true });
});
