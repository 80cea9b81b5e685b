// What a text prompt says about how the person should look and move: smiling, calm or lively,
// nodding, holding the viewer's gaze or looking around, downcast, with busy brows. Keyword cues
// in English and Chinese, and the common ones in Japanese, Korean, German, Spanish and French;
// what the prompt says about anything else (a scene, clothing, hands) is not something a warp of
// one photo can show, and is ignored. Pure.

export interface MotionStyle {
  /** Scales head drift. */
  readonly motion: number;
  /** Scales nods on stressed syllables. */
  readonly nod: number;
  /** Scales how often the eyes look away. */
  readonly lookAway: number;
  /** Smile held through the video, 0..1. */
  readonly smile: number;
  /** Scales how far the brows rise on stressed syllables and a rising voice. */
  readonly brows: number;
  /** A downcast bearing, 0..1: the head held lower and the eyes lowered. */
  readonly lower: number;
  /** The cues found in the prompt, for reporting. */
  readonly cues: readonly string[];
}

export const NEUTRAL_STYLE: MotionStyle = Object.freeze({ motion: 1, nod: 1, lookAway: 1, smile: 0, brows: 1, lower: 0, cues: [] });

interface Cue {
  readonly name: string;
  readonly words: readonly string[];
  readonly style: Partial<Omit<MotionStyle, 'cues'>>;
}

// Each cue's words: English, Chinese, then Japanese, Korean, German, Spanish, French.
const CUES: readonly Cue[] = [
  { name: 'calm', words: ['calm', 'calmly', 'gentle', 'relaxed', 'quiet', 'steady', 'soft', 'soothing', '平静', '冷静', '安静', '温和', '沉稳', '稳重', '轻柔',
    '落ち着', '穏やか', '静か', '차분', '침착', '조용', 'ruhig', 'gelassen', 'sanft', 'tranquilo', 'tranquila', 'calmado', 'calmada', 'sereno', 'calme', 'posé', 'doux', 'douce'], style: { motion: 0.6, nod: 0.7 } },
  { name: 'lively', words: ['energetic', 'lively', 'excited', 'enthusiastic', 'animated', 'dynamic', 'passionate', 'cheerful', 'happy', '活泼', '激动', '兴奋', '热情', '生动', '活力', '开心', '欢快',
    '元気', '活発', '楽しそう', '明るく', '활기', '신나', '열정', 'lebhaft', 'begeistert', 'fröhlich', 'energisch', 'animado', 'animada', 'entusiasta', 'alegre', 'enérgico', 'enérgica', 'énergique', 'enthousiaste', 'joyeux', 'joyeuse'], style: { motion: 1.6, nod: 1.4 } },
  { name: 'focused', words: ['serious', 'focused', 'formal', 'professional', 'confident', 'anchor', 'presenter', 'news', '严肃', '专注', '正式', '专业', '自信', '主播', '播音', '新闻',
    '真剣', 'まじめ', '真面目', 'アナウンサー', 'ニュース', '진지', '뉴스', '앵커', 'ernst', 'seriös', 'professionell', 'nachrichten', 'serio', 'seria', 'profesional', 'noticias', 'sérieux', 'sérieuse', 'professionnel', 'journal'], style: { motion: 0.8, lookAway: 0.35 } },
  { name: 'nodding', words: ['nod', 'nods', 'nodding', 'agree', 'agreeing', 'bobbing', 'head bob', '点头', '赞同', '摇头晃脑',
    'うなず', '頷', '끄덕', 'nicken', 'nickt', 'nickend', 'asentir', 'asiente', 'asintiendo', 'hocher', 'hoche'], style: { nod: 1.8 } },
  { name: 'looking around', words: ['look around', 'looking around', 'glance', 'curious', '环顾', '张望', '好奇', '东张西望',
    '見回', 'きょろきょろ', '好奇心', '둘러', '두리번', 'neugierig', 'umherschauen', 'curioso', 'curiosa', 'mirando alrededor', 'curieux', 'curieuse', 'regarder autour'], style: { lookAway: 2.2 } },
  { name: 'smiling', words: ['smile', 'smiles', 'smiling', 'friendly', 'warm', 'happy', 'cheerful', 'joyful', '微笑', '笑', '开心', '友好', '亲切', '愉快',
    'にこにこ', '笑顔', '微笑み', '미소', '웃', '친근', 'lächeln', 'lächelnd', 'freundlich', 'sonriente', 'sonriendo', 'sonrisa', 'amable', 'sourire', 'souriant', 'souriante', 'amical'], style: { smile: 0.7 } },
  { name: 'still', words: ['still', 'motionless', 'no head movement', '不动', '静止', '動かない', '静止した', '움직이지', 'regungslos', 'bewegungslos', 'inmóvil', 'immobile'], style: { motion: 0.25, nod: 0.3 } },
  { name: 'downcast', words: ['sad', 'sadly', 'unhappy', 'sorrowful', 'melancholy', 'gloomy', 'shy', 'looking down', 'look down', 'downcast', '伤心', '难过', '悲伤', '忧郁', '低头', '害羞', '沮丧',
    '悲し', '寂し', 'うつむ', '恥ずかし', '슬프', '슬픈', '우울', '수줍', 'traurig', 'schüchtern', 'niedergeschlagen', 'triste', 'tímido', 'tímida', 'cabizbajo', 'timide', 'mélancolique'], style: { motion: 0.6, nod: 0.6, lookAway: 0.6, lower: 1 } },
  { name: 'expressive brows', words: ['eyebrow', 'eyebrows', 'brows', 'expressive', 'surprised', 'amazed', 'astonished', '挑眉', '眉毛', '表情丰富', '惊讶', '吃惊',
    '眉', '驚', '表情豊か', '눈썹', '놀란', '놀라', 'augenbrauen', 'ausdrucksstark', 'überrascht', 'cejas', 'expresivo', 'expresiva', 'sorprendido', 'sorprendida', 'sourcils', 'expressif', 'expressive', 'surpris', 'surprise'], style: { brows: 2 } },
];

