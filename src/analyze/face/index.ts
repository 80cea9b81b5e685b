export type { FaceDetector } from '../../core/ports.js';
export { rigFromLandmarks, rigWithoutFace, PROFILE_SAMPLES } from './rig.js';
export { LM, LANDMARK_COUNT } from './landmarks.js';
export { pickMainFace } from './pick.js';
