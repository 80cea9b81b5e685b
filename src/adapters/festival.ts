// The one module that runs festival: one `festival --batch` per utterance with a generated Scheme
// script that synthesizes with the HTS voice, saves the wave and prints the Segment relation's
// end times - the same durations the HTS engine used, so they match the audio exactly.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DhError } from '../core/errors.js';

export interface FestivalSegment {
  /** Festival phone name (radio phone set, e.g. "hh", "ay", "pau"). */
  readonly name: string;
  /** Seconds. */
  readonly end: number;
}

export interface FestivalOutput {
  readonly samples: Float32Array;
  readonly sampleRate: number;
  readonly segments: readonly FestivalSegment[];
}

export interface FestivalOptions {
  /** Festival voice function without the `voice_` prefix. */
  readonly voice: string;
  /** hts_engine's speech rate: 1 normal, 2 twice as fast. */
  readonly speed: number;
  /** Added half-tones of F0. */
  readonly semitones: number;
  readonly signal?: AbortSignal;
}

/** A Scheme string literal holding `text`: backslash and double quote escaped, controls blanked. */
export const schemeString = (text: string): string =>
  `"${text.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function festivalScript(text: string, wavPath: string, opts: FestivalOptions): string {
  return [
    `(voice_${opts.voice})`,
    // HTS voices take rate and pitch from hts_engine; diphone voices stretch durations instead
    // (their pitch stays the voice's own).
    opts.voice.endsWith('_hts')
      ? `(set! hts_engine_params (append hts_engine_params (list (list "-r" ${opts.speed.toFixed(3)}) (list "-fm" ${opts.semitones.toFixed(2)}))))`
      : `(Parameter.set 'Duration_Stretch ${(1 / opts.speed).toFixed(3)})`,
    `(set! utt (Utterance Text ${schemeString(text)}))`,
    '(utt.synth utt)',
    `(utt.save.wave utt ${schemeString(wavPath)} 'riff)`,
    '(mapcar (lambda (s) (format t "SEG %s %f\\n" (item.name s) (item.feat s "end"))) (utt.relation.items utt \'Segment))',
  ].join('\n') + '\n';
}

/** Mono 16-bit PCM WAV bytes to samples; festival writes nothing else. */
export function parseWav16(buf: Buffer): { samples: Float32Array; sampleRate: number } {
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let off = 12, sampleRate = 0, channels = 1;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4), size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') { channels = buf.readUInt16LE(off + 10); sampleRate = buf.readUInt32LE(off + 12); }
    if (id === 'data') {
      const n = Math.floor(Math.min(size, buf.length - off - 8) / 2 / channels);
      const samples = new Float32Array(n);
      for (let i = 0; i < n; i++) samples[i] = buf.readInt16LE(off + 8 + i * 2 * channels) / 32768;
      return { samples, sampleRate };
    }
    off += 8 + size + (size & 1);
  }
  throw new Error('WAV has no data chunk');
}

export async function runFestival(text: string, opts: FestivalOptions): Promise<FestivalOutput> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dh-festival-'));
  try {
    const wav = path.join(dir, 'out.wav'), script = path.join(dir, 'say.scm');
    await fs.writeFile(script, festivalScript(text, wav, opts));
    const stdout = await new Promise<string>((resolve, reject) => {
      if (opts.signal?.aborted) return reject(new DhError('CANCELLED'));
      const child = spawn('festival', ['--batch', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '', err = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
      const onAbort = () => child.kill('SIGKILL');
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? new DhError('DEPENDENCY_MISSING', { program: 'festival' }) : e));
      child.on('close', (code) => {
        opts.signal?.removeEventListener('abort', onAbort);
        if (opts.signal?.aborted) reject(new DhError('CANCELLED'));
        // festival --batch exits 0 even after a Scheme error, so the error text is checked too.
        else if (code !== 0 || /SIOD ERROR/.test(out + err)) reject(new Error(`festival exited ${code}: ${(err || out).trim().split('\n').slice(-2).join(' | ').slice(0, 400)}`));
        else resolve(out);
      });
    });
    const segments = stdout.split('\n').filter((l) => l.startsWith('SEG ')).map((l) => {
      const [, name, end] = l.trim().split(/\s+/);
      return { name, end: Number(end) };
    });
    const { samples, sampleRate } = parseWav16(await fs.readFile(wav));
    return { samples, sampleRate, segments };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Festival voice directories installed on this machine (e.g. "cmu_us_slt_arctic_hts"). */
export async function installedFestivalVoices(root = '/usr/share/festival/voices'): Promise<string[]> {
  try {
    const langs = await fs.readdir(root);
    const lists = await Promise.all(langs.map((l) => fs.readdir(path.join(root, l)).catch(() => [] as string[])));
    return lists.flat().sort();
  } catch {
    return [];
  }
}
