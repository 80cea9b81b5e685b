export { renderVideo, AI_LABEL, type PipelineDeps, type RenderOptions, type RenderResult } from './render-video.js';
export { frameCountFor, type LocalInputs, type RenderSpec } from './request.js';
