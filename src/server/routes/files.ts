// Uploads (multipart, content sniffed) and downloads of the service's files, with HTTP Range
// (RFC 9110 section 14) so browsers can seek in videos.
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { DhError } from '../../core/errors.js';
import { INPUT_LIMITS } from '../../ingest/index.js';
import { sniffMedia } from '../../media/sniff.js';
import { FILES_PREFIX } from '../../tasks/file-urls.js';
import type { ByteRange } from '../../store/ports.js';
import type { RouteContext, Service } from '../context.js';
import { sendOk } from '../http.js';
import { receiveFilePart } from '../multipart.js';

/** Deletes stored files' bytes and keeps their records as tombstones, so their URLs answer 410. */
export async function discardFiles(svc: Service, keys: readonly string[]): Promise<void> {
  for (const key of keys) await svc.media.remove(key);
  await svc.store.markFilesDeleted(keys, svc.clock());
}

export async function upload({ req, res, svc }: RouteContext): Promise<void> {
  const tenant = svc.auth.tenantOf(req);
  await fs.mkdir(svc.scratchRoot, { recursive: true });
  const temp = path.join(svc.scratchRoot, `upload-${randomUUID()}`);
  try {
    const got = await receiveFilePart(req, 'file', temp, svc.config.maxUploadMb * 1024 * 1024);
    const sniffed = sniffMedia(got.head);
    if (!sniffed) throw new DhError('UPLOAD_TYPE_UNSUPPORTED', { head: got.head.subarray(0, 8).toString('hex') || '(empty file)' });
    if (sniffed.kind === 'image' && got.bytes > INPUT_LIMITS.imageBytes) throw new DhError('SOURCE_TOO_LARGE', { source: 'the uploaded image', limit: INPUT_LIMITS.imageBytes });
    const key = `${tenant}/uploads/${randomUUID()}.${sniffed.ext}`;
    await svc.media.putFile(key, temp);
    const now = svc.clock();
    await svc.store.putFile({ key, tenant, kind: sniffed.kind, bytes: got.bytes, contentType: sniffed.contentType, createdAt: now, expiresAt: now + svc.retentionMs, taskId: null });
    sendOk(res, { url: svc.urls.urlFor(key), kind: sniffed.kind, bytes: got.bytes });
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** One byte range from a Range header; null = serve the whole file; 'invalid' = 416. */
export function parseRange(header: string | undefined, size: number): ByteRange | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Multiple ranges or other units: a server may ignore Range and send everything (RFC 9110 14.2).
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'invalid';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'invalid';
  return { start, end };
}

export async function download({ req, res, url, svc }: RouteContext): Promise<void> {
  const key = decodeURIComponent(url.pathname.slice(FILES_PREFIX.length));
  const shown = path.posix.basename(key);
  const file = await svc.store.getFile(key);
  let allowed = file !== null && svc.urls.verify(key, url.searchParams.get('sig'));
  if (file && !allowed && req.headers.authorization) {
    try { allowed = svc.auth.tenantOf(req) === file.tenant; } catch { allowed = false; }
  }
  // Someone else's file looks exactly like a missing one.
  if (!file || !allowed) throw new DhError('FILE_NOT_FOUND', { path: shown });
  if (file.deletedAt !== null) {
    throw new DhError('FILE_EXPIRED', { path: shown, expiredAt: new Date(file.deletedAt).toISOString(), days: svc.config.retentionDays });
  }
  const size = await svc.media.size(key);
  if (size === null) throw new DhError('FILE_NOT_FOUND', { path: shown });
  const range = parseRange(req.headers.range, size);
  const common = {
    'content-type': file.contentType, 'accept-ranges': 'bytes', 'cache-control': 'private, max-age=3600',
    'last-modified': new Date(file.createdAt).toUTCString(), 'x-content-type-options': 'nosniff',
  };
  if (range === 'invalid') {
    res.setHeader('content-range', `bytes */${size}`);
    throw new DhError('RANGE_NOT_SATISFIABLE', { range: String(req.headers.range).slice(0, 60), size });
  }
  if (range) {
    res.writeHead(206, { ...common, 'content-length': range.end - range.start + 1, 'content-range': `bytes ${range.start}-${range.end}/${size}` });
  } else {
    res.writeHead(200, { ...common, 'content-length': size });
  }
  if (req.method === 'HEAD' || size === 0) { res.end(); return; }
  await pipeline(await svc.media.read(key, range ?? undefined), res);
}
