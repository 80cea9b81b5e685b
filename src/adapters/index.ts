// Default (embedded) implementations of the ports, for the CLI and the single-machine service.
import type { PipelineDeps } from '../pipeline/index.js';
import { createHumanFaceDetector } from './face-human.js';
import { createHttpFetcher } from './http-fetch.js';

export function defaultPipelineDeps(): PipelineDeps {
  return { faceDetector: createHumanFaceDetector(), fetcher: createHttpFetcher() };
}
