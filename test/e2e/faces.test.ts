// The console's face check on a picture of two people, in real Chromium: both faces are boxed
// and numbered from the left (the numbers a dialogue's speakers name), the one a single speech
// animates framed green. Screenshot in test-artifacts/console/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixtureAudio, fixtureImage } from '../helpers.js';
import { openConsole, type ConsoleSession } from './browser.js';

describe('console face check with several faces', { timeout: 180_000 }, () => {
  let session: ConsoleSession;
  before(async () => { session = await openConsole(); });
  after(async () => { await session?.close(); });

  it('numbers the faces from the left and frames the main one green', async () => {
    const { page, svc } = session;
    await page.goto(`${svc.base}/#/create`);
    await page.locator('input[type=file][accept^="image"]').setInputFiles(fixtureImage('two-portraits.jpg'));
    await page.locator('.media-status .notice-ok', { hasText: '2 faces found, numbered from the left' }).waitFor({ timeout: 90_000 });
    const numbers = page.locator('.face-box .face-number');
    assert.deepEqual(await numbers.allInnerTexts(), ['0', '1']);
    const lefts = await page.locator('.face-box').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
    assert.ok(lefts[0] < lefts[1], `face 0 is left of face 1: ${lefts}`);
    assert.equal(await page.locator('.face-box.primary').count(), 1);
    const main = await page.locator('.face-box.primary .face-number').innerText();
    assert.ok(main === '0' || main === '1');
    await session.shoot('faces-numbered');
  });

  it('gives each face its own speech and creates a dialogue task with who says what', async () => {
    const { page, svc } = session;
    await page.locator('input[name=videoName]').fill('dialogue');
    await page.getByLabel('Each face speaks its own part (a dialogue)').check();
    const parts = page.locator('.dialogue-part');
    await parts.nth(1).waitFor();
    assert.equal(await parts.count(), 2);
    assert.equal(await page.locator('.single-voice').isHidden(), true, 'the single speech gives way to the parts');
    await parts.nth(0).locator('input[type=file]').setInputFiles(fixtureAudio('dialogue-left.wav'));
    await parts.nth(0).locator('.part-status', { hasText: 'dialogue-left.wav' }).waitFor();
    await parts.nth(1).locator('.part-text').fill('Hello there.');
    await parts.nth(1).locator('.part-voice').selectOption('espeak:en-us');
    const summary = page.locator('.summary');
    await summary.locator('dd', { hasText: '1: “Hello there.”' }).waitFor();
    assert.match(await summary.innerText(), /Who says what\s+0: dialogue-left\.wav · 1: “Hello there\.”/);
    await page.waitForFunction(() => !document.querySelector('.part-status')?.textContent?.includes('Uploading'));
    await session.shoot('faces-dialogue');
    await page.getByRole('button', { name: 'Confirm and create' }).click();
    await page.waitForURL(/#\/tasks\/\d+/, { timeout: 30_000 });
    const id = Number(/#\/tasks\/(\d+)/.exec(page.url())![1]);
    const detail = await (await fetch(`${svc.base}/api/2dvh/v1/material/single/image/video/detail?taskId=${id}`)).json();
    assert.equal(detail.code, 0, detail.message);
    assert.deepEqual(detail.data.input.speakers.map((s: { face: number; text: string | null; voice: string | null }) => [s.face, s.text, s.voice]), [[0, null, null], [1, 'Hello there.', 'espeak:en-us']]);
    assert.match(detail.data.input.speakers[0].audioUrl, /^http/);
  });
});
