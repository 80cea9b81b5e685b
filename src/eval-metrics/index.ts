// Measurements for judging rendered talking-head videos (npm run eval:render and the quality
// tests): pixel regions, per-frame series and their events, face identity and pose, sheet layout.
export { scaleBox, pixelBounds, luminance, meanAbsDiff, shiftedLumDiff, bestShift, medianIn, darkAperture, median, type Shift } from './regions.js';
export { detectBlinks, detrend, perMinute, rmsPerFrame, speechMask, argExtreme, range, evenlySpaced, pearson, type BlinkEvent, type BlinkOptions } from './series.js';
export {
  descriptorDistance, nearestFace, landmarkMean, landmarkBox, rollDegrees, faceRegions, innerLipOpening,
  type FaceDescription, type FaceRecognizer, type FaceRegions,
} from './face-measures.js';
export { sheetLayout, squareCrop, thumbHeight, SHEET_SPACING, type SheetRow, type SheetSpacing, type PlacedTile, type SheetLayout } from './sheet-layout.js';
export { lidFigures, type LidFigures } from './lids.js';
