// Chinese and English text. Elements built with `tr`/`trAttr` carry their key and are updated in
// place when the language changes, so switching never resets a half-filled form.

export type Lang = 'en' | 'zh';
type Vars = Record<string, string | number>;

const en = {
  skip: 'Skip to content',
  brand: 'Image Digital Human',
  brandSub: 'Portrait + speech → talking video',
  navCreate: 'Create video',
  navTasks: 'Tasks',
  navVoice: 'Voice synthesis',
  langSwitch: '中文',
  langSwitchLabel: 'Switch to Chinese',
  apiKey: 'API key',
  apiKeySet: 'API key set',
  apiKeyTitle: 'API key',
  apiKeyHelp: 'This service needs an API key. It is kept in this browser only and sent as "Authorization: Bearer" with each request.',
  apiKeyNeeded: 'The service refused the request: an API key is needed, or the one saved is not valid.',
  apiKeyLabel: 'Key',
  save: 'Save',
  cancel: 'Cancel',
  clear: 'Forget key',
  close: 'Close',
  // create page
  createTitle: 'Create a talking video',
  createLead: 'One portrait and one voice clip make a lip-synced 720p video of up to 3 minutes.',
  stepName: 'Name',
  taskName: 'Task name',
  taskNamePh: 'e.g. Product intro – spring sale',
  stepImage: 'Portrait',
  imageDrop: 'Choose a portrait',
  imageDropHint: 'JPEG, PNG or WebP, up to 30 MB. A clear, front-facing face works best.',
  imageChange: 'Change image',
  uploading: 'Uploading…',
  uploadFailed: 'Upload failed',
  faceChecking: 'Looking for a face…',
  faceFound: 'Face found',
  faceFoundMany: '{n} faces found – the one in the green frame will speak',
  faceNone: 'No face found',
  faceNoneHelp: 'The video can still be made, but the mouth may move in the wrong place. A photo with a clear, front-facing face works best.',
  faceCheckFailed: 'The face check did not run: {msg}',
  useAnyway: 'Make the video anyway',
  imageSize: '{w} × {h} px',
  stepAudio: 'Voice',
  audioUploadTab: 'Upload audio',
  audioTextTab: 'Type text',
  audioDrop: 'Choose an audio file',
  audioDropHint: 'WAV, MP3, M4A, AAC, OGG or FLAC speech.',
  audioChange: 'Change audio',
  audioLength: 'Length {s}',
  text: 'Text to speak',
  textPh: 'Type what the portrait should say…',
  voice: 'Voice',
  voiceLanguage: 'Language',
  allLanguages: 'All languages',
  speed: 'Speed',
  synthesize: 'Synthesize',
  synthesizing: 'Synthesizing…',
  synthesized: 'Speech ready – {s}',
  resynthNeeded: 'The text or voice changed; synthesize again to hear it.',
  stepSettings: 'Video settings',
  duration: 'Duration',
  durationHint: 'Up to 3 minutes. Preset from the audio length.',
  seconds: 'seconds',
  resizeMode: 'Frame',
  resizeAdaptive: '16:9 widescreen',
  resizeAdaptiveHint: '1280 × 720, cropped around the face',
  resizeFixed: 'Keep the image’s shape',
  resizeFixedHint: 'Short side 720 px, nothing cropped',
  cropPreview: 'Frame preview',
  cropPadded: 'The image is narrower than the frame; the sides are filled.',
  aspectTooLong: 'This image is more elongated than 3:1, which “keep the shape” cannot take. Crop it or use 16:9.',
  outputSize: 'Output {w} × {h}',
  prompt: 'Prompt',
  promptPh: 'Expression and movement, e.g. “smiling, calm nods”',
  promptHint: 'Optional.',
  watermark: 'Watermark',
  watermarkText: 'Watermark text',
  watermarkPh: 'Left empty: “AI-generated”',
  watermarkDefault: 'AI-generated',
  summary: 'Summary',
  confirm: 'Confirm and create',
  creating: 'Creating…',
  needName: 'Give the task a name.',
  needImage: 'Choose a portrait.',
  needImageUploaded: 'Wait for the portrait to finish uploading.',
  needFace: 'No face was found: tick “Make the video anyway” or choose another photo.',
  needAudio: 'Choose an audio file, or type text and pick a voice.',
  needAudioUploaded: 'Wait for the audio to finish uploading.',
  needDuration: 'Duration must be between 1 and 180 seconds.',
  prefilled: 'Filled in from voice synthesis.',
  // tasks page
  tasksTitle: 'Tasks',
  tasksLead: 'Videos are kept for {days} days after they finish; download them before they expire.',
  tasksLeadGeneric: 'Videos are kept for a limited time after they finish; download them before they expire.',
  filterAll: 'All',
  status_queued: 'Queued',
  status_processing: 'Processing',
  status_succeeded: 'Ready',
  status_failed: 'Failed',
  status_expired: 'Expired',
  statusFilter: 'Filter by status',
  refresh: 'Refresh',
  noTasks: 'No tasks yet.',
  noTasksCta: 'Create your first video',
  play: 'Play',
  download: 'Download',
  delete: 'Delete',
  details: 'Details',
  deleteConfirmTitle: 'Delete this task?',
  deleteConfirm: '“{name}” and its video will be removed. This cannot be undone.',
  deleted: 'Task deleted.',
  daysLeft: '{n} days left',
  dayLeft: '1 day left',
  lessThanDay: 'Expires today',
  expiredOn: 'Expired',
  progress: 'Progress',
  prev: 'Previous',
  next: 'Next',
  pageOf: 'Page {page} of {pages}',
  created: 'Created {t}',
  taskId: 'Task #{id}',
  // detail
  back: 'All tasks',
  detailTitle: 'Task',
  waitingQueue: 'Waiting for a free renderer…',
  rendering: 'Rendering the video…',
  resultVideo: 'Result',
  info: 'Details',
  infoSize: 'Size',
  infoDuration: 'Length',
  infoCreated: 'Created',
  infoFinished: 'Finished',
  infoExpires: 'Expires',
  infoTime: 'Render time',
  infoAvatar: 'Avatar id',
  errorTitle: 'The video could not be made',
  errorCode: 'Error {code}',
  notFoundTask: 'This task does not exist (it may have been deleted).',
  // voice page
  voiceTitle: 'Voice synthesis',
  voiceLead: 'No recording? Turn text into speech, listen, download it, or use it for a video.',
  gender: 'Gender',
  gender_male: 'Male',
  gender_female: 'Female',
  gender_unknown: 'Neutral',
  anyGender: 'Any',
  voicesCount: '{n} voices',
  result: 'Result',
  useForVideo: 'Use for a video',
  noVoices: 'No voices match.',
  loadingVoices: 'Loading voices…',
  // generic
  loading: 'Loading…',
  retry: 'Try again',
  networkError: 'The service could not be reached. Check that it is running.',
  unknownError: 'Something went wrong: {msg}',
  technical: 'Technical details',
  secondsShort: '{s} s',
  minSec: '{m} min {s} s',
};

