import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeAudioArgs, encodeArgs, videoSeconds } from '../../src/encode/ffmpeg-args.js';

test('encodeArgs: yuv420p frames on stdin + audio fitted to the video -> H.264 yuv420p/AAC, faststart', () => {
  const args = encodeArgs({ width: 1280, height: 720, fps: 25, frameCount: 250, audioPath: '/a.wav', outputPath: '/o.mp4', metadata: { comment: 'AI-generated' } });
  assert.deepEqual(args, [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', '1280x720', '-framerate', '25', '-i', 'pipe:0',
    '-i', '/a.wav',
    '-map', '0:v:0', '-map', '1:a:0',
    '-filter:a', 'aresample=48000,asetpts=PTS-STARTPTS,apad=whole_dur=10.000000,atrim=end=10.000000',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20',
    '-pix_fmt', 'yuv420p', '-profile:v', 'high', '-g', '50', '-r', '25',
    '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
    '-c:a', 'aac', '-b:a', '128k',
    '-metadata', 'comment=AI-generated',
    '-movflags', '+faststart',
    '-f', 'mp4', '/o.mp4',
  ]);
});

test('videoSeconds is exact for whole frames', () => {
  assert.equal(videoSeconds(1, 25), '0.040000');
  assert.equal(videoSeconds(4500, 25), '180.000000');
});

test('decodeAudioArgs: first audio stream, mono float PCM, bounded length', () => {
  assert.deepEqual(decodeAudioArgs('/in.mp3', 16000, 181), [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-i', '/in.mp3', '-map', '0:a:0', '-vn', '-t', '181',
    '-ac', '1', '-ar', '16000', '-f', 'f32le', 'pipe:1',
  ]);
  assert.deepEqual(decodeAudioArgs('/in.mp3', 16000, 181, '/tmp/x.f32').slice(-3), ['f32le', '-y', '/tmp/x.f32']);
  // The channels' difference instead of their sum, at ffmpeg's downmix gains (-3 dB each).
  const side = decodeAudioArgs('/in.mp3', 16000, 181, undefined, { side: true });
  assert.deepEqual(side.slice(side.indexOf('-af'), side.indexOf('-af') + 2), ['-af', 'pan=mono|c0=0.707107*c0-0.707107*c1']);
  assert.ok(!side.includes('-ac'));
});

test('videoEncodeArgs: the same H.264 settings as a whole video, no audio; joinSegmentsArgs copies the video and fits the audio once', async () => {
  const { videoEncodeArgs, joinSegmentsArgs, concatList } = await import('../../src/encode/ffmpeg-args.js');
  const whole = encodeArgs({ width: 1280, height: 720, fps: 25, frameCount: 250, audioPath: '/a.wav', outputPath: '/o.mp4' });
  const seg = videoEncodeArgs({ width: 1280, height: 720, fps: 25, frameCount: 50, outputPath: '/s.mp4' });
  const codec = (a: string[]) => a.slice(a.indexOf('-c:v'), a.indexOf('-color_range') + 2);
  assert.deepEqual(codec(seg), codec(whole));
  assert.ok(!seg.includes('-c:a') && !seg.includes('-i', seg.indexOf('pipe:0')));
  assert.deepEqual(seg.slice(-3), ['-f', 'mp4', '/s.mp4']);
  const join = joinSegmentsArgs({ listPath: '/l.txt', fps: 25, frameCount: 250, audioPath: '/a.wav', outputPath: '/o.mp4', metadata: { comment: 'x' } });
  assert.deepEqual(join.slice(join.indexOf('-f'), join.indexOf('-f') + 6), ['-f', 'concat', '-safe', '0', '-i', '/l.txt']);
  assert.equal(join[join.indexOf('-c:v') + 1], 'copy');
  assert.equal(join[join.indexOf('-filter:a') + 1], whole[whole.indexOf('-filter:a') + 1]);
  assert.ok(join.includes('+faststart'));
  assert.equal(concatList(['/t/a.mp4', "/t/it's.mp4"]), "ffconcat version 1.0\nfile '/t/a.mp4'\nfile '/t/it'\\''s.mp4'\n");
});

