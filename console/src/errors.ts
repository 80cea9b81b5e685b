// Error codes from the service's catalogue (src/core/errors.ts) in plain words. The service's own
// message, which says exactly what was wrong, is shown beneath as the technical detail.
import { ApiError, NETWORK_ERROR } from './api';
import { getLang, t } from './i18n';

type Plain = { en: string; zh: string };

const PLAIN: Record<number, Plain> = {
  1000: { en: 'Some information in the request is missing or not valid.', zh: '请求中有信息缺失或无效。' },
  1101: { en: 'The picture could not be found.', zh: '找不到这张图片。' },
  1102: { en: 'The picture could not be opened. Use a JPEG, PNG, WebP or HEIC photo.', zh: '图片无法打开，请使用 JPEG、PNG、WebP 或 HEIC 照片。' },
  1103: { en: 'The picture is too long and thin to keep its shape. Crop it, or choose the 16:9 frame.', zh: '图片过于细长，无法保持原图比例。请裁剪图片，或选择 16:9 画面。' },
  1104: { en: 'The picture is too small. Use a larger photo.', zh: '图片太小，请使用更大的照片。' },
  1201: { en: 'The audio could not be found.', zh: '找不到这段音频。' },
  1202: { en: 'The audio could not be played. Use WAV, MP3, M4A, AAC, OGG or FLAC speech.', zh: '音频无法播放，请使用 WAV、MP3、M4A、AAC、OGG 或 FLAC 格式的语音。' },
  1203: { en: 'The audio is longer than 3 minutes. Shorten it or set a shorter duration.', zh: '音频超过 3 分钟，请剪短或设置更短的时长。' },
  1204: { en: 'The audio contains no sound.', zh: '音频中没有声音。' },
  1301: { en: 'The duration must be between 1 and 180 seconds.', zh: '时长须在 1 到 180 秒之间。' },
  1401: { en: 'A file could not be downloaded from its address.', zh: '无法从该地址下载文件。' },
  1402: { en: 'The file is too large.', zh: '文件太大。' },
  1403: { en: 'That address is not allowed. Upload the file instead.', zh: '不允许使用该地址，请改为上传文件。' },
  1404: { en: 'That address is not a usable web address.', zh: '该地址不是可用的网址。' },
  1501: { en: 'There is no text to speak.', zh: '没有可朗读的文字。' },
  1502: { en: 'The text is too long to speak at once. Shorten it.', zh: '文字太长，无法一次合成，请缩短。' },
  1503: { en: 'That voice is not available. Pick another one.', zh: '该音色不可用，请选择其他音色。' },
  2001: { en: 'The service is missing a program it needs. Ask the administrator.', zh: '服务缺少必要的程序，请联系管理员。' },
  2002: { en: 'The video could not be written. Try again.', zh: '视频写入失败，请重试。' },
  2003: { en: 'Face analysis failed on the service. Try again.', zh: '服务端人脸分析失败，请重试。' },
  2004: { en: 'Speech synthesis failed on the service. Try again.', zh: '服务端语音合成失败，请重试。' },
  2100: { en: 'The task was cancelled before it finished.', zh: '任务在完成前被取消。' },
  3001: { en: 'The request could not be read.', zh: '无法读取请求。' },
  3002: { en: 'The request could not be read.', zh: '无法读取请求。' },
  3003: { en: 'The file or request is too large.', zh: '文件或请求太大。' },
  3101: { en: 'An API key is needed, or the saved one is not valid.', zh: '需要 API 密钥，或已保存的密钥无效。' },
  3201: { en: 'This task does not exist (it may have been deleted).', zh: '任务不存在（可能已被删除）。' },
  3203: { en: 'The file was not found.', zh: '找不到该文件。' },
  3204: { en: 'The video was deleted when its storage period ended.', zh: '视频已在存储期结束后删除。' },
  3301: { en: 'No file was sent.', zh: '没有发送文件。' },
  3302: { en: 'This file is not a picture or sound the service can use. Images: JPEG, PNG, WebP, HEIC, AVIF, GIF, TIFF, BMP. Audio: WAV, MP3, M4A, AAC, OGG, FLAC.', zh: '该文件不是服务支持的图片或音频。图片：JPEG、PNG、WebP、HEIC、AVIF、GIF、TIFF、BMP；音频：WAV、MP3、M4A、AAC、OGG、FLAC。' },
  3303: { en: 'A picture was given where sound is needed, or the other way round.', zh: '需要音频的位置给了图片，或者反过来。' },
  3401: { en: 'The service is busy. Try again in a minute.', zh: '服务繁忙，请一分钟后重试。' },
  3402: { en: 'The renderer stopped unexpectedly. Try a shorter video or a smaller image.', zh: '渲染器意外停止，请尝试更短的视频或更小的图片。' },
  5000: { en: 'Something went wrong on the service. Try again.', zh: '服务内部出错，请重试。' },
};

/** A one-line reason in the interface language. */
export function plainReason(code: number | null | undefined, fallback?: string | null): string {
  if (code === NETWORK_ERROR) return t('networkError');
  const p = code === null || code === undefined ? undefined : PLAIN[code];
  if (p) return p[getLang()];
  return fallback ? t('unknownError', { msg: fallback }) : t('unknownError', { msg: String(code) });
}

export function describeError(err: unknown): { plain: string; detail: string | null; code: number | null } {
  if (err instanceof ApiError) {
    return { plain: plainReason(err.code, err.message), detail: err.code === NETWORK_ERROR ? null : err.message, code: err.code };
  }
  const msg = err instanceof Error ? err.message : String(err);
  return { plain: t('unknownError', { msg }), detail: null, code: null };
}
