// What a file is, from its first bytes rather than its name or declared type.
// Signatures from each format's specification (JPEG JFIF/EXIF SOI, PNG, RIFF WebP/WAVE,
// ISO BMFF `ftyp` with its brand (HEIC, AVIF, M4A), GIF, TIFF, BMP, MPEG audio frame sync, ADTS,
// Ogg, FLAC).

export interface Sniffed {
  readonly kind: 'image' | 'audio';
  readonly ext: string;
  readonly contentType: string;
}

const ascii = (b: Uint8Array, at: number, s: string): boolean =>
  b.length >= at + s.length && [...s].every((c, i) => b[at + i] === c.charCodeAt(0));

/** Audio brands of ISO BMFF files (M4A and friends); video brands are not accepted as speech. */
const AUDIO_BRANDS = ['M4A ', 'M4B ', 'mp42', 'isom', 'iso2', 'mp41', 'dash'];
/** Still-image brands: HEIC (an iPhone's photos) and AVIF. */
const HEIC_BRANDS = ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'];
const AVIF_BRANDS = ['avif', 'avis'];

export function sniffMedia(head: Uint8Array): Sniffed | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { kind: 'image', ext: 'jpg', contentType: 'image/jpeg' };
  if (ascii(head, 0, '\x89PNG\r\n\x1a\n')) return { kind: 'image', ext: 'png', contentType: 'image/png' };
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return { kind: 'image', ext: 'webp', contentType: 'image/webp' };
  if (ascii(head, 4, 'ftyp') && AVIF_BRANDS.some((b) => ascii(head, 8, b))) return { kind: 'image', ext: 'avif', contentType: 'image/avif' };
  if (ascii(head, 4, 'ftyp') && HEIC_BRANDS.some((b) => ascii(head, 8, b))) return { kind: 'image', ext: 'heic', contentType: 'image/heic' };
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return { kind: 'image', ext: 'gif', contentType: 'image/gif' };
  if (ascii(head, 0, 'II*\x00') || ascii(head, 0, 'MM\x00*')) return { kind: 'image', ext: 'tiff', contentType: 'image/tiff' };
  if (ascii(head, 0, 'BM') && head.length >= 26 && ascii(head, 6, '\x00\x00\x00\x00')) return { kind: 'image', ext: 'bmp', contentType: 'image/bmp' };
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WAVE')) return { kind: 'audio', ext: 'wav', contentType: 'audio/wav' };
  if (ascii(head, 0, 'ID3')) return { kind: 'audio', ext: 'mp3', contentType: 'audio/mpeg' };
  if (ascii(head, 0, 'OggS')) return { kind: 'audio', ext: 'ogg', contentType: 'audio/ogg' };
  if (ascii(head, 0, 'fLaC')) return { kind: 'audio', ext: 'flac', contentType: 'audio/flac' };
  if (ascii(head, 4, 'ftyp') && AUDIO_BRANDS.some((b) => ascii(head, 8, b))) return { kind: 'audio', ext: 'm4a', contentType: 'audio/mp4' };
  if (head.length >= 2 && head[0] === 0xff) {
    // ADTS AAC: sync 0xFFF, layer bits 00. MPEG audio: sync 0xFFE, layer bits non-zero.
    if ((head[1] & 0xf6) === 0xf0) return { kind: 'audio', ext: 'aac', contentType: 'audio/aac' };
    if ((head[1] & 0xe0) === 0xe0 && (head[1] & 0x06) !== 0) return { kind: 'audio', ext: 'mp3', contentType: 'audio/mpeg' };
  }
  return null;
}