/**
 * What says a cue is not wanted ("no smile", "不要笑", "ohne Lächeln", "笑わない", "웃지 마"): a
 * prompt asking for no smile got one. Before the cue, in its clause: up to NEGATION_REACH Latin
 * words (not across "and", "but"...), or, in Chinese, one of NEGATE_BEFORE_CJK among the few
 * characters before it (NOT_NEGATION's compounds, "不断点头" = keep nodding, left out), or 不
 * right before it; after it, in Japanese and Korean, one of NEGATE_AFTER.
 */
const NEGATE_BEFORE = new Set(['no', 'not', "don't", 'dont', "doesn't", 'never', 'without', 'stop', 'avoid', 'nor', 'kein', 'keine', 'keinen', 'nicht', 'ohne', 'sin', 'nunca', 'sans', 'pas', 'jamais']);
const CONJUNCTIONS = new Set(['and', 'but', 'or', 'then', 'und', 'aber', 'oder', 'y', 'pero', 'o', 'et', 'mais', 'ou']);
const NEGATION_REACH = 3;
const NEGATE_BEFORE_CJK = ['不要', '不许', '不用', '不能', '不会', '不想', '不带', '别', '勿', '没有', '没', '无', '避免', '禁止', '毫无', '莫', '안 '];
const NOT_NEGATION = ['不断', '不停', '不时', '不错', '不仅', '不少', '不同', '不过', '特别', '区别', '分别', '性别', '个别', '差别', '告别', '无论', '无比'];
const NEGATE_AFTER = ['ない', 'なし', '無し', '않', '지 마', '지마', '말고', '금지'];
const CJK_REACH = 4;
/** Where a clause ends: a cue's negation reaches no further. */
const CLAUSE_END = /[,.;:!?()\[\]|/，。；：！？、（）\n]/;

/** What the clause holding text[at, at + length) says before and after it, and those words (punctuation trimmed). */
function clauseAround(text: string, at: number, length: number) {
  let from = at;
  while (from > 0 && !CLAUSE_END.test(text[from - 1])) from--;
  let to = at + length;
  while (to < text.length && !CLAUSE_END.test(text[to])) to++;
  const before = text.slice(from, at), after = text.slice(at + length, to);
  const words = (t: string) => t.split(/\s+/).map((w) => w.replace(/^[^\p{L}']+|[^\p{L}']+$/gu, '')).filter(Boolean);
  return { before, after, wordsBefore: words(before), wordsAfter: words(after) };
}

function negated(text: string, at: number, length: number): boolean {
  const { before, after, wordsBefore: words } = clauseAround(text, at, length);
  for (let i = words.length - 1; i >= Math.max(0, words.length - NEGATION_REACH); i--) {
    const w = words[i];
    if (CONJUNCTIONS.has(w)) break;
    if (NEGATE_BEFORE.has(w)) return true;
  }
  let near = before.slice(-CJK_REACH);
  for (const c of NOT_NEGATION) near = near.split(c).join('_');
  if (near.endsWith('不') || NEGATE_BEFORE_CJK.some((n) => near.includes(n))) return true;
  return NEGATE_AFTER.some((n) => after.slice(0, CJK_REACH).includes(n));
}