export type MsgKey = keyof typeof en;

const zh: Record<MsgKey, string> = {
  skip: '跳到正文',
  brand: '图片数字人',
  brandSub: '一张照片 + 一段语音 → 口型同步的视频',
  navCreate: '创建视频',
  navTasks: '任务列表',
  navVoice: '语音合成',
  langSwitch: 'English',
  langSwitchLabel: '切换到英文',
  apiKey: 'API 密钥',
  apiKeySet: '已设置密钥',
  apiKeyTitle: 'API 密钥',
  apiKeyHelp: '此服务需要 API 密钥。密钥只保存在本浏览器中，每次请求时以 “Authorization: Bearer” 发送。',
  apiKeyNeeded: '服务拒绝了请求：需要 API 密钥，或已保存的密钥无效。',
  apiKeyLabel: '密钥',
  save: '保存',
  cancel: '取消',
  clear: '清除密钥',
  close: '关闭',
  createTitle: '创建数字人视频',
  createLead: '一张人像加一段语音，生成最长 3 分钟、口型同步的 720P 视频。',
  stepName: '名称',
  taskName: '任务名称',
  taskNamePh: '例如：新品介绍——春季促销',
  stepImage: '人像图片',
  imageDrop: '选择人像图片',
  imageDropHint: 'JPEG、PNG 或 WebP，最大 30 MB。正脸清晰的照片效果最好。',
  imageChange: '更换图片',
  uploading: '上传中…',
  uploadFailed: '上传失败',
  faceChecking: '正在检测人脸…',
  faceFound: '已检测到人脸',
  faceFoundMany: '检测到 {n} 张人脸，绿色框内的人脸将开口说话',
  faceNone: '未检测到人脸',
  faceNoneHelp: '仍可生成视频，但嘴部动作可能位置不准。建议使用正脸清晰的照片。',
  faceCheckFailed: '人脸检测未能运行：{msg}',
  useAnyway: '仍然生成视频',
  imageSize: '{w} × {h} 像素',
  stepAudio: '声音',
  audioUploadTab: '上传音频',
  audioTextTab: '输入文字',
  audioDrop: '选择音频文件',
  audioDropHint: '支持 WAV、MP3、M4A、AAC、OGG、FLAC 语音。',
  audioChange: '更换音频',
  audioLength: '时长 {s}',
  text: '要说的文字',
  textPh: '输入人像要说的话…',
  voice: '音色',
  voiceLanguage: '语言',
  allLanguages: '全部语言',
  speed: '语速',
  synthesize: '合成',
  synthesizing: '合成中…',
  synthesized: '语音已生成：{s}',
  resynthNeeded: '文字或音色已更改，请重新合成后试听。',
  stepSettings: '视频设置',
  duration: '视频时长',
  durationHint: '最长 3 分钟，默认取音频时长。',
  seconds: '秒',
  resizeMode: '画面',
  resizeAdaptive: '16:9 宽屏',
  resizeAdaptiveHint: '1280 × 720，围绕人脸裁剪',
  resizeFixed: '保持原图比例',
  resizeFixedHint: '短边 720 像素，不裁剪',
  cropPreview: '画面预览',
  cropPadded: '图片比画面窄，两侧将被填充。',
  aspectTooLong: '图片长宽比超过 3:1，“保持原图比例”无法处理。请裁剪图片或选择 16:9。',
  outputSize: '输出 {w} × {h}',
  prompt: '提示词',
  promptPh: '表情与动作，例如“微笑，轻轻点头”',
  promptHint: '可选。',
  watermark: '水印',
  watermarkText: '水印文字',
  watermarkPh: '留空则为“AI 生成”',
  watermarkDefault: 'AI 生成',
  summary: '概览',
  confirm: '确认创建',
  creating: '创建中…',
  needName: '请填写任务名称。',
  needImage: '请选择人像图片。',
  needImageUploaded: '请等待图片上传完成。',
  needFace: '未检测到人脸：请勾选“仍然生成视频”或更换照片。',
  needAudio: '请选择音频文件，或输入文字并选择音色。',
  needAudioUploaded: '请等待音频上传完成。',
  needDuration: '视频时长须在 1 到 180 秒之间。',
  prefilled: '已从语音合成页填入。',
  tasksTitle: '任务列表',
  tasksLead: '视频在完成后保留 {days} 天，请在过期前下载。',
  tasksLeadGeneric: '视频在完成后保留一段时间，请在过期前下载。',
  filterAll: '全部',
  status_queued: '排队中',
  status_processing: '生成中',
  status_succeeded: '已完成',
  status_failed: '失败',
  status_expired: '已过期',
  statusFilter: '按状态筛选',
  refresh: '刷新',
  noTasks: '还没有任务。',
  noTasksCta: '创建第一个视频',
  play: '播放',
  download: '下载',
  delete: '删除',
  details: '详情',
  deleteConfirmTitle: '删除此任务？',
  deleteConfirm: '“{name}”及其视频将被删除，且无法恢复。',
  deleted: '任务已删除。',
  daysLeft: '剩余 {n} 天',
  dayLeft: '剩余 1 天',
  lessThanDay: '今天过期',
  expiredOn: '已过期',
  progress: '进度',
  prev: '上一页',
  next: '下一页',
  pageOf: '第 {page} / {pages} 页',
  created: '创建于 {t}',
  taskId: '任务 #{id}',
  back: '全部任务',
  detailTitle: '任务',
  waitingQueue: '正在等待空闲的渲染器…',
  rendering: '正在生成视频…',
  resultVideo: '生成结果',
  info: '详细信息',
  infoSize: '尺寸',
  infoDuration: '时长',
  infoCreated: '创建时间',
  infoFinished: '完成时间',
  infoExpires: '过期时间',
  infoTime: '生成耗时',
  infoAvatar: '形象 ID',
  errorTitle: '视频生成失败',
  errorCode: '错误码 {code}',
  notFoundTask: '任务不存在（可能已被删除）。',
  voiceTitle: '语音合成',
  voiceLead: '没有录音？把文字转成语音，试听、下载，或直接用于生成视频。',
  gender: '性别',
  gender_male: '男声',
  gender_female: '女声',
  gender_unknown: '中性',
  anyGender: '不限',
  voicesCount: '{n} 个音色',
  result: '合成结果',
  useForVideo: '用于生成视频',
  noVoices: '没有符合条件的音色。',
  loadingVoices: '正在加载音色…',
  loading: '加载中…',
  retry: '重试',
  networkError: '无法连接服务，请确认服务正在运行。',
  unknownError: '出错了：{msg}',
  technical: '技术细节',
  secondsShort: '{s} 秒',
  minSec: '{m} 分 {s} 秒',
};

