// The storage period with an injected clock: after it ends, files are gone (410 with a reason),
// tasks say expired, and uploads used as inputs expire too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { API, DETAIL, startHarness, uploadFile } from './harness.js';
import { fixtureAudio, fixtureImage } from '../helpers.js';

const DAY = 86_400_000;

test('results and inputs are deleted after the retention period; detail says expired, download 410', async () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const h = await startHarness({ DH_RETENTION_DAYS: '3' }, { clock: () => now, sweepIntervalMs: 3_600_000 });
  try {
    const img = await uploadFile(h, fixtureImage('photo-woman-smiling.png'));
    const aud = await uploadFile(h, fixtureAudio('zh-poem.wav'));
    const created = await h.create({ imageUrl: img.data.url, audioUrl: aud.data.url, duration: 1 });
    now += DAY; // finished a day after the uploads
    const t = await h.waitFor(created.data, (d) => d.status === 'succeeded' || d.status === 'failed');
    assert.equal(t.status, 'succeeded', t.errorMessage);
    assert.equal(t.expiresAt, new Date(now + 3 * DAY).toISOString());
    const videoFile = path.join(h.dataDir, 'media', ...new URL(t.videoUrl).pathname.replace('/files/', '').split('/'));
    assert.ok(fs.existsSync(videoFile));

    now += 2 * DAY; // 3 days after the uploads, 2 after the result
    assert.deepEqual(await h.server.app.sweep(), { files: 2, tasks: 0 });
    const gone = await h.request('GET', img.data.url);
    assert.deepEqual([gone.status, gone.json.code], [410, 3204]);
    assert.match(gone.json.message, /deleted on 2026-01-04T00:00:00.000Z after the 3-day storage period/);
    assert.equal((await h.request('GET', t.videoUrl)).status, 200, 'the result is still within its period');
    const reuse = await h.create({ imageUrl: img.data.url, audioUrl: aud.data.url, duration: 1 });
    assert.equal(reuse.code, 3204, 'an expired upload cannot be used as input');

    now += DAY;
    assert.deepEqual(await h.server.app.sweep(), { files: 2, tasks: 1 });
    const detail = (await h.request('GET', `${DETAIL}?taskId=${created.data}`)).json.data;
    assert.deepEqual([detail.status, detail.videoUrl, detail.thumbnailUrl], ['expired', null, null]);
    assert.match(detail.errorMessage, /deleted on .* when the storage period ended/);
    const video = await h.request('GET', t.videoUrl);
    assert.deepEqual([video.status, video.json.code], [410, 3204]);
    assert.ok(!fs.existsSync(videoFile), 'the bytes are gone from disk');
    const expired = await h.request('GET', `${API}/material/single/image/video/list?status=expired`);
    assert.equal(expired.json.data.total, 1);
    assert.deepEqual(await h.server.app.sweep(), { files: 0, tasks: 0 });
  } finally {
    await h.close();
  }
});
