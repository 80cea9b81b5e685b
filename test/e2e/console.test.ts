// End-to-end tests of the web console in real Chromium (see browser.ts): create, watch, play,
// download and delete tasks, synthesize speech, languages, keyboard use, API keys; and that the
// page asked nothing of other sites. Screenshots of each page go to test-artifacts/console/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { fixtureAudio, fixtureImage } from '../helpers.js';
import { startHarness, type Harness } from '../server/harness.js';
import { ARTIFACTS, openConsole, type ConsoleSession } from './browser.js';

describe('web console in Chromium', { timeout: 240_000 }, () => {
  let session: ConsoleSession;
  let svc: Harness;
  let page: Page;
  let taskId = 0;
  const shoot = (name: string) => session.shoot(name);

  /** Plays a media element (muted) and answers how far its time advanced in about a second. */
  async function playedSeconds(selector: string): Promise<number> {
    return page.$eval(selector, async (el) => {
      const m = el as HTMLMediaElement;
      m.muted = true;
      await m.play();
      const t0 = m.currentTime;
      await new Promise((r) => setTimeout(r, 1200));
      m.pause();
      return m.currentTime - t0;
    });
  }

  before(async () => {
    session = await openConsole();
    ({ svc, page } = session);
  });
  after(async () => { await session?.close(); });

  it('serves the console at / with its assets, cache headers and a same-origin-only policy', async () => {
    const index = await fetch(`${svc.base}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(index.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await index.text();
    const js = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(js, 'index.html links a hashed script');
    const asset = await fetch(svc.base + js);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    assert.doesNotMatch(html + await asset.text(), /https?:\/\/(?!127\.0\.0\.1|localhost)[a-z0-9.-]+\.[a-z]{2,}\/[^\s"'`]*\.(?:woff2?|ttf|css|js|png|jpe?g|svg)/i,
      'the console references no fonts, scripts or images on other sites');
  });

  it('shows the error for a file that is not an image', async () => {
    await page.goto(`${svc.base}/#/create`);
    await page.getByRole('heading', { name: 'Create a talking video' }).waitFor();
    await shoot('01-create-empty');
    await page.locator('input[type=file][accept^="image"]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('these are my notes, not a photo\n') });
    const err = page.locator('.media-status .notice-error');
    await err.waitFor();
    assert.match(await err.innerText(), /notes\.txt: This file is not a picture or sound the service can use/);
    await err.locator('summary').click();
    assert.match(await err.innerText(), /3302|no supported image or audio format/);
    await shoot('02-create-bad-upload');
  });

  it('creates a video from an uploaded portrait and speech, and plays and downloads the result', async () => {
    await page.locator('input[type=file][accept^="image"]').setInputFiles(fixtureImage('photo-woman-smiling.png'));
    await page.locator('.media-status .notice-ok', { hasText: 'Face found' }).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('.face-box.primary').count(), 1, 'the detected face is boxed on the preview');
    await page.locator('input[type=file][accept^="audio"]').setInputFiles(fixtureAudio('zh-bus.wav'));
    await page.locator('.audio-meta', { hasText: 'Length' }).waitFor();
    const preset = Number(await page.locator('input[name=duration]').inputValue());
    assert.ok(preset >= 3.3 && preset <= 3.5, `duration preset from the 3.4 s clip, got ${preset}`);
    await page.getByLabel('Task name').fill('Console e2e – 你好');
    await page.locator('input[name=duration]').fill('2.5');
    await page.getByLabel('Prompt').fill('smiling, calm nods');
    await page.getByText('Watermark', { exact: true }).click();
    await page.getByLabel('Watermark text').fill('E2E 测试');
    await page.locator('.frame .frame-img').waitFor();
    assert.equal(await page.locator('.frame .frame-wm').innerText(), 'E2E 测试');
    await shoot('03-create-filled');

    await page.getByRole('button', { name: 'Confirm and create' }).click();
    await page.waitForURL(/#\/tasks\/\d+$/);
    taskId = Number(/#\/tasks\/(\d+)$/.exec(page.url())![1]);
    await page.locator('.rendering, video.player').first().waitFor();
    if (await page.locator('.rendering').count()) await shoot('04-detail-rendering');

    const video = page.locator('video.player');
    await video.waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => (document.querySelector('video.player') as HTMLVideoElement | null)?.readyState! >= 2, undefined, { timeout: 20_000 });
    const advanced = await playedSeconds('video.player');
    assert.ok(advanced > 0.3, `the video plays (time advanced ${advanced.toFixed(2)} s)`);
    // Seeking needs Range support from the service.
    const seekedTo = await page.$eval('video.player', async (el) => {
      const v = el as HTMLVideoElement;
      await new Promise<void>((resolve) => { v.addEventListener('seeked', () => resolve(), { once: true }); v.currentTime = 1.8; });
      return v.currentTime;
    });
    assert.ok(Math.abs(seekedTo - 1.8) < 0.1, `seeked to ${seekedTo}`);
    await page.$eval('video.player', (el) => { (el as HTMLVideoElement).currentTime = 1; });
    await shoot('05-detail-succeeded');

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.actions a', { hasText: 'Download' }).click()]);
    const file = path.join(session.userDir, 'download.mp4');
    await download.saveAs(file);
    assert.match(download.suggestedFilename(), /\.mp4$/);
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]).toString());
    assert.match(probe.format.format_name, /mp4/);
    const v = probe.streams.find((s: { codec_type: string }) => s.codec_type === 'video');
    assert.equal(v.codec_name, 'h264');
    assert.equal(`${v.width}x${v.height}`, '1280x720');
    assert.ok(probe.streams.some((s: { codec_type: string }) => s.codec_type === 'audio'), 'the MP4 has sound');
    assert.ok(Math.abs(Number(probe.format.duration) - 2.5) < 0.2, `duration ${probe.format.duration}`);

    // The details say what was asked for, and the same task can be made again from them.
    const info = await page.locator('dl.info').innerText();
    assert.match(info, /Prompt\s+smiling, calm nods/);
    assert.match(info, /Watermark\s+E2E 测试/);
    assert.match(info, /Speech\s+Uploaded recording/);
    await page.getByRole('button', { name: 'Make it again' }).click();
    await page.waitForURL((u) => { const m = /#\/tasks\/(\d+)$/.exec(u.toString()); return !!m && Number(m[1]) !== taskId; });
    const againId = Number(/#\/tasks\/(\d+)$/.exec(page.url())![1]);
    await page.locator('video.player').waitFor({ timeout: 120_000 });
    await shoot('05b-detail-made-again');
    const [before, again] = await Promise.all([taskId, againId].map(async (id) => (await svc.request('GET', `/api/2dvh/v1/material/single/image/video/detail?taskId=${id}`)).json.data));
    assert.equal(again.status, 'succeeded', again.errorMessage);
    assert.equal(again.videoName, before.videoName);
    assert.deepEqual(again.input, before.input, 'the same picture, speech and settings');
  });

  it('lists the task with its thumbnail, status and days left, and plays it in the page; a failed task says why', async () => {
    // A task that fails in the worker: an image too small to animate (made through the API).
    const tiny = await sharp({ create: { width: 40, height: 40, channels: 3, background: { r: 200, g: 180, b: 160 } } }).png().toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(tiny)]), 'tiny.png');
    const imageUrl = (await (await fetch(`${svc.base}/api/2dvh/v1/files/upload`, { method: 'POST', body: form })).json()).data.url;
    const audioForm = new FormData();
    audioForm.append('file', new Blob([new Uint8Array(fs.readFileSync(fixtureAudio('zh-bus.wav')))]), 'a.wav');
    const audioUrl = (await (await fetch(`${svc.base}/api/2dvh/v1/files/upload`, { method: 'POST', body: audioForm })).json()).data.url;
    const failing = await svc.create({ imageUrl, audioUrl, duration: 2 }, { videoName: 'Too small a picture' });
    assert.equal(failing.code, 0);
    await page.goto(`${svc.base}/#/tasks`);
    const failedCard = page.locator(`.task-card[data-task-id="${failing.data}"]`);
    await failedCard.locator('.notice-error').waitFor({ timeout: 60_000 });
    assert.match(await failedCard.innerText(), /Failed/);
    assert.match(await failedCard.innerText(), /The picture is too small\. Use a larger photo\./);
    const card = page.locator(`.task-card[data-task-id="${taskId}"]`);
    await card.waitFor();
    assert.match(await card.innerText(), /Ready/);
    assert.match(await card.innerText(), /\d+ days left/);
    await card.locator('.thumb img').waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.thumb img')].every((i) => i.complete && i.naturalWidth > 0));
    await shoot('06-tasks');
    await card.getByRole('button', { name: 'Play' }).click();
    await page.locator('dialog video').waitFor();
    await page.waitForFunction(() => (document.querySelector('dialog video') as HTMLVideoElement | null)?.readyState! >= 2);
    assert.ok(await playedSeconds('dialog video') > 0.3, 'the video plays in the dialog');
    await page.screenshot({ path: path.join(ARTIFACTS, '07-tasks-play-desktop.png') });
    await page.keyboard.press('Escape');
    await page.locator('dialog').waitFor({ state: 'detached' });
  });

  it('synthesizes speech on the voice page, plays it, and carries it over to the create page', async () => {
    await page.goto(`${svc.base}/#/voice`);
    await page.getByRole('heading', { name: 'Voice synthesis' }).waitFor();
    await page.locator('select[name=voice] option').first().waitFor({ state: 'attached' });
    await page.getByLabel('Text to speak').fill('Hello! This voice was made in the console.');
    await page.getByRole('button', { name: 'Synthesize' }).click();
    const audio = page.locator('.voice-result audio');
    await audio.waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => (document.querySelector('.voice-result audio') as HTMLAudioElement | null)?.readyState! >= 2);
    assert.ok(await playedSeconds('.voice-result audio') > 0.3, 'the synthesized audio plays');
    await shoot('08-voice');
    await page.getByRole('button', { name: 'Use for a video' }).click();
    await page.waitForURL(/#\/create$/);
    assert.equal(await page.getByLabel('Text to speak').inputValue(), 'Hello! This voice was made in the console.');
    assert.ok(await page.locator('input[value=text]').isChecked(), 'the create page switched to text mode');
    await page.locator('.speech-result audio').waitFor();
    const preset = Number(await page.locator('input[name=duration]').inputValue());
    assert.ok(preset >= 1 && preset <= 6, `duration preset from the synthesized speech, got ${preset}`);
    await shoot('09-create-from-voice');
    // Text + voice go to the service as the create extension (lip-synced from phoneme timings).
    await page.locator('input[type=file][accept^="image"]').setInputFiles(fixtureImage('photo-woman-smiling.png'));
    await page.locator('.media-status .notice-ok').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Confirm and create' }).click();
    await page.waitForURL(/#\/tasks\/\d+$/);
    await page.locator('video.player').waitFor({ timeout: 120_000 });
    const id = Number(/#\/tasks\/(\d+)$/.exec(page.url())![1]);
    const d = (await svc.request('GET', `/api/2dvh/v1/material/single/image/video/detail?taskId=${id}`)).json.data;
    assert.equal(d.status, 'succeeded');
    assert.ok(Math.abs(d.duration - preset) < 0.2, `video ${d.duration} s for a ${preset} s preset`);
  });

  it('switches to Chinese and keeps it, and deletes a task after confirmation', async () => {
    await page.goto(`${svc.base}/#/tasks`);
    await page.getByRole('button', { name: 'Switch to Chinese' }).click();
    await page.getByRole('heading', { name: '任务列表' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await page.reload();
    await page.getByRole('heading', { name: '任务列表' }).waitFor();
    await page.locator(`.task-card[data-task-id="${taskId}"]`).waitFor();
    await shoot('10-tasks-zh');
    await page.goto(`${svc.base}/#/create`);
    await page.getByRole('heading', { name: '创建数字人视频' }).waitFor();
    await shoot('11-create-zh');
    await page.goto(`${svc.base}/#/tasks`);
    await page.locator(`.task-card[data-task-id="${taskId}"]`).getByRole('button', { name: '删除' }).click();
    await page.locator('dialog').getByRole('button', { name: '删除' }).click();
    await page.locator(`.task-card[data-task-id="${taskId}"]`).waitFor({ state: 'detached' });
    const r = await svc.request('GET', `/api/2dvh/v1/material/single/image/video/detail?taskId=${taskId}`);
    assert.equal(r.json.code, 3201, 'the task is gone on the service too');
    await page.getByRole('button', { name: '切换到英文' }).click();
  });

  it('is keyboard accessible: the file chooser, radio cards and the confirm button are reachable by Tab', async () => {
    await page.goto(`${svc.base}/#/create`);
    // The create page was kept while the language changed twice; it must follow.
    await page.getByRole('heading', { name: 'Create a talking video' }).waitFor();
    assert.equal(await page.locator('.step legend').first().innerText(), '1\nName');
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return a ? `${a.tagName.toLowerCase()}${a.className ? `.${a.className.split(' ')[0]}` : ''}${a.getAttribute('name') ? `[${a.getAttribute('name')}]` : ''}` : '';
      }));
    }
    const all = [...reached].join(', ');
    for (const want of ['a.skip-link', 'a.nav-link', 'input.input[videoName]', 'label.drop', 'input[voice-mode]', 'input.input[duration]', 'input[resizeMode]', 'textarea.input[prompt]', 'input.switch-input', 'button.btn']) {
      assert.ok(reached.has(want), `Tab reaches ${want} (reached: ${all})`);
    }
    assert.ok(!reached.has('input.visually-hidden'), `the hidden file inputs are not extra tab stops (reached: ${all})`);
  });

  it('asks for the API key when the service needs one and keeps it in the browser', async () => {
    const keyed = await startHarness({ DH_API_KEYS: 'console-test-key' });
    try {
      await page.goto(`${keyed.base}/#/tasks`);
      const dialog = page.locator('dialog');
      await dialog.getByText('an API key is needed').waitFor();
      await shoot('12-api-key');
      await dialog.getByLabel('Key').fill('console-test-key');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.getByText('No tasks yet.').waitFor();
      assert.equal(await page.evaluate(() => localStorage.getItem('dh.apiKey')), 'console-test-key');
      await page.reload();
      await page.getByText('No tasks yet.').waitFor();
      assert.equal(await page.locator('dialog').count(), 0, 'no second prompt once the key is saved');
    } finally {
      await keyed.close();
    }
  });

  it('asked nothing of other sites and threw no script errors', () => {
    assert.deepEqual(session.offsite, []);
    assert.deepEqual(session.pageErrors, []);
  });
});
