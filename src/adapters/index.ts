// Default (embedded) implementations of the ports, for the CLI and the single-machine service.
import type { PipelineDeps } from '../core/ports.js';
import { createHumanFaceDetector } from './face-human.js';
import { createHttpFetcher } from './http-fetch.js';
import { cachedFaceDetector } from './face-cache.js';

export function defaultPipelineDeps(): PipelineDeps {
  return { faceDetector: cachedFaceDetector(createHumanFaceDetector()), fetcher: createHttpFetcher() };
}
