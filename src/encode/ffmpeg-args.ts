// ffmpeg command lines, built as plain arrays so they can be tested without running ffmpeg.
import type { SoundStream } from '../core/ports.js';

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

/** The video half of every encode: raw frames on stdin -> H.264 with the same settings everywhere. */
function videoCodecArgs(spec: Pick<EncodeSpec, 'fps' | 'preset' | 'crf'>): string[] {
  return [
    '-c:v', 'libx264', '-preset', spec.preset ?? ENCODE_DEFAULTS.preset, '-crf', String(spec.crf ?? ENCODE_DEFAULTS.crf),
    '-pix_fmt', 'yuv420p', '-profile:v', 'high', '-g', String(spec.fps * 2), '-r', String(spec.fps),
    // Tag the colours the frames were made with, so players do not guess (HD defaults differ).
    '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
  ];
}

const rawInputArgs = (spec: Pick<EncodeSpec, 'width' | 'height' | 'fps'>): string[] =>
  ['-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${spec.width}x${spec.height}`, '-framerate', String(spec.fps), '-i', 'pipe:0'];

/** The audio is re-timed to start at 0, padded with silence and trimmed to the video's length. */
const fittedAudioArgs = (seconds: string): string[] =>
  ['-filter:a', `aresample=${ENCODE_DEFAULTS.audioRate},asetpts=PTS-STARTPTS,apad=whole_dur=${seconds},atrim=end=${seconds}`];

const audioCodecArgs = (): string[] => ['-c:a', 'aac', '-b:a', ENCODE_DEFAULTS.audioBitrate];

/** The sound fitted and encoded, or (`copy`, see soundCopies) its stream cut to the video's length. */
const soundArgs = (seconds: string, copy = false): string[] =>
  copy ? ['-t', seconds, '-c:a', 'copy'] : [...fittedAudioArgs(seconds), ...audioCodecArgs()];

const metadataArgs = (metadata: EncodeSpec['metadata']): string[] =>
  Object.entries(metadata ?? {}).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);

/**
 * yuv420p frames (BT.709, limited range, as src/render/yuv.ts makes them) on stdin + an audio file -> H.264 yuv420p + AAC MP4 with the moov atom first
 * (+faststart, so browsers can play while downloading). The audio is re-timed to start at 0,
 * padded with silence and trimmed so both streams end together. One ffmpeg does both: the
 * benchmark's reference (what encoding a video's streams costs without rendering). The pipeline
 * makes the same streams in three steps (videoEncodeArgs, audioEncodeArgs, muxArgs), so that the
 * sound is not encoded on ffmpeg's main thread between the frames.
 */
export function encodeArgs(spec: EncodeSpec): string[] {
  const seconds = videoSeconds(spec.frameCount, spec.fps);
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    ...rawInputArgs(spec),
    '-i', spec.audioPath,
    '-map', '0:v:0', '-map', '1:a:0',
    ...fittedAudioArgs(seconds),
    ...videoCodecArgs(spec),
    ...audioCodecArgs(),
    ...metadataArgs(spec.metadata),
    '-movflags', '+faststart',
    '-f', 'mp4', spec.outputPath,
  ];
}

/**
 * The pictures alone: raw frames on stdin -> H.264 MP4 with the same settings as encodeArgs, no
 * audio. A video renders its pictures so while its sound is encoded beside them (audioEncodeArgs)
 * and the two are put together without re-encoding (muxArgs); a video rendered in parts renders
 * each segment so, and each opens with its own keyframe, so segments join by stream copy
 * (joinSegmentsArgs). MP4 rather than a raw H.264 stream: the raw stream has no timestamps, and
 * B-frames would come out of order at the join.
 */
export function videoEncodeArgs(spec: Omit<EncodeSpec, 'audioPath' | 'metadata'>): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    ...rawInputArgs(spec),
    '-map', '0:v:0',
    ...videoCodecArgs(spec),
    '-f', 'mp4', spec.outputPath,
  ];
}

/** AAC profiles every browser plays in an MP4 (ffprobe's names); Main and LTP are not among them. */
const PLAYABLE_AAC = new Set(['LC', 'HE-AAC', 'HE-AACv2']);

/**
 * Whether a video's sound can be its source's stream copied as it is rather than encoded anew:
 * AAC already (an MP4's, an M4A's: what phones record) of a profile browsers play, mono or stereo
 * at up to 48 kHz, starting at the top of its file, and at least as long as the video, so that it
 * is only cut, never padded. Copied, it keeps its quality (no second lossy encoding) and costs
 * nothing: encoding a minute of sound took 1.6 s of CPU beside the frames. Cut with the output's
 * length, the sound then ends with the video's last frame (an MP4's edit list trims it) or within
 * one AAC packet (21 ms) after it (a raw AAC stream's).
 */