/**
 * How much of a cue a prompt asks for: SOFTER next to it ("a slight smile", "smiling a little",
 * "稍微点头", "少し笑顔") halves it, STRONGER ("a big smile", "very calm", "非常活泼") takes it
 * STRONGER_BY as far: the one or two words just before or after it in its clause, or one of the
 * CJK modifiers among the CJK_REACH characters before it.
 */
const SOFTER = new Set(['slight', 'slightly', 'a little', 'a bit', 'subtle', 'subtly', 'faint', 'somewhat', 'mild', 'mildly', 'leicht', 'etwas', 'un peu', 'légèrement', 'ligeramente', 'un poco', 'levemente']);
const STRONGER = new Set(['very', 'big', 'broad', 'wide', 'huge', 'really', 'extremely', 'super', 'lots of', 'sehr', 'très', 'muy', 'mucho']);
const SOFTER_CJK = ['稍微', '稍', '略', '淡淡', '一点', '有点', '少し', 'ちょっと', 'やや', '살짝', '약간', '조금'];
const STRONGER_CJK = ['非常', '特别', '很', '大', '灿烂', '十分', 'とても', 'すごく', '大きな', '아주', '매우', '많이', '활짝'];
const SOFTER_BY = 0.5, STRONGER_BY = 1.4;

function intensity(text: string, at: number, length: number): number {
  const { before, wordsBefore: wb, wordsAfter: wa } = clauseAround(text, at, length);
  const near = [wb.at(-1), wb.slice(-2).join(' '), wa[0], wa.slice(0, 2).join(' ')].filter((w): w is string => !!w);
  const cjk = before.slice(-CJK_REACH);
  if (near.some((w) => SOFTER.has(w)) || SOFTER_CJK.some((m) => cjk.includes(m))) return SOFTER_BY;
  if (near.some((w) => STRONGER.has(w)) || STRONGER_CJK.some((m) => cjk.includes(m))) return STRONGER_BY;
  return 1;
}

/**
 * How much the prompt asks for `cue` (0: not at all): one of its words said and not negated, as
 * strongly as the words next to it say (intensity); a word negated anywhere ("happy, but no
 * smile") turns the cue off whatever else says it.
 */
function asked(text: string, cue: Cue): number {
  let said = 0;
  for (const w of cue.words) {
    // Latin words must match whole words ("nod" is not in "anode"); CJK words have no spaces.
    const latin = /^[\x00-\x7f]+$/.test(w);
    const re = latin ? new RegExp(`(^|[^a-z])(${w})(?=[^a-z]|$)`, 'g') : null;
    for (let at = 0; ;) {
      let i: number;
      if (re) {
        const m = re.exec(text);
        if (!m) break;
        i = m.index + m[1].length;
      } else {
        i = text.indexOf(w, at);
        if (i < 0) break;
        at = i + w.length;
      }
      if (negated(text, i, w.length)) return 0;
      said = Math.max(said, intensity(text, i, w.length));
    }
  }
  return said;
}

/** The motion style a prompt asks for; cues combine by multiplying, each as strongly as it is asked for. */
export function styleFromPrompt(prompt: string | undefined): MotionStyle {
  if (!prompt) return NEUTRAL_STYLE;
  const text = prompt.toLowerCase();
  let motion = 1, nod = 1, lookAway = 1, smile = 0, brows = 1, lower = 0;
  const cues: string[] = [];
  for (const cue of CUES) {
    const k = asked(text, cue);
    if (k === 0) continue;
    cues.push(cue.name);
    // A scale's way from 1, or an amount's from 0, taken k times as far ("very still" holds the
    // head still, never moves it the other way).
    const scale = (v: number | undefined) => Math.max(0, 1 + ((v ?? 1) - 1) * k);
    motion *= scale(cue.style.motion);
    nod *= scale(cue.style.nod);
    lookAway *= scale(cue.style.lookAway);
    smile = Math.max(smile, Math.min(1, (cue.style.smile ?? 0) * k));
    brows *= scale(cue.style.brows);
    lower = Math.max(lower, Math.min(1, (cue.style.lower ?? 0) * k));
  }
  return { motion, nod, lookAway, smile, brows, lower, cues };
}
