// The `dh` command as a user runs it: JSON result, progress on stderr, clear errors, no stray files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { landmarksFromPoints } from '../../src/analyze/face/index.js';
import { CLI, fixtureAudio, fixtureImage, meanAbsDiff, readFrames, tempDir } from '../helpers.js';

const P = (x: number, y: number) => ({ x, y });

const dh = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });

test('dh render --json prints one JSON line with the video facts and shows progress on stderr', () => {
  const dir = tempDir();
  const out = path.join(dir, 'v.mp4');
  const r = dh('render', '--image', fixtureImage('anime-girl.png'), '--audio', fixtureAudio('zh-poem.wav'), '--out', out,
    '--duration', '1.5', '--watermark', '数字人 demo', '--prompt', 'calm, friendly', '--json');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const json = JSON.parse(lines[0]);
  for (const k of ['video', 'width', 'height', 'fps', 'durationSeconds', 'timings']) assert.ok(k in json, `missing ${k}`);
  assert.equal(json.video, out);
  assert.equal(json.width, 1280);
  assert.equal(json.fps, 25);
  // 1.5 s is 37.5 frames; the video has whole frames, so 38 of them.
  assert.equal(json.durationSeconds, 1.52);
  assert.ok(json.timings.totalMs > 0);
  assert.match(r.stderr, /render \d+%/);
  assert.ok(fs.statSync(out).size > 10_000);
  assert.deepEqual(fs.readdirSync(dir), ['v.mp4'], 'temporary files left behind');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('bad inputs fail with the catalogue code and a fix, and leave no output file', async () => {
  const dir = tempDir();
  const out = path.join(dir, 'bad.mp4');
  const stretched = path.join(dir, 'banner.png');
  await sharp({ create: { width: 900, height: 200, channels: 3, background: '#808080' } }).png().toFile(stretched);
  const notAudio = path.join(dir, 'notes.mp3');
  fs.writeFileSync(notAudio, 'this is text, not sound\n'.repeat(50));
  const cases: [string[], RegExp][] = [
    [['--image', stretched, '--audio', fixtureAudio('zh-bus.wav'), '--resize-mode', 'fixedMinSide'], /error 1103 .*900x200.*resizeMode adaptive/],
    [['--image', fixtureImage('anime-girl.png'), '--audio', path.join(dir, 'missing.wav')], /error 1201 .*not found/],
    [['--image', notAudio, '--audio', fixtureAudio('zh-bus.wav')], /error 1102 .*JPEG, PNG, WebP or HEIC/],
    [['--image', fixtureImage('anime-girl.png'), '--audio', notAudio], /error 1202 .*could not be decoded/],
    [['--image', fixtureImage('anime-girl.png'), '--audio', fixtureAudio('zh-bus.wav'), '--duration', '500'], /error 1301 .*from 1 to 180/],
    // The flags are the API's param fields, checked by the same schema and named as flags.
    [['--image', fixtureImage('anime-girl.png'), '--audio', fixtureAudio('zh-bus.wav'), '--resize-mode', 'stretch'], /error 1000 INVALID_ARGUMENT: --resize-mode: .*"adaptive"\|"fixedMinSide" \(got "stretch"\)/],
    [['--image', fixtureImage('anime-girl.png'), '--audio', fixtureAudio('zh-bus.wav'), '--duration', '10 s'], /error 1000 INVALID_ARGUMENT: --duration: .*\(got "10 s"\)\. Expected: Video length in seconds, 1-180/],
    [['--image', fixtureImage('anime-girl.png'), '--text', 'hello'], /error 1000 INVALID_ARGUMENT: --voice: is required with --text/],
    [['--image', 'ftp://example.invalid/a.png', '--audio', fixtureAudio('zh-bus.wav')], /error 1000 .*unsupported URL scheme/],
  ];
  for (const [args, expected] of cases) {
    const r = dh('render', ...args, '--out', out);
    assert.equal(r.status, 1, `${args.join(' ')} exited ${r.status}`);
    assert.match(r.stderr, expected);
    assert.ok(!fs.existsSync(out), `output written for ${args.join(' ')}`);
  }
  assert.deepEqual(fs.readdirSync(dir).sort(), ['banner.png', 'notes.mp3']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a picture with no face found and none marked is refused with how to mark it; no output file', async () => {
  const dir = tempDir();
  const out = path.join(dir, 'still.mp4');
  const plain = path.join(dir, 'wall.png');
  await sharp({ create: { width: 640, height: 480, channels: 3, background: '#8a7f70' } }).png().toFile(plain);
  const r = dh('render', '--image', plain, '--audio', fixtureAudio('zh-bus.wav'), '--out', out);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /error 1105 FACE_NOT_FOUND: no face was found in the image - mark it: .*--face-points .*param\.facePoints/);
  assert.deepEqual(fs.readdirSync(dir), ['wall.png'], 'no output or temporary file');
  const bad = dh('render', '--image', plain, '--audio', fixtureAudio('zh-bus.wav'), '--out', out, '--face-points', '{"leftEye":[100,100],"rightEye":[200,100],"mouthLeft":[130,300]}');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /error 1000 INVALID_ARGUMENT: --face-points\.mouthRight: is required/);
  const notJson = dh('render', '--image', plain, '--audio', fixtureAudio('zh-bus.wav'), '--out', out, '--face-points', 'eyes at 100,100');
  assert.match(notJson.stderr, /error 1000 INVALID_ARGUMENT: --face-points: is not JSON/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a cat no detector finds talks with --face-points: its mouth opens with the speech and the JSON reports the points', () => {
  const dir = tempDir();
  const out = path.join(dir, 'cat.mp4');
  const points = { leftEye: [414, 480], rightEye: [630, 416], mouthLeft: [540, 634], mouthRight: [612, 626], chin: [586, 690] };
  // A still head (the prompt cue), so what moves is the mouth.
  const r = dh('render', '--image', fixtureImage('animal-cat.jpg'), '--audio', fixtureAudio('zh-bus.wav'), '--out', out, '--json', '--prompt', 'still', '--face-points', JSON.stringify(points));
  assert.equal(r.status, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.equal(json.faceFound, true);
  assert.equal(json.face.method, 'points');
  assert.deepEqual(json.face.points.mouthLeft, [540, 634]);
  // The mouth region (in frame pixels, below the marked corners) changes between a pause and
  // speech far more than a box of the same size on the cheek beside it: the mouth moves, not
  // the head (and not the eyes, which blink).
  // Source pixels to frame pixels: the face box in both.
  const src = landmarksFromPoints({ leftEye: P(414, 480), rightEye: P(630, 416), mouthLeft: P(540, 634), mouthRight: P(612, 626), chin: P(586, 690) }).box;
  const k = json.faceBox.width / src.width;
  const toFrame = (x: number, y: number) => P(json.faceBox.x + (x - src.x) * k, json.faceBox.y + (y - src.y) * k);
  const l = toFrame(540, 634), rr = toFrame(612, 626), w = rr.x - l.x;
  const mouth = { x: Math.round(l.x - 0.1 * w), y: Math.round(Math.min(l.y, rr.y) - 0.2 * w), width: Math.round(1.2 * w), height: Math.round(0.8 * w) };
  const cheek = { ...mouth, x: Math.round(mouth.x - 1.6 * w) };
  const frames = readFrames(out, [0, 20, 30, 40, 50, 60], 1280, 720);
  const change = (box: typeof mouth) => Math.max(...frames.slice(1).map((fr) => meanAbsDiff(frames[0], fr, 1280, 720, box)));
  const m = change(mouth), h = change(cheek);
  assert.ok(m > 8 && m > 3 * h, `mouth region changed by ${m.toFixed(1)}, the cheek by ${h.toFixed(1)}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('audio longer than 180 s needs an explicit duration', () => {
  const dir = tempDir();
  const long = path.join(dir, 'long.wav');
  const r0 = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono', '-t', '185', long]);
  assert.equal(r0.status, 0);
  const r = dh('render', '--image', fixtureImage('anime-girl.png'), '--audio', long, '--out', path.join(dir, 'x.mp4'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /error 1203 .*at most 180 s/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('dh serve on a taken port says which port and how to choose another', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const dir = tempDir();
    const r = spawnSync(process.execPath, [CLI, 'serve', '--port', String(port), '--data-dir', dir], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`error 2005 PORT_IN_USE: cannot listen on 127.0.0.1 port ${port}: it is already in use - .*--port or DH_PORT`));
    fs.rmSync(dir, { recursive: true, force: true });
  } finally {
    blocker.close();
  }
});
