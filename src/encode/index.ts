export { encodeArgs, segmentEncodeArgs, joinSegmentsArgs, concatList, decodeAudioArgs, probeArgs, videoSeconds, ENCODE_DEFAULTS, type EncodeSpec, type JoinSpec } from './ffmpeg-args.js';
