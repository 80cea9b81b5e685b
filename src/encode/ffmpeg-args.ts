// ffmpeg command lines, built as plain arrays so they can be tested without running ffmpeg.

export interface EncodeSpec {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Exactly this many frames are written to stdin; the audio is fitted to their length. */
  readonly frameCount: number;
  /** Audio file to mux; it is cut or padded with silence to the video's exact length. */
  readonly audioPath: string;
  readonly outputPath: string;
  /** x264 speed/quality trade-off. */
  readonly preset?: string;
  readonly crf?: number;
  /** Free-text metadata written into the MP4 (e.g. the AI-generated label). */
  readonly metadata?: Readonly<Record<string, string>>;
}

export const ENCODE_DEFAULTS = Object.freeze({ preset: 'veryfast', crf: 20, audioBitrate: '128k', audioRate: 48000 });

/** Seconds of video, as ffmpeg should read it: exact for whole frames at the given rate. */
export const videoSeconds = (frameCount: number, fps: number): string => (frameCount / fps).toFixed(6);

/**
 * yuv420p frames (BT.709, limited range, as src/render/yuv.ts makes them) on stdin + an audio file -> H.264 yuv420p + AAC MP4 with the moov atom first
 * (+faststart, so browsers can play while downloading). The audio is re-timed to start at 0,
 * padded with silence and trimmed so both streams end together.
 */
export function encodeArgs(spec: EncodeSpec): string[] {
  const seconds = videoSeconds(spec.frameCount, spec.fps);
  const meta = Object.entries(spec.metadata ?? {}).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${spec.width}x${spec.height}`, '-framerate', String(spec.fps), '-i', 'pipe:0',
    '-i', spec.audioPath,
    '-map', '0:v:0', '-map', '1:a:0',
    '-filter:a', `aresample=${ENCODE_DEFAULTS.audioRate},asetpts=PTS-STARTPTS,apad=whole_dur=${seconds},atrim=end=${seconds}`,
    '-c:v', 'libx264', '-preset', spec.preset ?? ENCODE_DEFAULTS.preset, '-crf', String(spec.crf ?? ENCODE_DEFAULTS.crf),
    '-pix_fmt', 'yuv420p', '-profile:v', 'high', '-g', String(spec.fps * 2), '-r', String(spec.fps),
    // Tag the colours the frames were made with, so players do not guess (HD defaults differ).
    '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
    '-c:a', 'aac', '-b:a', ENCODE_DEFAULTS.audioBitrate,
    ...meta,
    '-movflags', '+faststart',
    '-f', 'mp4', spec.outputPath,
  ];
}

/** Any audio file -> mono 32-bit float PCM at `sampleRate` on stdout, at most `maxSeconds` of it. */
export function decodeAudioArgs(inputPath: string, sampleRate: number, maxSeconds: number): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-nostdin', '-i', inputPath, '-map', '0:a:0', '-vn', '-t', String(maxSeconds),
    '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', 'pipe:1'];
}

export function probeArgs(inputPath: string): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', inputPath];
}
