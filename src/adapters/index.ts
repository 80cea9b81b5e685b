// Default (embedded) implementations of the ports, for the CLI and the single-machine service.
// The CLI fetches what its user names, so private and loopback URLs are allowed; the service
// builds its own fetcher with DH_ALLOW_PRIVATE_URLS.
import type { PipelineDeps } from '../core/ports.js';
import { createHumanFaceDetector } from './face-human.js';
import { createSafeFetcher } from './safe-fetch.js';
import { cachedFaceDetector } from './face-cache.js';
import { createFallbackFaceDetector } from './face-fallback.js';

export function defaultPipelineDeps(): PipelineDeps {
  return { faceDetector: cachedFaceDetector(createFallbackFaceDetector(createHumanFaceDetector())), fetcher: createSafeFetcher({ allowPrivate: true }) };
}