export function soundCopies(sound: SoundStream | null, soundSeconds: number, frameCount: number, fps: number): boolean {
  return sound !== null && sound.codec === 'aac' && PLAYABLE_AAC.has(sound.profile) && sound.channels >= 1 && sound.channels <= 2
    && sound.sampleRate > 0 && sound.sampleRate <= ENCODE_DEFAULTS.audioRate && Math.abs(sound.startSeconds) < 1e-3 && soundSeconds >= frameCount / fps;
}

/**
 * The sound alone, fitted to `frameCount` frames as encodeArgs fits it and encoded with its
 * settings: the same AAC packets, timestamps and encoder delay (an MP4 keeps the delay in its edit
 * list, which a raw AAC stream would lose, shifting the sound 21 ms late). `copy` (soundCopies):
 * the source's AAC stream cut to the video's length instead.
 */
export function audioEncodeArgs(spec: Pick<EncodeSpec, 'audioPath' | 'outputPath' | 'frameCount' | 'fps'> & { readonly copy?: boolean }): string[] {
  const seconds = videoSeconds(spec.frameCount, spec.fps);
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    '-i', spec.audioPath,
    '-map', '0:a:0',
    ...soundArgs(seconds, spec.copy),
    '-f', 'mp4', spec.outputPath,
  ];
}

export interface MuxSpec {
  readonly videoPath: string;
  readonly audioPath: string;
  readonly outputPath: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * videoEncodeArgs' pictures and audioEncodeArgs' sound in one MP4, both copied: the streams
 * encodeArgs makes, with the moov atom first (+faststart).
 */
export function muxArgs(spec: MuxSpec): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    '-i', spec.videoPath, '-i', spec.audioPath,
    '-map', '0:v:0', '-map', '1:a:0',
    '-c', 'copy',
    ...metadataArgs(spec.metadata),
    '-movflags', '+faststart',
    '-f', 'mp4', spec.outputPath,
  ];
}

export interface JoinSpec {
  /** An ffconcat list naming the segment files in order (see concatList). */
  readonly listPath: string;
  readonly fps: number;
  /** Frames in all segments together: the audio is fitted to exactly their length. */
  readonly frameCount: number;
  readonly audioPath: string;
  readonly outputPath: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * Segments joined by the concat demuxer with the video copied (no re-encode, so no generation
 * loss and no seam), and the audio fitted and encoded once over the whole length, as encodeArgs
 * does: both streams start at 0 and end together. `copy` (soundCopies): the source's AAC stream
 * cut to the video's length instead, as audioEncodeArgs does.
 */
export function joinSegmentsArgs(spec: JoinSpec & { readonly copy?: boolean }): string[] {
  const seconds = videoSeconds(spec.frameCount, spec.fps);
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'concat', '-safe', '0', '-i', spec.listPath,
    '-i', spec.audioPath,
    '-map', '0:v:0', '-map', '1:a:0',
    ...soundArgs(seconds, spec.copy),
    '-c:v', 'copy',
    ...metadataArgs(spec.metadata),
    '-movflags', '+faststart',
    '-f', 'mp4', spec.outputPath,
  ];
}

/** The concat demuxer's list file for `files`, quoted so any path is read back as written. */
export const concatList = (files: readonly string[]): string =>
  `ffconcat version 1.0\n${files.map((f) => `file '${f.replace(/'/g, "'\\''")}'\n`).join('')}`;

/** ffmpeg's gain for each channel of a stereo pair it downmixes to mono: -3 dB. */
const SIDE_GAIN = Math.SQRT1_2.toFixed(6);

/**
 * Any audio file -> mono 32-bit float PCM at `sampleRate` on stdout (or into `outputPath`), at
 * most `maxSeconds` of it: ffmpeg's downmix (a stereo file's channels summed at -3 dB each), or
 * with `side` their difference at the same gains (the speech of a stereo file whose two channels
 * are each other's negative, which the sum cancels).
 */
export function decodeAudioArgs(inputPath: string, sampleRate: number, maxSeconds: number, outputPath?: string, opts: { side?: boolean } = {}): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-nostdin', '-i', inputPath, '-map', '0:a:0', '-vn', '-t', String(maxSeconds),
    ...(opts.side ? ['-af', `pan=mono|c0=${SIDE_GAIN}*c0-${SIDE_GAIN}*c1`] : ['-ac', '1']), '-ar', String(sampleRate), '-f', 'f32le', ...(outputPath ? ['-y', outputPath] : ['pipe:1'])];
}

export function probeArgs(inputPath: string): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', inputPath];
}
