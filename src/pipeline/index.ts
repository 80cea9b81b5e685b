export { renderVideo, renderSegment, joinSegments, planVideo, type VideoPlan, AI_LABEL, type PipelineDeps, type RenderOptions, type RenderResult } from './render-video.js';
export { frameCountFor, planSegments, type LocalInputs, type RenderSpec } from './request.js';
export { keepFrameThreads, type FrameRange, type FrameThreadKeeper } from './frame-pool.js';
export { baseFrame } from './base-frame.js';
export type { SpeakerRequest } from './speaker-request.js';
export { checkSpeakerFaces, checkSpeakersSpec } from './speaker-request.js';
export type { SpeakerReport } from './speakers.js';
