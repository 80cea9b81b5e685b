// Fast speech for the mouth checks: fixture speech sped up with ffmpeg's atempo (pitch kept) to
// about 8 syllables a second, the rate at which issue 13 found toothy and thin-lipped mouths
// barely moving. The fixtures run at about 4.5-5.5 syllables a second of voiced speech.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface FastClip { readonly name: string; readonly sources: readonly string[]; readonly tempo: number }

/** English (radio speech, ~4.6 syll/s) and Mandarin (a bus announcement and a poem, ~5.1-5.7 syll/s). */
export const FAST_CLIPS: readonly FastClip[] = [
  { name: 'en-fast', sources: ['en-radio.wav'], tempo: 1.7 },
  { name: 'zh-fast', sources: ['zh-bus.wav', 'zh-poem.wav'], tempo: 1.5 },
];

/** Writes (once) the sped-up clip as 16 kHz mono WAV under `outDir` and returns its path. */
export function fastSpeech(clip: FastClip, audioDir: string, outDir: string): string {
  const file = path.join(outDir, `${clip.name}.wav`);
  if (fs.existsSync(file)) return file;
  const inputs = clip.sources.flatMap((s) => ['-i', path.join(audioDir, s)]);
  const chain = clip.sources.map((_, i) => `[${i}:a]aresample=16000,aformat=channel_layouts=mono[a${i}]`).join(';');
  const joined = clip.sources.map((_, i) => `[a${i}]`).join('');
  const filter = `${chain};${joined}concat=n=${clip.sources.length}:v=0:a=1,atempo=${clip.tempo}[out]`;
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...inputs, '-filter_complex', filter, '-map', '[out]', '-ar', '16000', '-ac', '1', file]);
  if (r.status !== 0) throw new Error(`ffmpeg could not make ${file}: ${r.stderr}`);
  return file;
}
