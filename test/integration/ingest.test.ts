// Decoding every supported input format into the shared types, with real sharp and ffmpeg.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { sharpImageCodec } from '../../src/adapters/image-sharp.js';
import { ffmpegEncoder } from '../../src/adapters/ffmpeg.js';
import { loadAudio, loadImage } from '../../src/ingest/index.js';
import type { DhError } from '../../src/core/errors.js';
import { fixtureAudio, fixtureImage, tempDir } from '../helpers.js';

test('JPEG EXIF orientation is honoured: a sideways-stored photo comes out upright', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'rotated.jpg');
  // 300x200 pixels stored, tagged "rotate 90 CW to display" -> 200x300 upright.
  await sharp({ create: { width: 300, height: 200, channels: 3, background: '#336699' } }).jpeg().withMetadata({ orientation: 6 }).toFile(file);
  const img = await loadImage(file, sharpImageCodec);
  assert.equal(img.width, 200);
  assert.equal(img.height, 300);
  assert.equal(img.data.length, 200 * 300 * 3);
});

test('PNG with alpha and WebP decode to packed RGB', async () => {
  const dir = tempDir();
  const webp = path.join(dir, 'a.webp');
  await sharp(fixtureImage('anime-girl.png')).webp().toFile(webp);
  for (const f of [fixtureImage('anime-girl.png'), webp, fixtureImage('photo-man-flag.jpg')]) {
    const img = await loadImage(f, sharpImageCodec);
    assert.equal(img.data.length, img.width * img.height * 3, f);
  }
});

test('a picture over 40 megapixels is refused as too large, with its size and what to do, not as undecodable', async () => {
  const dir = tempDir();
  const big = path.join(dir, 'big.jpg');
  await sharp({ create: { width: 6400, height: 6400, channels: 3, background: '#808080' } }).jpeg().toFile(big);
  await assert.rejects(loadImage(big, sharpImageCodec), (e: DhError) => e.id === 'IMAGE_TOO_LARGE' && e.code === 1108 && /6400x6400 \(41\.0 megapixels\).*scaled down/.test(e.message));
});

test('HEIC (an iPhone photo, which the npm libvips cannot read) and BMP decode to the same picture as the PNG, through heif-convert and ffmpeg', async () => {
  const dir = tempDir();
  const png = fixtureImage('photo-man-suit.png');
  const heic = path.join(dir, 'photo.heic'), bmp = path.join(dir, 'photo.bmp');
  for (const [cmd, args] of [['heif-enc', ['-q', '90', '-o', heic, png]], ['ffmpeg', ['-loglevel', 'error', '-y', '-i', png, bmp]]] as const) {
    const r = spawnSync(cmd, args);
    assert.equal(r.status, 0, `${cmd}: ${r.error?.message ?? r.stderr}`);
  }
  await assert.rejects(sharp(heic).raw().toBuffer(), 'sharp reads HEIC now: the conversion may go');
  const ref = await loadImage(png, sharpImageCodec);
  for (const f of [heic, bmp]) {
    const img = await loadImage(f, sharpImageCodec);
    assert.deepEqual([img.width, img.height], [ref.width, ref.height], f);
    let diff = 0;
    for (let i = 0; i < ref.data.length; i++) diff += Math.abs(img.data[i] - ref.data[i]);
    assert.ok(diff / ref.data.length < 4, `${f}: mean difference ${(diff / ref.data.length).toFixed(2)} levels`);
  }
  // A HEIC that is not one: refused with what failed.
  const broken = path.join(dir, 'broken.heic');
  fs.writeFileSync(broken, Buffer.concat([fs.readFileSync(heic).subarray(0, 64), Buffer.alloc(64)]));
  await assert.rejects(loadImage(broken, sharpImageCodec), (e: DhError) => e.id === 'IMAGE_UNREADABLE' && /HEIC/.test(e.message));
});

test('stereo with one channel out of phase (its mean is silence) decodes to its speech; a silent mono file stays silent', async () => {
  const dir = tempDir();
  const wav = fixtureAudio('zh-bus.wav');
  const inverted = path.join(dir, 'inverted.wav'), silent = path.join(dir, 'silent.wav');
  const ffmpeg = (...args: string[]) => assert.equal(spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]).status, 0, args.join(' '));
  ffmpeg('-i', wav, '-af', 'pan=stereo|c0=c0|c1=-1*c0', inverted);
  ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '2', silent);
  const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
  const [plain, fixed, quiet] = await Promise.all([wav, inverted, silent].map((f) => loadAudio(f, ffmpegEncoder)));
  // The difference of x and -x at ffmpeg's downmix gains is the sum of x and x at them: the speech
  // at its own level (the sum, before, was silence).
  assert.ok(Math.abs(rms(fixed.audio.samples) / rms(plain.audio.samples) - 1) < 0.02, `rms ${rms(fixed.audio.samples)} against ${rms(plain.audio.samples)}`);
  assert.equal(fixed.durationSeconds, plain.durationSeconds);
  assert.equal(rms(quiet.audio.samples), 0);
  assert.ok(Math.abs(quiet.durationSeconds - 2) < 0.01);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('wav, mp3, m4a, aac, ogg and flac all decode to the same speech', async () => {
  const dir = tempDir();
  const wav = fixtureAudio('zh-bus.wav');
  const made = ['ogg', 'flac', 'aac'].map((ext) => {
    const out = path.join(dir, `bus.${ext}`);
    const codec = ext === 'ogg' ? ['-c:a', 'libvorbis'] : ext === 'aac' ? ['-c:a', 'aac', '-f', 'adts'] : [];
    const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', wav, ...codec, out]);
    assert.equal(r.status, 0, String(r.stderr));
    return out;
  });
  const mp3 = path.join(dir, 'bus.mp3');
  assert.equal(spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', wav, mp3]).status, 0);
  const reference = await loadAudio(wav, ffmpegEncoder);
  assert.equal(reference.audio.sampleRate, 16000);
  assert.ok(Math.abs(reference.durationSeconds - 3.4) < 0.1, `${reference.durationSeconds}`);
  for (const f of [...made, mp3, fixtureAudio('en-speech-2.m4a')]) {
    const a = await loadAudio(f, ffmpegEncoder);
    const expected = f.endsWith('.m4a') ? 12 : reference.durationSeconds;
    // Lossy codecs add a few ms of padding.
    assert.ok(Math.abs(a.durationSeconds - expected) < 0.1, `${f}: ${a.durationSeconds} s`);
    const rms = Math.sqrt(a.audio.samples.reduce((s, x) => s + x * x, 0) / a.audio.samples.length);
    assert.ok(rms > 0.01, `${f} decoded to near silence`);
  }
});

test('a video without a sound track given as the audio says so, not ffmpeg\'s advice about its options', async () => {
  const video = path.join(tempDir(), 'silent-film.mp4');
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=s=160x120:d=1', '-c:v', 'libx264', video]);
  assert.equal(r.status, 0, String(r.stderr));
  await assert.rejects(loadAudio(video, ffmpegEncoder), (err: DhError) => {
    assert.equal(err.id, 'AUDIO_UNREADABLE');
    assert.match(err.message, /no sound track/);
    assert.doesNotMatch(err.message, /map/);
    return true;
  });
});
