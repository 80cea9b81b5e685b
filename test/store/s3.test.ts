// The S3 media store against a real S3 server (Swift + s3api from scripts/test-servers.mjs, which
// checks request signatures): the shared conformance suite, the bucket created when missing, and
// start-up errors that name the setting.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { openS3MediaStore, type S3Settings } from '../../src/store/s3-media-store.js';
import { tempDir } from '../helpers.js';
import { testServer } from '../servers.js';
import { mediaStoreConformance } from './conformance/index.js';

const endpoint = testServer('DH_TEST_S3_ENDPOINT', 'S3 media store');

if (endpoint) {
  const settings: S3Settings = {
    endpoint, region: process.env.DH_TEST_S3_REGION ?? 'us-east-1', bucket: process.env.DH_TEST_S3_BUCKET!,
    accessKey: process.env.DH_TEST_S3_ACCESS_KEY!, secretKey: process.env.DH_TEST_S3_SECRET_KEY!,
  };
  const opened: { client: { destroy(): void } }[] = [];
  const open = async (s: Partial<S3Settings> = {}) => {
    const m = await openS3MediaStore({ ...settings, prefix: `conf-${randomUUID()}/`, ...s });
    opened.push(m);
    return m;
  };
  after(() => { for (const m of opened) m.client.destroy(); });
  const failsNaming = (setting: string, pattern: RegExp) => (e: Error & { id?: string }) =>
    e.id === 'BACKEND_UNAVAILABLE' && e.message.startsWith(`${setting}: `) && pattern.test(e.message);

  mediaStoreConformance('s3', () => open(), async (bytes) => {
    const file = path.join(tempDir(), 'scratch');
    await fs.writeFile(file, bytes);
    return file;
  });

  test('s3: a missing bucket is created at start, and the store works in it', async () => {
    const bucket = `dh-new-${randomUUID().slice(0, 8)}`;
    const m = await open({ bucket, prefix: '' });
    await m.put('a/b.txt', Buffer.from('hello'));
    assert.equal(await m.size('a/b.txt'), 5);
    const listed = await m.client.send(new ListObjectsV2Command({ Bucket: bucket }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key), ['a/b.txt'], 'only the file: the start-up probe object is gone');
  });

  test('s3: a wrong secret, an unknown access key and an unreachable endpoint fail at start naming the setting', async () => {
    await assert.rejects(open({ secretKey: 'not-the-secret' }), failsNaming('DH_S3_SECRET_KEY', /refused the request signature for access key "test:tester"/));
    await assert.rejects(open({ accessKey: 'nobody:none' }), (e: Error & { id?: string }) => e.id === 'BACKEND_UNAVAILABLE' && /^DH_S3_(ACCESS|SECRET)_KEY: /.test(e.message));
    await assert.rejects(open({ endpoint: 'http://127.0.0.1:1' }), failsNaming('DH_S3_ENDPOINT', /S3 at http:\/\/127\.0\.0\.1:1 cannot be reached/));
  });

  test('s3: a key without rights on the bucket fails at start naming DH_S3_BUCKET and the key', async (t) => {
    const accessKey = process.env.DH_TEST_S3_LIMITED_ACCESS_KEY;
    if (!accessKey) { t.skip('DH_TEST_S3_LIMITED_ACCESS_KEY is not set (an older scripts/test-servers.mjs)'); return; }
    const limited = { accessKey, secretKey: process.env.DH_TEST_S3_LIMITED_SECRET_KEY! };
    await open({ prefix: '' }); // the bucket exists
    await assert.rejects(open(limited), failsNaming('DH_S3_BUCKET', new RegExp(`access key "${accessKey}" is not allowed to look up the bucket in bucket "${settings.bucket}" \\(AccessDenied`)));
    await assert.rejects(open({ ...limited, bucket: `dh-absent-${randomUUID().slice(0, 8)}` }), failsNaming('DH_S3_BUCKET', /is not allowed to (look up|create) the bucket/));
  });
}
