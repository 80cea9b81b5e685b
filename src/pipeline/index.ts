export { renderVideo, renderSegment, joinSegments, planVideo, type VideoPlan, AI_LABEL, type PipelineDeps, type RenderOptions, type RenderResult } from './render-video.js';
export { validateRenderRequest, validateDuration, frameCountFor, planSegments, RESIZE_MODES, LIMITS, type RenderRequest } from './request.js';
export type { FrameRange } from './frame-pool.js';
