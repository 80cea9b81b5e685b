// A voice over a loud music bed moves the mouth with the voice (issue 13, point 4): real speech
// and singing from the fixtures, a synthetic bed of chords, bass and drums 6 dB under the voice,
// at normal speed and sped up 1.6x (real ffmpeg). Voice activity comes from the clip without music.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadAudio } from '../../src/ingest/index.js';
import { ffmpegEncoder } from '../../src/adapters/ffmpeg.js';
import { againstVoice } from '../../eval/lib/against-voice.js';
import { speedUp } from '../../eval/lib/audio-io.js';
import { mixOverMusic } from '../../eval/lib/music-bed.js';
import { fixtureAudio, tempDir } from '../helpers.js';


for (const clip of ['en-speech-2.wav', 'singing.wav']) {
  test(`${clip} over a music bed at -6 dB opens the mouth with the voice, also sped up 1.6x`, async () => {
    const dir = tempDir();
    const original = (await loadAudio(fixtureAudio(clip), ffmpegEncoder)).audio;
    for (const voice of [original, await speedUp(original, 1.6, dir)]) {
      const clean = againstVoice(voice, voice, 25);
      const music = againstVoice(voice, mixOverMusic(voice, -6), 25);
      const what = `${clip} ${voice === original ? '' : 'x1.6 '}clean ${JSON.stringify(clean)} music ${JSON.stringify(music)}`;
      // Before: open in 3-17 % of the voice's frames over this bed, against 64-76 % without it.
      assert.ok(music.openWhileVoice >= 0.5 && music.openWhileVoice >= 0.75 * clean.openWhileVoice, `mouth opens with the voice: ${what}`);
      assert.ok(music.shutWhileVoice <= 0.35, `lips not pressed shut through the voice: ${what}`);
      assert.ok(music.loudnessR >= 0.4, `opening follows the voice's loudness: ${what}`);
      assert.ok(music.closedWithoutVoice >= 0.75, `mouth mostly closed where only the music plays: ${what}`);
    }
  });
}

test('zh-poem x1.6 over a music bed at -6 dB: the lips shut while the voice sounds little more often than without the bed', async () => {
  // Its nasal codas (-n, -ng) dip the band above 1 kHz a stop gap's depth while the voice sounds
  // below it; read against silence they shut the lips (before: 43.6 % of the voice's frames, 28.2 % clean),
  // read against the bed's level 35.9 %, with the bed's own place model 26.9 %.
  const original = (await loadAudio(fixtureAudio('zh-poem.wav'), ffmpegEncoder)).audio;
  const voice = await speedUp(original, 1.6, tempDir());
  const clean = againstVoice(voice, voice, 25), music = againstVoice(voice, mixOverMusic(voice, -6), 25);
  assert.ok(music.shutWhileVoice <= clean.shutWhileVoice + 0.05, `shut while the voice sounds: clean ${clean.shutWhileVoice.toFixed(3)}, over the bed ${music.shutWhileVoice.toFixed(3)}`);
  assert.ok(music.closedWithoutVoice >= 0.75, `closed where only the music plays: ${music.closedWithoutVoice}`);
});

test('the music bed is deterministic and sits where asked under the voice', async () => {
  const voice = (await loadAudio(fixtureAudio('en-speech-2.wav'), ffmpegEncoder)).audio;
  const a = mixOverMusic(voice, -6), b = mixOverMusic(voice, -6);
  assert.deepEqual(a.samples, b.samples);
  // In the first 0.5 s the speaker is silent: only the bed sounds there.
  let bed = 0;
  for (let i = 0; i < 0.2 * voice.sampleRate; i++) bed += a.samples[i] ** 2;
  assert.ok(bed > 0, 'the bed sounds in the pauses too');
});
