export type { FaceDetector } from '../../core/ports.js';
export { rigFromLandmarks, PROFILE_SAMPLES } from './rig.js';
export { LM, LANDMARK_COUNT } from './landmarks.js';
export { pickMainFace } from './pick.js';
export { landmarksFromPoints, checkFacePoints, faceSummary, FACE_POINT_NAMES } from './points.js';
export { withRoundEyes, roundEyeRadius, ROUND_EYES } from './round-eyes.js';
export { withOpenMouth, openMouthDepth, OPEN_MOUTH } from './open-mouth.js';
export { numberFaces, faceList, type NumberedFace } from './number.js';
export { resolveStyle, faceProportions, DRAWN, type StyleReading } from './style.js';