const DICTS: Record<Lang, Record<MsgKey, string>> = { en, zh };
const STORAGE_KEY = 'dh.lang';

function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let lang: Lang = initialLang();
const listeners = new Set<() => void>();

export const getLang = (): Lang => lang;

export function t(key: MsgKey, vars: Vars = {}): string {
  return DICTS[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** A text node-holding span that follows the language. */
export function tr(key: MsgKey, vars?: Vars): HTMLSpanElement {
  const span = document.createElement('span');
  bind(span, 'text', key, vars);
  return span;
}

/** Sets an attribute (placeholder, aria-label, title) from a key and keeps it translated. */
export function trAttr<E extends Element>(el: E, attr: string, key: MsgKey, vars?: Vars): E {
  bind(el, attr, key, vars);
  return el;
}

/** Changes what a translated element says. */
export function retext(el: Element, key: MsgKey, vars?: Vars): void {
  bind(el, 'text', key, vars);
}

function bind(el: Element, attr: string, key: MsgKey, vars?: Vars): void {
  const data = el as Element & { __i18n?: Record<string, [MsgKey, Vars | undefined]> };
  data.__i18n ??= {};
  data.__i18n[attr] = [key, vars];
  el.setAttribute('data-i18n', '');
  render(el, attr, key, vars);
}

function render(el: Element, attr: string, key: MsgKey, vars?: Vars): void {
  if (attr === 'text') el.textContent = t(key, vars);
  else el.setAttribute(attr, t(key, vars));
}

function applyAll(): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('brand');
  refreshI18n(document);
}

/**
 * Brings the bound texts under `root` up to the current language. Pages kept while away (the
 * create page) missed the switch; the router calls this when it puts them back.
 */
export function refreshI18n(root: ParentNode): void {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const map = (el as Element & { __i18n?: Record<string, [MsgKey, Vars | undefined]> }).__i18n;
    if (map) for (const [attr, [key, vars]] of Object.entries(map)) render(el, attr, key, vars);
    else if (el.getAttribute('data-i18n')) el.textContent = t(el.getAttribute('data-i18n') as MsgKey);
  }
}

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem(STORAGE_KEY, next);
  applyAll();
  for (const fn of listeners) fn();
}

/** Called after every language change (for text that is rebuilt rather than bound). */
export function onLangChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function initI18n(): void {
  applyAll();
}

/** Locale for dates and numbers. */
export const locale = (): string => (lang === 'zh' ? 'zh-CN' : 'en-GB');
