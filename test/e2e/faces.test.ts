// The console's face check on a picture of two people, in real Chromium: both faces are boxed
// and numbered from the left (the numbers a dialogue's speakers name), the one a single speech
// animates framed green. Screenshot in test-artifacts/console/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fixtureImage } from '../helpers.js';
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
});
