// What a text prompt says about how the person should look and move: smiling, calm or lively,
// nodding, holding the viewer's gaze or looking around. Keyword cues in English and Chinese; what the prompt says
// about anything else (a scene, clothing) is not something a warp of one photo can show, and is
// ignored. Pure.

export interface MotionStyle {
  /** Scales head drift. */
  readonly motion: number;
  /** Scales nods on stressed syllables. */
  readonly nod: number;
  /** Scales how often the eyes look away. */
  readonly lookAway: number;
  /** Smile held through the video, 0..1. */
  readonly smile: number;
  /** The cues found in the prompt, for reporting. */
  readonly cues: readonly string[];
}

export const NEUTRAL_STYLE: MotionStyle = Object.freeze({ motion: 1, nod: 1, lookAway: 1, smile: 0, cues: [] });

interface Cue {
  readonly name: string;
  readonly words: readonly string[];
  readonly style: Partial<Omit<MotionStyle, 'cues'>>;
}

const CUES: readonly Cue[] = [
  { name: 'calm', words: ['calm', 'gentle', 'relaxed', 'quiet', 'steady', 'soft', 'soothing', '平静', '冷静', '安静', '温和', '沉稳', '稳重', '轻柔'], style: { motion: 0.6, nod: 0.7 } },
  { name: 'lively', words: ['energetic', 'lively', 'excited', 'enthusiastic', 'animated', 'dynamic', 'passionate', 'cheerful', 'happy', '活泼', '激动', '兴奋', '热情', '生动', '活力', '开心', '欢快'], style: { motion: 1.6, nod: 1.4 } },
  { name: 'focused', words: ['serious', 'focused', 'formal', 'professional', 'confident', 'anchor', 'presenter', 'news', '严肃', '专注', '正式', '专业', '自信', '主播', '播音', '新闻'], style: { motion: 0.8, lookAway: 0.35 } },
  { name: 'nodding', words: ['nod', 'nods', 'nodding', 'agree', 'agreeing', '点头', '赞同'], style: { nod: 1.8 } },
  { name: 'looking around', words: ['look around', 'looking around', 'glance', 'curious', '环顾', '张望', '好奇', '东张西望'], style: { lookAway: 2.2 } },
  { name: 'smiling', words: ['smile', 'smiles', 'smiling', 'friendly', 'warm', 'happy', 'cheerful', 'joyful', '微笑', '笑', '开心', '友好', '亲切', '愉快'], style: { smile: 0.7 } },
  { name: 'still', words: ['still', 'motionless', 'no head movement', '不动', '静止'], style: { motion: 0.25, nod: 0.3 } },
];

/** The motion style a prompt asks for; cues combine by multiplying. */
export function styleFromPrompt(prompt: string | undefined): MotionStyle {
  if (!prompt) return NEUTRAL_STYLE;
  const text = prompt.toLowerCase();
  // Latin words must match whole words ("nod" is not in "anode"); CJK words have no spaces.
  const has = (w: string) => (/^[\x00-\x7f]+$/.test(w) ? new RegExp(`(^|[^a-z])${w}([^a-z]|$)`).test(text) : text.includes(w));
  let motion = 1, nod = 1, lookAway = 1, smile = 0;
  const cues: string[] = [];
  for (const cue of CUES) {
    if (!cue.words.some(has)) continue;
    cues.push(cue.name);
    motion *= cue.style.motion ?? 1;
    nod *= cue.style.nod ?? 1;
    lookAway *= cue.style.lookAway ?? 1;
    smile = Math.max(smile, cue.style.smile ?? 0);
  }
  return { motion, nod, lookAway, smile, cues };
}
