// Receives the upload's file part (RFC 7578 multipart/form-data, parsed by busboy through
// @fastify/multipart) into a file, as it arrives: the upload is never held in memory. The file
// counts only once the whole body has been parsed, closing boundary included, so an upload cut
// short is refused rather than stored truncated.
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { DhError, invalidArgument } from '../core/errors.js';

export interface ReceivedFile {
  readonly bytes: number;
  /** First bytes of the part, for content sniffing. */
  readonly head: Buffer;
}

const HEAD_BYTES = 64;
/** More parts than a form with one file needs, few enough that a flood of tiny parts ends soon. */
const MAX_PARTS = 64;
export const MULTIPART_EXPECTED = 'multipart/form-data with the file in field "file" (curl -F file=@photo.jpg)';
const CUT_SHORT_FIX = 'Send the whole multipart/form-data body, ending with its closing boundary (curl -F file=@photo.jpg does).';

const tooLarge = (limit: number) => new DhError('BODY_TOO_LARGE', { limit, fix: 'upload a smaller file (images up to 30 MiB, audio up to the DH_MAX_UPLOAD_MB limit).' });

/**
 * Streams the first file part named `field` to `dest`; other parts are read and dropped. Every
 * file part's bytes count against `maxBytes`.
 */
export async function receiveFilePart(req: FastifyRequest, field: string, dest: string, maxBytes: number): Promise<ReceivedFile> {
  if (!req.isMultipart()) throw new DhError('UNSUPPORTED_CONTENT_TYPE', { got: String(req.headers['content-type'] ?? '').slice(0, 100) || '(none)', expected: MULTIPART_EXPECTED });
  let budget = maxBytes;
  const count = (chunk: Buffer) => {
    budget -= chunk.length;
    // Refusing at once stops the parser; the rest of the body is discarded within bounds by the caller.
    if (budget < 0) throw tooLarge(maxBytes);
  };
  let got: ReceivedFile | null = null;
  try {
    const parts = req.parts({
      limits: { fileSize: maxBytes + 1, parts: MAX_PARTS, fieldSize: 64 * 1024 },
      // A part named "file" is the file even without a filename (curl -F "file=<photo.jpg").
      isPartAFile: (name, type, filename) => name === field || filename !== undefined || type === 'application/octet-stream',
    });
    for await (const part of parts) {
      if (part.type !== 'file') continue;
      if (got !== null || part.fieldname !== field) {
        for await (const chunk of part.file) count(chunk as Buffer);
        continue;
      }
      const head: Buffer[] = [];
      let headSize = 0;
      let bytes = 0;
      await pipeline(part.file, async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          count(chunk);
          bytes += chunk.length;
          if (headSize < HEAD_BYTES) { head.push(chunk.subarray(0, HEAD_BYTES - headSize)); headSize = Math.min(HEAD_BYTES, headSize + chunk.length); }
          yield chunk;
        }
      }, fs.createWriteStream(dest));
      got = { bytes, head: Buffer.concat(head) };
    }
  } catch (err) {
    throw refusal(err, req, maxBytes);
  }
  if (!got) throw new DhError('UPLOAD_MISSING_FILE');
  return got;
}

/** What went wrong with the body, as the catalogue says it; file-system trouble stays internal. */
function refusal(err: unknown, req: FastifyRequest, maxBytes: number): unknown {
  if (err instanceof DhError) return err;
  const e = err as { code?: unknown; syscall?: unknown; message?: unknown };
  if (e.code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(maxBytes);
  if (e.code === 'FST_PARTS_LIMIT' || e.code === 'FST_FILES_LIMIT' || e.code === 'FST_FIELDS_LIMIT') {
    return invalidArgument('multipart body', `has more than ${MAX_PARTS} parts`, 'Send the file in field "file" and few other fields.');
  }
  // busboy's only complaint about the Content-Type header itself.
  if (/boundary not found/i.test(String(e.message))) {
    return new DhError('UNSUPPORTED_CONTENT_TYPE', { got: String(req.headers['content-type']).slice(0, 100), expected: `${MULTIPART_EXPECTED}, with a boundary parameter` });
  }
  if (!req.raw.complete && (req.raw.destroyed || e.code === 'FST_MP_PREMATURE_CLOSE' || e.code === 'ECONNRESET')) {
    return invalidArgument('multipart body', 'was cut short: the connection closed before its end', CUT_SHORT_FIX);
  }
  if (typeof e.syscall === 'string') return err;
  return invalidArgument('multipart body', `is cut short or malformed (${String(e.message).slice(0, 80)})`, CUT_SHORT_FIX);
}
