// MediaStore on S3 (any S3-compatible server: AWS, MinIO, Ceph, Swift's s3api). Files go up as
// multipart uploads (@aws-sdk/lib-storage) and come down as ranged GETs, so the API can proxy
// downloads with HTTP Range without holding the bytes. The bucket is created when missing, and
// opening checks the settings end to end (reach, credentials, write/read/delete permission), so a
// misconfiguration stops the process at start with the setting named, not at the first task.
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { DhError } from '../core/errors.js';
import { checkMediaKey } from './media-key.js';
import type { MediaStore } from './ports.js';

export interface S3Settings {
  /** Empty for AWS itself; otherwise the server's URL (path-style addressing is used then). */
  readonly endpoint: string;
  readonly region: string;
  readonly bucket: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** Prefix of every object key (tests share a bucket). */
  readonly prefix?: string;
}

/** Parts of a multipart upload: S3's minimum is 5 MiB; 8 MiB parts, four in flight. */
const PART_BYTES = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 4;

const statusOf = (err: unknown): number | undefined => (err as S3ServiceException)?.$metadata?.httpStatusCode;
const codeOf = (err: unknown): string => (err as Error)?.name ?? '';
const isMissing = (err: unknown) => statusOf(err) === 404 || ['NotFound', 'NoSuchKey', 'NoSuchBucket'].includes(codeOf(err));

/** The setting a failed start-up request points at, and what to do about it. */
function startError(err: unknown, s: S3Settings, step: string): DhError {
  const code = codeOf(err);
  const status = statusOf(err);
  const reason = `${code || 'error'}${status ? ` ${status}` : ''}: ${((err as Error)?.message || '').slice(0, 160)}`;
  const where = s.endpoint || `AWS region ${s.region}`;
  let setting = 'DH_S3_ENDPOINT';
  let problem = `S3 at ${where} cannot be reached while ${step} (${reason})`;
  let fix = 'start the S3 server there or correct DH_S3_ENDPOINT';
  if (code === 'InvalidAccessKeyId') {
    setting = 'DH_S3_ACCESS_KEY'; problem = `S3 at ${where} does not know access key "${s.accessKey}" (${reason})`; fix = 'set DH_S3_ACCESS_KEY to a key of that server';
  } else if (code === 'SignatureDoesNotMatch') {
    setting = 'DH_S3_SECRET_KEY'; problem = `S3 at ${where} refused the request signature for access key "${s.accessKey}" (${reason})`; fix = 'set DH_S3_SECRET_KEY to that key\'s secret';
  } else if (status === 403 || code === 'AccessDenied') {
    setting = 'DH_S3_BUCKET'; problem = `access key "${s.accessKey}" is not allowed to ${step} in bucket "${s.bucket}" (${reason})`; fix = 'grant the key read, write and delete on the bucket (and create rights if the bucket does not exist), or use another bucket';
  } else if (status !== undefined) {
    setting = 'DH_S3_BUCKET'; problem = `S3 at ${where} refused to ${step} in bucket "${s.bucket}" (${reason})`; fix = 'check the bucket name (DH_S3_BUCKET) and the server\'s log';
  }
  return new DhError('BACKEND_UNAVAILABLE', { setting, target: `bucket ${s.bucket} at ${where}`, reason: `${problem}; ${fix}` }, { cause: err });
}

export async function openS3MediaStore(s: S3Settings): Promise<MediaStore & { readonly client: S3Client }> {
  const client = new S3Client({
    endpoint: s.endpoint || undefined,
    forcePathStyle: Boolean(s.endpoint),
    region: s.region,
    credentials: { accessKeyId: s.accessKey, secretAccessKey: s.secretKey },
    maxAttempts: 3,
    // Servers other than AWS (Swift's s3api among them) may not speak the newer integrity checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = s.bucket;
  const objectKey = (key: string) => `${s.prefix ?? ''}${checkMediaKey(key)}`;

  // Start-up: the bucket (created when missing), then one object written, read and deleted.
  let step = 'look up the bucket';
  try {
    try {
      // A GET, not HeadBucket: a HEAD's refusal has no body to tell a wrong secret from a missing permission.
      await client.send(new ListObjectsV2Command({ Bucket, MaxKeys: 1 }));
    } catch (err) {
      if (!isMissing(err)) throw err;
      step = 'create the bucket';
      await client.send(new CreateBucketCommand({ Bucket }));
    }
    const probe = `${s.prefix ?? ''}.dh-probe/${randomUUID()}`;
    step = 'write an object';
    await client.send(new PutObjectCommand({ Bucket, Key: probe, Body: 'probe' }));
    step = 'read an object';
    const got = await client.send(new GetObjectCommand({ Bucket, Key: probe }));
    await got.Body?.transformToString();
    step = 'delete an object';
    await client.send(new DeleteObjectCommand({ Bucket, Key: probe }));
  } catch (err) {
    client.destroy();
    throw startError(err, s, step);
  }

  return {
    client,
    async put(key, data) {
      await client.send(new PutObjectCommand({ Bucket, Key: objectKey(key), Body: data }));
    },
    async putFile(key, file) {
      const upload = new Upload({ client, params: { Bucket, Key: objectKey(key), Body: createReadStream(file) }, partSize: PART_BYTES, queueSize: PARTS_IN_FLIGHT });
      await upload.done();
      await fs.rm(file, { force: true });
    },
    async size(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(key) }));
        return head.ContentLength ?? null;
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async read(key, range) {
      const got = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
      if (!got.Body) throw new Error(`S3 returned no body for ${key}`);
      return got.Body as Readable;
    },
    async download(key, file) {
      const got = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(key) }));
      await pipeline(got.Body as Readable, createWriteStream(file));
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    },
  };
}
