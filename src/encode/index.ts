export { encodeArgs, decodeAudioArgs, probeArgs, videoSeconds, ENCODE_DEFAULTS, type EncodeSpec } from './ffmpeg-args.js';
