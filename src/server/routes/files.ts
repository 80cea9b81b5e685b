// Uploads (multipart, content sniffed) and downloads of the service's files. Downloads speak
// HTTP Range, validators and conditional requests (RFC 9110 sections 8.8, 13 and 14) through the
// jshttp libraries, over the MediaStore port: the bytes need not be a local file.
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import etag from 'etag';
import fresh from 'fresh';
import rangeParser from 'range-parser';
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

export async function upload({ req, reply, svc, tenant }: RouteContext): Promise<void> {
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
    sendOk(reply, { url: svc.urls.urlFor(key), kind: sniffed.kind, bytes: got.bytes });
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/**
 * The one byte range to send, null for the whole file, or 'unsatisfiable'. Several ranges, other
 * units and malformed headers get the whole file (a server may ignore Range, RFC 9110 14.2), as
 * does a Range whose If-Range validator no longer matches (13.1.5).
 */
function chooseRange(header: string | undefined, ifRange: string | undefined, size: number, tag: string, lastModified: string): ByteRange | null | 'unsatisfiable' {
  if (!header) return null;
  if (ifRange) {
    const current = ifRange.trim().startsWith('"') || ifRange.trim().startsWith('W/') ? ifRange.trim() === tag : Date.parse(ifRange) === Date.parse(lastModified);
    if (!current) return null;
  }
  const ranges = rangeParser(size, header, { combine: true });
  if (ranges === -1) return 'unsatisfiable';
  if (ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return null;
  return { start: ranges[0].start, end: ranges[0].end };
}

export async function download({ req, reply, url, svc }: RouteContext): Promise<void> {
  let key: string;
  try {
    key = decodeURIComponent(url.pathname.slice(FILES_PREFIX.length));
  } catch {
    key = '';
  }
  const shown = path.posix.basename(key) || '(none)';
  const file = key ? await svc.store.getFile(key) : null;
  let allowed = file !== null && svc.urls.verify(key, url.searchParams.get('sig'));
  if (file && !allowed && req.headers.authorization) {
    try { allowed = svc.auth.tenantOf(req.raw) === file.tenant; } catch { allowed = false; }
  }
  // Someone else's file looks exactly like a missing one.
  if (!file || !allowed) throw new DhError('FILE_NOT_FOUND', { path: shown });
  if (file.deletedAt !== null) {
    throw new DhError('FILE_EXPIRED', { path: shown, expiredAt: new Date(file.deletedAt).toISOString(), days: svc.config.retentionDays });
  }
  const size = await svc.media.size(key);
  if (size === null) throw new DhError('FILE_NOT_FOUND', { path: shown });
  // Stored bytes never change under a key and record; a re-stored file gets a new record time.
  const tag = etag(`${key}\n${size}\n${file.createdAt}`);
  const lastModified = new Date(file.createdAt).toUTCString();
  const validators = {
    etag: tag, 'last-modified': lastModified, 'accept-ranges': 'bytes', 'cache-control': 'private, max-age=3600', 'x-content-type-options': 'nosniff',
  };
  if (fresh(req.headers, { etag: tag, 'last-modified': lastModified })) {
    reply.code(304).headers(validators).send();
    return;
  }
  const ifRange = req.raw.headers['if-range'];
  const range = chooseRange(req.raw.headers.range, typeof ifRange === 'string' ? ifRange : undefined, size, tag, lastModified);
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${size}`);
    throw new DhError('RANGE_NOT_SATISFIABLE', { range: String(req.raw.headers.range).slice(0, 60), size });
  }
  reply.headers({ ...validators, 'content-type': file.contentType });
  if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`);
  else reply.code(200);
  reply.header('content-length', range ? range.end - range.start + 1 : size);
  if (req.method === 'HEAD' || size === 0) { reply.send(); return; }
  reply.send(await svc.media.read(key, range ?? undefined));
}
