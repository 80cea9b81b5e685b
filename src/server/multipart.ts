// Streams one part of a multipart/form-data body (RFC 7578) to a file, without holding the
// upload in memory: bytes are written as they arrive, keeping back only enough to recognise a
// delimiter split across chunks. Other parts are skipped.
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { DhError } from '../core/errors.js';

export interface ReceivedFile {
  readonly bytes: number;
  /** First bytes of the part, for content sniffing. */
  readonly head: Buffer;
}

export function boundaryOf(contentType: string): string | null {
  if (!/^multipart\/form-data\b/i.test(contentType)) return null;
  const m = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

const partName = (headers: string): string | null => /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1] ?? null;

export async function receiveFilePart(req: IncomingMessage, field: string, dest: string, maxBytes: number): Promise<ReceivedFile> {
  const type = String(req.headers['content-type'] ?? '');
  const boundary = boundaryOf(type);
  if (!boundary) {
    req.resume();
    throw new DhError('UNSUPPORTED_CONTENT_TYPE', { got: type || '(none)', expected: 'multipart/form-data with the file in field "file" (curl -F file=@photo.jpg)' });
  }
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const out = fs.createWriteStream(dest);
  // Prepending CRLF lets the first delimiter match the same pattern as the later ones.
  let buf: Buffer = Buffer.from('\r\n');
  let state: 'preamble' | 'headers' | 'body' | 'skip' | 'done' = 'preamble';
  let written = 0;
  let found = false;
  const headChunks: Buffer[] = [];
  let headSize = 0;

  const write = (chunk: Buffer) => {
    if (chunk.length === 0) return;
    written += chunk.length;
    if (written > maxBytes) throw new DhError('BODY_TOO_LARGE', { limit: maxBytes, fix: 'upload a smaller file (images up to 30 MiB, audio up to the DH_MAX_UPLOAD_MB limit).' });
    if (headSize < 64) { headChunks.push(chunk.subarray(0, 64 - headSize)); headSize += Math.min(chunk.length, 64 - headSize); }
    if (!out.write(chunk)) return new Promise<void>((r) => out.once('drain', r));
  };

  try {
    // destroyOnReturn false: a refused upload leaves the socket alive, so the 413 reaches the client.
    for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      for (;;) {
        if (state === 'done') break;
        if (state === 'headers') {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) { if (buf.length > 16 * 1024) throw new DhError('INVALID_ARGUMENT', { field: 'multipart body', problem: 'part headers are longer than 16 KiB', fix: 'Send a standard multipart/form-data body.' }); break; }
          const headers = buf.subarray(0, end).toString('latin1');
          buf = buf.subarray(end + 4);
          state = !found && partName(headers) === field ? 'body' : 'skip';
          if (state === 'body') found = true;
          continue;
        }
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          // Keep the tail that could be the start of a delimiter; the rest is part content.
          const keep = Math.min(buf.length, delimiter.length - 1);
          if (state === 'body') await write(buf.subarray(0, buf.length - keep));
          buf = buf.subarray(buf.length - keep);
          break;
        }
        if (state === 'body') await write(buf.subarray(0, at));
        const after = buf.subarray(at + delimiter.length);
        if (after.length < 2) { buf = buf.subarray(at); break; }
        if (after[0] === 0x2d && after[1] === 0x2d) { state = 'done'; buf = Buffer.alloc(0); break; }
        buf = after.subarray(2); // the CRLF after the delimiter
        state = 'headers';
      }
    }
  } finally {
    await new Promise<void>((r) => out.end(r));
  }
  if (!found) throw new DhError('UPLOAD_MISSING_FILE');
  return { bytes: written, head: Buffer.concat(headChunks) };
}
