// Every limit of the render specification, written once. The schemas (options.ts), the stages
// that check their own inputs (tts) and the messages all read them from here; the video's own
// properties (size, frame rate, duration range) are in core/video.ts.
export const SPEC_LIMITS = Object.freeze({
  promptChars: 2000,
  watermarkChars: 60,
  /** Text to speak, in characters (code points after trimming). */
  textChars: 5000,
  voiceIdChars: 100,
  /** Speaking rate, 1 = the voice's normal rate. */
  minSpeed: 0.5,
  maxSpeed: 2,
  /** A speaker's audioUrl (a URL, or a file path in the CLI). */
  urlChars: 2048,
  /** Speakers in one picture (param.speakers, --speaker). */
  speakers: 6,
});

/** The watermark text drawn when `watermark.show` is set without content. */
export const WATERMARK_DEFAULT = 'AI生成 AI-generated';
