// A video rendered in segments (as separate workers render a long task) and joined must be the
// video rendered whole: the same frames in the same places, no jump at a join, the same sound.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { probe } from '../../src/adapters/ffmpeg.js';
import { defaultPipelineDeps } from '../../src/adapters/index.js';
import { joinSegments, planSegments, planVideo, renderSegment, renderVideo } from '../../src/pipeline/index.js';
import { readAudioMono } from '../../eval/lib/video-io.js';
import { fixtureAudio, fixtureImage, soundPackets, tempDir } from '../helpers.js';

const deps = defaultPipelineDeps();
const W = 320, H = 180;

/** Every frame, small and grey: enough to see a shifted, missing or repeated frame. */
function greyFrames(video: string): Uint8Array[] {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', video, '-vf', `scale=${W}:${H}`, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], { maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, String(r.stderr));
  const frames: Uint8Array[] = [];
  for (let o = 0; o + W * H <= r.stdout.length; o += W * H) frames.push(r.stdout.subarray(o, o + W * H));
  return frames;
}

const psnr = (a: Uint8Array, b: Uint8Array): number => {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2;
  return se === 0 ? 99 : 10 * Math.log10((255 * 255) / (se / a.length));
};
const meanAbs = (a: Uint8Array, b: Uint8Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
};

test('segments rendered apart and joined give the whole video: same frames, no jump at the joins, same sound from 0', async () => {
  const dir = tempDir();
  const spec = { resizeMode: 'adaptive' as const, duration: 6 };
  const inputs = { image: fixtureImage('photo-woman-outdoors.jpg'), audio: fixtureAudio('en-speech-1.wav') };
  const whole = await renderVideo(spec, inputs, deps, { output: path.join(dir, 'whole.mp4') });
  const plan = await planVideo(spec, inputs, deps);
  assert.equal(plan.frameCount, whole.frameCount);
  assert.deepEqual(plan.face.box, whole.face!.box);
  const ranges = planSegments(plan.frameCount, 50);
  assert.deepEqual(ranges, [{ start: 0, end: 50 }, { start: 50, end: 100 }, { start: 100, end: 150 }]);
  // In reverse, each from scratch, with the face the plan found: nothing carries over.
  const files: string[] = [];
  for (const [i, range] of [...ranges.entries()].reverse()) {
    files[i] = path.join(dir, `segment-${i}.mp4`);
    const seg = await renderSegment(spec, { ...inputs, face: plan.face }, deps, range, { output: files[i] });
    assert.equal(seg.frameCount, 150);
    const info = await probe(files[i]);
    assert.deepEqual(info.streams.map((s) => s.codec_type), ['video'], 'a segment is video only');
    assert.equal(Number(info.streams[0].nb_frames), range.end - range.start);
  }
  const joined = path.join(dir, 'joined.mp4');
  await joinSegments(inputs, files, whole.frameCount, deps, { output: joined });
  assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('partial')), [], 'no partial file left');

  const info = await probe(joined);
  const video = info.streams.find((s) => s.codec_type === 'video')!;
  const sound = info.streams.find((s) => s.codec_type === 'audio')!;
  assert.equal(Number(video.nb_frames), 150);
  assert.equal(Number(video.start_time), 0);
  assert.equal(Number(sound.start_time), 0);
  assert.ok(Math.abs(Number(video.duration) - 6) < 1e-6, `video ${video.duration}`);
  assert.ok(Math.abs(Number(sound.duration) - 6) < 0.03, `audio ${sound.duration}`);
  assert.equal(info.format.tags?.comment, (await probe(whole.video)).format.tags?.comment);

  const a = greyFrames(whole.video), b = greyFrames(joined);
  assert.equal(b.length, a.length);
  // Each frame is its own place's frame within encoding noise, and where the picture moves it is
  // closer to it than to the frames beside it: nothing shifted, dropped or repeated.
  let placed = 0, moving = 0, worst = 99;
  for (let f = 0; f < a.length; f++) {
    const own = psnr(a[f], b[f]);
    worst = Math.min(worst, own);
    assert.ok(own > 45, `frame ${f}: ${own.toFixed(1)} dB against the whole render`);
    const neighbours = [a[f - 1], a[f + 1]].filter((n) => n && meanAbs(n, a[f]) > 0.3);
    if (neighbours.length === 0) continue;
    moving++;
    if (neighbours.every((n) => psnr(n, b[f]) < own)) placed++;
  }
  process.stdout.write(`# joined vs whole: worst frame ${worst.toFixed(1)} dB; ${placed} of ${moving} moving frames closest to their own place\n`);
  assert.ok(moving > 50, `only ${moving} frames move: the check needs a talking head`);
  assert.ok(placed >= 0.95 * moving, `${placed} of ${moving} moving frames are closest to their own place`);
  // At a join the step from the frame before is the step the whole video takes there.
  for (const { start } of ranges.slice(1)) {
    const step = meanAbs(b[start - 1], b[start]), wholeStep = meanAbs(a[start - 1], a[start]);
    assert.ok(Math.abs(step - wholeStep) < 0.5, `join at ${start}: step ${step.toFixed(2)} vs ${wholeStep.toFixed(2)} in the whole video`);
  }
  const sa = readAudioMono(whole.video), sb = readAudioMono(joined);
  assert.equal(sb.length, sa.length);
  let maxDiff = 0;
  for (let i = 0; i < sa.length; i++) maxDiff = Math.max(maxDiff, Math.abs(sa[i] - sb[i]));
  assert.ok(maxDiff < 1e-3, `audio differs by up to ${maxDiff}`);
  // An AAC sound (an M4A's, 12 s) is copied at the join as a whole render copies it: its packets as they were.
  const withAac = path.join(dir, 'joined-aac.mp4');
  await joinSegments({ audio: fixtureAudio('en-speech-2.m4a') }, files, whole.frameCount, deps, { output: withAac });
  const copied = soundPackets(withAac);
  assert.ok(copied.length >= 270, `${copied.length} sound packets for 6 s`);
  assert.deepEqual(copied, soundPackets(fixtureAudio('en-speech-2.m4a')).slice(0, copied.length));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('planSegments: whole GOPs of about the asked length, none a sliver, short videos whole', () => {
  assert.deepEqual(planSegments(100, 625), [{ start: 0, end: 100 }]);
  assert.deepEqual(planSegments(900, 625), [{ start: 0, end: 900 }]);
  assert.deepEqual(planSegments(1500, 625), [{ start: 0, end: 750 }, { start: 750, end: 1500 }]);
  assert.deepEqual(planSegments(4500, 625), Array.from({ length: 7 }, (_, i) => ({ start: i * 650, end: Math.min(4500, (i + 1) * 650) })));
  for (const [frames, size] of [[1, 50], [51, 50], [4499, 625], [1013, 300]]) {
    const r = planSegments(frames, size);
    assert.equal(r[0].start, 0);
    assert.equal(r.at(-1)!.end, frames);
    for (let i = 1; i < r.length; i++) { assert.equal(r[i].start, r[i - 1].end); assert.equal(r[i - 1].start % 50, 0); }
  }
});
