// Default (embedded) implementations of the ports, for the CLI and the single-machine service.
import type { PipelineDeps } from '../core/ports.js';
import { createHumanFaceDetector } from './face-human.js';
import { cachedFaceDetector } from './face-cache.js';
import { createFallbackFaceDetector } from './face-fallback.js';
import { sharpImageCodec } from './image-sharp.js';
import { ffmpegEncoder } from './ffmpeg.js';
import { createHumanSegmenter } from './segment-human.js';

export { sharpImageCodec } from './image-sharp.js';
export { ffmpegEncoder } from './ffmpeg.js';

export function defaultPipelineDeps(): PipelineDeps {
  return { faceDetector: cachedFaceDetector(createFallbackFaceDetector(createHumanFaceDetector())), imageCodec: sharpImageCodec, encoder: ffmpegEncoder, segmenter: createHumanSegmenter() };
}
