// The one module that runs the media tools (ffmpeg, ffprobe, and heif-convert for HEIC pictures):
// spawning, streaming frames to stdin with back-pressure, collecting output, and turning exits
// into typed results.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { DhError } from '../core/errors.js';
import { ToolFailure, type FrameSink, type MediaEncoder } from '../core/ports.js';
import { probeArgs } from '../encode/ffmpeg-args.js';

interface RunOptions {
  readonly signal?: AbortSignal;
  /** Refuse output larger than this (protects memory against absurd inputs). */
  readonly maxOutputBytes?: number;
  /** Run this much below this process's priority (see MediaEncoder.run). */
  readonly niceness?: number;
}

/**
 * Names the environment variables a process was given for Node alone (comma-separated), which
 * the tools it runs must not inherit. Render processes get glibc malloc settings that suit Node's
 * threads (worker/thread.ts); ffmpeg under them maps and unmaps every 1.4 MB frame it reads, and
 * encoding 60 s took 8 % longer (5.95 against 5.5 s, 0.6 s more system CPU).
 */
export const NODE_ONLY_ENV = 'DH_NODE_ONLY_ENV';

/** `env` without the variables NODE_ONLY_ENV names, and without NODE_ONLY_ENV. */
export function toolEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const drop = new Set([NODE_ONLY_ENV, ...(env[NODE_ONLY_ENV] ?? '').split(',').filter(Boolean)]);
  return Object.fromEntries(Object.entries(env).filter(([k]) => !drop.has(k)));
}

function spawnTool(program: string, args: readonly string[], stdin: 'pipe' | 'ignore'): ChildProcess {
  return spawn(program, args, { stdio: [stdin, 'pipe', 'pipe'], env: toolEnv(process.env) });
}

function missingOr(err: NodeJS.ErrnoException, program: string): DhError {
  return err.code === 'ENOENT'
    ? new DhError('DEPENDENCY_MISSING', { program })
    : new DhError('INTERNAL', { reason: `${program}: ${err.message}` }, { cause: err });
}

/** Last lines of stderr, enough to say what went wrong without flooding a log. */
const tail = (text: string): string => text.trim().split('\n').slice(-3).join(' | ').slice(0, 600);

export { ToolFailure };

/** Runs a tool to completion and returns its stdout; rejects with ToolFailure on a non-zero exit. */
export function runTool(program: 'ffmpeg' | 'ffprobe' | 'heif-convert', args: readonly string[], opts: RunOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new DhError('CANCELLED'));
    const child = spawnTool(program, args, 'ignore');
    if (opts.niceness && child.pid !== undefined) {
      try { os.setPriority(child.pid, Math.min(19, os.getPriority() + opts.niceness)); } catch { /* not allowed here: run at the same priority */ }
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failed: Error | null = null;
    const onAbort = () => { failed = new DhError('CANCELLED'); child.kill('SIGKILL'); };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout!.on('data', (c: Buffer) => {
      size += c.length;
      if (opts.maxOutputBytes && size > opts.maxOutputBytes) {
        failed ??= new DhError('SOURCE_TOO_LARGE', { source: `${program} output`, limit: opts.maxOutputBytes });
        child.kill('SIGKILL');
        return;
      }
      chunks.push(c);
    });
    child.stderr!.on('data', (c: Buffer) => { if (stderr.length < 20000) stderr += c.toString(); });
    child.on('error', (err) => { failed ??= missingOr(err, program); });
    child.on('close', (code) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (failed) return reject(failed);
      if (code !== 0) return reject(new ToolFailure(program, code, stderr));
      resolve(Buffer.concat(chunks));
    });
  });
}

export interface ProbeResult {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; r_frame_rate?: string; pix_fmt?: string; duration?: string; start_time?: string; nb_frames?: string; sample_rate?: string; channels?: number; profile?: string }[];
  format: { duration?: string; format_name?: string; tags?: Record<string, string> };
}

export async function probe(path: string, opts: RunOptions = {}): Promise<ProbeResult> {
  const out = await runTool('ffprobe', probeArgs(path), opts);
  return JSON.parse(out.toString()) as ProbeResult;
}


/**
 * Starts an ffmpeg that reads raw frames of `frameBytes` each on stdin (see encodeArgs). A raw
 * pipe has no frame boundaries: one frame of another size would shift every frame after it, so
 * such a write is refused.
 */
export function startEncoder(args: readonly string[], frameBytes: number, signal?: AbortSignal): FrameSink {
  const child = spawnTool('ffmpeg', args, 'pipe');
  let stderr = '';
  let failure: Error | null = null;
  child.stderr!.on('data', (c: Buffer) => { if (stderr.length < 20000) stderr += c.toString(); });
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (err) => { failure ??= missingOr(err, 'ffmpeg'); resolve(null); });
    child.on('close', (code) => resolve(code));
  });
  // EPIPE when ffmpeg dies early; the exit code and stderr explain why, so keep those instead.
  child.stdin!.on('error', (err) => { failure ??= new DhError('ENCODE_FAILED', { reason: err.message }); });
  const onAbort = () => { failure ??= new DhError('CANCELLED'); child.kill('SIGKILL'); };
  signal?.addEventListener('abort', onAbort, { once: true });
  const failureNow = async (): Promise<Error> => {
    const code = await exited;
    return failure instanceof DhError && failure.id !== 'ENCODE_FAILED'
      ? failure
      : new DhError('ENCODE_FAILED', { reason: tail(stderr) || `ffmpeg exited with ${code}` });
  };
  return {
    write(frame) {
      if (frame.length !== frameBytes) {
        failure ??= new DhError('INTERNAL', { reason: `frame of ${frame.length} bytes, the encoder reads ${frameBytes}` });
        child.kill('SIGKILL');
      }
      if (failure || child.exitCode !== null) return failureNow().then((e) => Promise.reject(e));
      // The callback runs once the bytes are handed to the pipe, which is when the caller may
      // reuse the buffer; with a couple of buffers in flight this is the back-pressure.
      return new Promise<void>((resolve, reject) => {
        child.stdin!.write(frame, (err) => (err ? failureNow().then(reject) : resolve()));
      });
    },
    async finish() {
      child.stdin!.end();
      const code = await exited;
      signal?.removeEventListener('abort', onAbort);
      if (failure || code !== 0) throw await failureNow();
    },
    abort() {
      signal?.removeEventListener('abort', onAbort);
      child.kill('SIGKILL');
    },
  };
}

/** The encoder port (core/ports.ts) on the ffmpeg found on PATH. */
export const ffmpegEncoder: MediaEncoder = {
  run: (args, opts) => runTool('ffmpeg', args, opts),
  start: startEncoder,
  async probeSound(file, opts) {
    const info = await probe(file, opts);
    const sound = info.streams.find((s) => s.codec_type === 'audio');
    if (!sound) return null;
    const start = Number(sound.start_time), seconds = Number(sound.duration);
    const indexed = (info.format.format_name ?? '').split(',').includes('mp4');
    return {
      codec: sound.codec_name, profile: sound.profile ?? '', channels: sound.channels ?? 0, sampleRate: Number(sound.sample_rate) || 0,
      startSeconds: Number.isFinite(start) ? start : 0, seconds: indexed && Number.isFinite(seconds) ? seconds : null,
    };
  },
};
