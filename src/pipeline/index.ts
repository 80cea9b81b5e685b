export { renderVideo, AI_LABEL, type PipelineDeps, type RenderOptions, type RenderResult } from './render-video.js';
export { validateRenderRequest, validateDuration, frameCountFor, RESIZE_MODES, LIMITS, type RenderRequest } from './request.js';