test('soundCopies: only a playable AAC sound of one or two channels up to 48 kHz, from the top of its file, as long as the video, is copied; its args cut it', async () => {
  const { audioEncodeArgs, soundCopies } = await import('../../src/encode/ffmpeg-args.js');
  const aac = { codec: 'aac', profile: 'LC', channels: 2, sampleRate: 44100, startSeconds: 0, seconds: 12 };
  assert.equal(soundCopies(aac, 10, 250, 25), true);
  assert.equal(soundCopies({ ...aac, channels: 1 }, 10.5, 250, 25), true);
  assert.equal(soundCopies(aac, 9.9, 250, 25), false, 'shorter than the video: padded, so encoded');
  assert.equal(soundCopies({ ...aac, codec: 'mp3' }, 10, 250, 25), false);
  assert.equal(soundCopies({ ...aac, codec: 'pcm_s16le' }, 10, 250, 25), false);
  assert.equal(soundCopies({ ...aac, channels: 6 }, 10, 250, 25), false);
  assert.equal(soundCopies({ ...aac, profile: 'HE-AACv2' }, 10, 250, 25), true);
  assert.equal(soundCopies({ ...aac, profile: 'Main' }, 10, 250, 25), false, 'a profile browsers do not play');
  assert.equal(soundCopies({ ...aac, sampleRate: 96000 }, 10, 250, 25), false);
  assert.equal(soundCopies({ ...aac, startSeconds: 0.5 }, 10, 250, 25), false, 'starts late in its file: re-timed, so encoded');
  assert.equal(soundCopies(null, 10, 250, 25), false);
  const copy = audioEncodeArgs({ audioPath: '/a.m4a', frameCount: 250, fps: 25, outputPath: '/s.m4a', copy: true });
  assert.deepEqual(copy.slice(copy.indexOf('-map'), -3), ['-map', '0:a:0', '-t', '10.000000', '-c:a', 'copy']);
  assert.ok(!copy.includes('-filter:a'));
  const { joinSegmentsArgs } = await import('../../src/encode/ffmpeg-args.js');
  const join = joinSegmentsArgs({ listPath: '/l.ffconcat', fps: 25, frameCount: 250, audioPath: '/a.m4a', outputPath: '/o.mp4', copy: true });
  assert.deepEqual(join.slice(join.indexOf('-t'), join.indexOf('-t') + 6), ['-t', '10.000000', '-c:a', 'copy', '-c:v', 'copy']);
  assert.ok(!join.includes('-filter:a') && !join.includes('aac'));
});

test('audioEncodeArgs fits and encodes the sound as encodeArgs does; muxArgs copies both streams with the metadata, moov first', async () => {
  const { audioEncodeArgs, muxArgs } = await import('../../src/encode/ffmpeg-args.js');
  const whole = encodeArgs({ width: 1280, height: 720, fps: 25, frameCount: 250, audioPath: '/a.wav', outputPath: '/o.mp4', metadata: { comment: 'x' } });
  const sound = audioEncodeArgs({ audioPath: '/a.wav', frameCount: 250, fps: 25, outputPath: '/s.m4a' });
  const after = (a: string[], flag: string, n: number) => a.slice(a.indexOf(flag), a.indexOf(flag) + n);
  assert.deepEqual(after(sound, '-filter:a', 2), after(whole, '-filter:a', 2));
  assert.deepEqual(after(sound, '-c:a', 4), after(whole, '-c:a', 4));
  assert.ok(!sound.includes('-c:v'));
  assert.deepEqual(sound.slice(-3), ['-f', 'mp4', '/s.m4a']);
  const mux = muxArgs({ videoPath: '/v.mp4', audioPath: '/s.m4a', outputPath: '/o.mp4', metadata: { comment: 'x' } });
  assert.deepEqual(after(mux, '-c', 2), ['-c', 'copy']);
  assert.deepEqual(after(mux, '-metadata', 2), after(whole, '-metadata', 2));
  assert.ok(mux.includes('+faststart') && !mux.includes('-filter:a'));
});
