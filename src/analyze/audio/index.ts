export { loudnessEnvelope, quantile, type LoudnessEnvelope } from './loudness.js';
