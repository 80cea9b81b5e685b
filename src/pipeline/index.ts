export { renderVideo, AI_LABEL, type PipelineDeps, type RenderOptions, type RenderResult } from './render-video.js';
export { validateRenderRequest, validateDuration, frameCountFor, RESIZE_MODES, LIMITS, type RenderRequest } from './request.js';
export { validateSpeakers, checkSpeakerFaces, SPEAKER_LIMITS, type SpeakerRequest } from './speaker-request.js';
export type { SpeakerReport } from './speakers.js';
