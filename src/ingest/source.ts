// Reading the inputs a user names: a local file or an http(s) URL, with size limits.
import fs from 'node:fs/promises';
import path from 'node:path';
import { DhError } from '../core/errors.js';
import type { SourceFetcher } from '../core/ports.js';

export const INPUT_LIMITS = Object.freeze({
  imageBytes: 30 * 1024 * 1024,
  audioBytes: 200 * 1024 * 1024,
});

export const isUrl = (spec: string): boolean => /^https?:\/\//i.test(spec);

/** Bytes of a local file or URL. `kind` picks the limit and the not-found error. */
export async function readSource(spec: string, kind: 'image' | 'audio', fetcher: SourceFetcher, signal?: AbortSignal): Promise<Uint8Array> {
  const maxBytes = kind === 'image' ? INPUT_LIMITS.imageBytes : INPUT_LIMITS.audioBytes;
  const notFound = kind === 'image' ? 'IMAGE_NOT_FOUND' : 'AUDIO_NOT_FOUND';
  if (isUrl(spec)) {
    try {
      return await fetcher.fetch(spec, { maxBytes, signal });
    } catch (err) {
      if ((err as { notFound?: boolean }).notFound) throw new DhError(notFound, { source: spec, reason: (err as DhError).details.reason });
      throw err;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    throw new DhError('INVALID_ARGUMENT', { field: kind, problem: `"${spec}" uses an unsupported URL scheme`, fix: 'Give a local file path or an http(s) URL.' });
  }
  return fs.readFile(await checkedLocalFile(spec, kind));
}

/** Absolute path of an existing regular file within the size limit for `kind`. */
export async function checkedLocalFile(spec: string, kind: 'image' | 'audio'): Promise<string> {
  const maxBytes = kind === 'image' ? INPUT_LIMITS.imageBytes : INPUT_LIMITS.audioBytes;
  const notFound = kind === 'image' ? 'IMAGE_NOT_FOUND' : 'AUDIO_NOT_FOUND';
  const file = path.resolve(spec);
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new DhError(notFound, { source: spec, reason: 'no such file' });
  }
  if (!stat.isFile()) throw new DhError(notFound, { source: spec, reason: 'not a regular file' });
  if (stat.size > maxBytes) throw new DhError('SOURCE_TOO_LARGE', { source: spec, limit: maxBytes });
  return file;
}
