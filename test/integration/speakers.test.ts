// Two people in one picture, two tracks that take turns, from the command line as a user runs
// it; judged by an independent face model (face-api) on each face: its mouth opens with its own
// speech and stays shut while the other one speaks. The sound is the two tracks mixed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createFaceApiRecognizer } from '../../src/adapters/face-recognition.js';
import { rmsPerFrame } from '../../src/eval-metrics/index.js';
import { measureSpeakers } from '../../eval/lib/speakers.js';
import sharp from 'sharp';
import { readAudioMono, readFrames } from '../../eval/lib/video-io.js';
import { CLI, fixtureAudio, fixtureImage, tempDir } from '../helpers.js';

const dh = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 300_000 });

test('two faces, two turn-taking tracks: each mouth follows only its own speech; the sound is their mix at their own level', async () => {
  const dir = tempDir();
  const out = path.join(dir, 'dialogue.mp4');
  const left = fixtureAudio('dialogue-left.wav'), right = fixtureAudio('dialogue-right.wav');
  const r = dh('render', '--image', fixtureImage('two-portraits.jpg'), '--speaker', `0=${left}`, '--speaker', `1=${right}`, '--out', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout.trim());
  assert.deepEqual(json.faces.map((f: { index: number; method: string }) => [f.index, f.method]), [[0, 'facemesh'], [1, 'facemesh']]);
  assert.ok(json.faces[0].box.x < 512 && json.faces[1].box.x > 512, 'numbered from the left');
  assert.deepEqual(json.speakers.map((s: { face: number; seconds: number }) => [s.face, s.seconds]), [[0, 8.7], [1, 8.5]]);
  // As long as the longest track.
  assert.equal(json.durationSeconds, 8.68);

  const tracks = [readAudioMono(left), readAudioMono(right)];
  const figures = await measureSpeakers(out, json.width, json.height, json.fps, json.speakers.map((s: { frameBox: object }) => s.frameBox), tracks, 16000, createFaceApiRecognizer({ descriptors: false }), 3);
  figures.forEach((f, i) => {
    const said = `face ${i}: r own ${f.ownR.toFixed(2)}, r other ${f.otherR.toFixed(2)}, shut while the other speaks ${(100 * f.shutWhileOther).toFixed(0)} % of ${f.otherFrames}, seen in ${f.seen}`;
    assert.ok(f.seen >= 65, said);
    assert.ok(f.otherFrames >= 20, said);
    assert.ok(f.ownR >= 0.5, said);
    assert.ok(f.otherR < 0, said);
    assert.ok(f.shutWhileOther >= 0.9, said);
  });

  // The mix: as long as the video, never clipped, and each voice at its own level where it speaks alone.
  const mix = readAudioMono(out);
  assert.ok(Math.abs(mix.length / 16000 - json.durationSeconds) < 0.05, `mix ${mix.length / 16000} s`);
  let peak = 0;
  for (const v of mix) peak = Math.max(peak, Math.abs(v));
  assert.ok(peak <= 1, `peak ${peak}`);
  const n = Math.round(json.durationSeconds * json.fps);
  const [rl, rr, rm] = [rmsPerFrame(tracks[0], 16000, json.fps, n), rmsPerFrame(tracks[1], 16000, json.fps, n), rmsPerFrame(mix, 16000, json.fps, n)];
  for (const [own, other, name] of [[rl, rr, 'left'], [rr, rl, 'right']] as const) {
    let sumOwn = 0, sumMix = 0;
    for (let f = 0; f < n; f++) if (own[f] > 0.02 && other[f] === 0) { sumOwn += own[f]; sumMix += rm[f]; }
    assert.ok(sumOwn > 0 && Math.abs(sumMix / sumOwn - 1) < 0.15, `${name} alone: mix level ${(sumMix / sumOwn).toFixed(2)}x its own`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a speaker named by face points: the marked face\'s mouth follows its own track, not the other one', async () => {
  const dir = tempDir();
  const out = path.join(dir, 'marked.mp4');
  const left = fixtureAudio('dialogue-left.wav'), right = fixtureAudio('dialogue-right.wav');
  // The left face as a user marks it (source pixels, read off the picture by face-api's landmarks).
  const points = { leftEye: [206, 260], rightEye: [305, 261], mouthLeft: [223, 372], mouthRight: [290, 374], chin: [258, 429] };
  const r = dh('render', '--image', fixtureImage('two-portraits.jpg'), '--speaker', `${JSON.stringify(points)}=${left}`, '--speaker', `1=${right}`, '--out', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout.trim());
  // Marked faces are numbered after the ones found: the left face found is 0, the marked one 2.
  assert.deepEqual(json.speakers.map((s: { face: number }) => s.face), [2, 1]);
  assert.equal(json.faces.find((f: { index: number }) => f.index === 2).method, 'points');
  const tracks = [readAudioMono(left), readAudioMono(right)];
  const figures = await measureSpeakers(out, json.width, json.height, json.fps, json.speakers.map((s: { frameBox: object }) => s.frameBox), tracks, 16000, createFaceApiRecognizer({ descriptors: false }), 3);
  figures.forEach((f, i) => {
    const said = `${i ? 'face 1' : 'marked face'}: r own ${f.ownR.toFixed(2)}, r other ${f.otherR.toFixed(2)}, shut while the other speaks ${(100 * f.shutWhileOther).toFixed(0)} % of ${f.otherFrames}, seen in ${f.seen}`;
    assert.ok(f.seen >= 65, said);
    assert.ok(f.ownR >= 0.5, said);
    assert.ok(f.otherR < 0, said);
    // Five points lay the lips out closed: this photo's own slightly parted lips (teeth showing)
    // are not found in its pixels, so at rest the marked face shows them as the photo does.
    if (i === 1) assert.ok(f.shutWhileOther >= 0.9, said);
  });
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a group photo stored on its side renders upright, both faces level; faces are reported where they lie in the picture given', async () => {
  const dir = tempDir();
  const sideways = path.join(dir, 'sideways.png');
  await sharp(fixtureImage('two-portraits.jpg')).rotate(90).png().toFile(sideways);
  const out = path.join(dir, 'upright.mp4');
  const r = dh('render', '--image', sideways, '--speaker', `0=${fixtureAudio('dialogue-left.wav')}`, '--speaker', `1=${fixtureAudio('dialogue-right.wav')}`, '--duration', '1', '--out', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout.trim());
  // The picture given is 512 x 1024: its faces lie one above the other there.
  for (const f of json.faces as { box: { x: number; y: number; width: number; height: number } }[]) {
    assert.ok(f.box.x >= 0 && f.box.x + f.box.width <= 512 && f.box.y + f.box.height <= 1024, `face box ${JSON.stringify(f.box)} outside the picture given`);
  }
  assert.ok(json.width > json.height, `${json.width}x${json.height}: framed as the upright picture (two faces side by side)`);
  // The independent face model finds both rendered faces with their eye lines level.
  const [rgb] = readFrames(out, [10], json.width, json.height);
  const faces = await createFaceApiRecognizer({ descriptors: false }).describe(rgb, json.width, json.height);
  assert.equal(faces.length, 2, `${faces.length} faces in the rendered frame`);
  for (const { landmarks: p } of faces) {
    const roll = (Math.atan2(p[2 * 45 + 1] - p[2 * 36 + 1], p[2 * 45] - p[2 * 36]) * 180) / Math.PI;
    assert.ok(Math.abs(roll) < 10, `a rendered eye line is turned ${roll.toFixed(0)} degrees`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('--speaker mistakes are refused with the fix, before or after the faces are counted, leaving no file', () => {
  const dir = tempDir();
  const out = path.join(dir, 'v.mp4');
  const img = fixtureImage('two-portraits.jpg'), a = fixtureAudio('dialogue-left.wav');
  const cases: [string[], RegExp][] = [
    [['--speaker', `0=${a}`, '--speaker', `2=${a}`], /error 1106 SPEAKER_FACE_NOT_FOUND: speakers\[1\]\.face is 2, but 2 faces were found in the image \(numbered 0 to 1 from the left\)/],
    [['--speaker', `left=${a}`], /error 1000 INVALID_ARGUMENT: --speaker: "left=.*" is not <face number>=<audio>\. Write the face number, "=", then the speech file or URL, e\.g\. --speaker 0=left\.wav/],
    [['--speaker', `1=${a}`, '--speaker', `1=${a}`], /error 1107 SPEAKER_FACE_TAKEN: speakers\[1\]\.face names face 1/],
    [['--speaker', `0=${a}`, '--audio', a], /error 1000 INVALID_ARGUMENT: --audio: was given together with --speaker/],
    [['--speaker', '{"leftEye":[1,2]}'], /--speaker: .* has face points but no "=<audio>" after them/],
  ];
  for (const [args, expected] of cases) {
    const r = dh('render', '--image', img, '--out', out, '--duration', '1', ...args);
    assert.equal(r.status, 1, args.join(' '));
    assert.match(r.stderr, expected);
  }
  assert.deepEqual(fs.readdirSync(dir), []);
  fs.rmSync(dir, { recursive: true, force: true });
});
