// End-to-end test of marking a face by hand in the web console (real Chromium, see browser.ts):
// markers only on request over a found face, at once over a picture with none; moved by keys and
// by dragging on a phone-sized screen; sent to the service in source pixels.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { fixtureAudio, fixtureImage } from '../helpers.js';
import type { Harness } from '../server/harness.js';
import { ARTIFACTS, DESKTOP, openConsole, PHONE, type ConsoleSession } from './browser.js';

describe('face markers in the web console', { timeout: 240_000 }, () => {
  let session: ConsoleSession;
  let svc: Harness;
  let page: Page;
  const shoot = (name: string) => session.shoot(name);

  before(async () => {
    session = await openConsole();
    ({ svc, page } = session);
  });
  after(async () => { await session?.close(); });

  it('marks a face by hand: markers only on request for a found face, shown at once for a cat; moved by keys and drag; sent in source pixels', async () => {
    await page.goto(`${svc.base}/#/create`);
    await page.getByRole('heading', { name: 'Create a talking video' }).waitFor();
    const markers = page.locator('.marker-layer .marker:visible');
    // A found face: no markers until "Adjust face points"; then the found points, chin included.
    await page.locator('input[type=file][accept^="image"]').setInputFiles(fixtureImage('photo-woman-smiling.png'));
    await page.locator('.media-status .notice-ok', { hasText: 'Face found' }).waitFor({ timeout: 60_000 });
    assert.equal(await markers.count(), 0, 'no markers over a found face');
    assert.match(await page.locator('dl.summary').innerText(), /Face\s+Found automatically/);
    await page.getByRole('button', { name: 'Adjust face points' }).click();
    await page.locator('.marker-panel').waitFor();
    assert.equal(await markers.count(), 5, 'eyes, mouth corners and chin');
    await page.locator('.step', { has: page.locator('.portrait') }).screenshot({ path: path.join(ARTIFACTS, '13-face-adjust-desktop.png') });
    await page.getByRole('button', { name: 'Use the found face' }).click();
    assert.equal(await markers.count(), 0, 'closed again');
    assert.equal(await page.getByRole('button', { name: 'Adjust face points' }).count(), 1);

    // A cartoon alpaca no detector finds, so four markers come up on the usual place of a face.
    const cat = fixtureImage('cartoon-alpaca.jpg');
    const { width: W, height: H } = await sharp(cat).rotate().metadata().then((m) => (m.orientation && m.orientation >= 5 ? { width: m.height!, height: m.width! } : { width: m.width!, height: m.height! }));
    await page.locator('input[type=file][accept^="image"]').setInputFiles(cat);
    await page.locator('.media-status .notice-warn', { hasText: 'No face found' }).waitFor({ timeout: 60_000 });
    await markers.first().waitFor();
    assert.equal(await markers.count(), 4, 'four markers, the chin is optional');
    assert.equal(await page.getByRole('button', { name: 'The markers are in place' }).count(), 1, 'the guess can be accepted as it is');
    await page.locator('.mouth-preview').waitFor();
    await shoot('13a-create-face-markers-guess');
    await page.locator('input[type=file][accept^="audio"]').setInputFiles(fixtureAudio('zh-bus.wav'));
    await page.locator('.audio-meta', { hasText: 'Length' }).waitFor();
    await page.getByLabel('Task name').fill('Marked alpaca');
    await page.locator('input[name=duration]').fill('1');
    // Not yet marked: the summary says what is missing.
    await page.getByRole('button', { name: 'Confirm and create' }).click();
    assert.match(await page.locator('.problems').innerText(), /No face was found: mark the face/);
    assert.match(await page.locator('dl.summary').innerText(), /Face\s+Not found – mark it/);
    assert.match(page.url(), /#\/create$/);

    // Keyboard: Tab-focusable, arrows move by one displayed pixel (Shift: ten).
    const rightEye = page.getByRole('button', { name: /^Right eye: x [\d.]+, y [\d.]+$/ });
    const x0 = Number(await rightEye.getAttribute('data-x')), y0 = Number(await rightEye.getAttribute('data-y'));
    assert.ok(Math.abs(x0 - 0.62 * W) < 0.2 && Math.abs(y0 - 0.4 * H) < 0.2, `prefilled at 62%/40%: ${x0}, ${y0} of ${W}x${H}`);
    await rightEye.focus();
    const step = Number(await rightEye.getAttribute('data-step'));
    assert.ok(step >= 1, `step ${step}`);
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    const wantEye = [Math.min(W, x0 + 10 * step), y0 - 2 * step];
    assert.equal(await page.locator('.marker-readout').innerText(), `Right eye: x ${wantEye[0].toFixed(1)}, y ${wantEye[1].toFixed(1)}`);
    await shoot('13-create-face-markers');

    // Drag on a phone-sized screen: the picture is scaled down; the move is converted back.
    await page.setViewportSize(PHONE);
    const mouth = page.locator('.marker-mouthLeft');
    await mouth.scrollIntoViewIfNeeded();
    const layer = await page.locator('.marker-layer').boundingBox();
    const box = await mouth.boundingBox();
    const m0 = [Number(await mouth.getAttribute('data-x')), Number(await mouth.getAttribute('data-y'))];
    const cx = box!.x + box!.width / 2, cy = box!.y + box!.height / 2;
    await page.mouse.move(cx + 3, cy - 2);
    await page.mouse.down();
    await page.mouse.move(cx - 7, cy + 4, { steps: 4 });
    await page.mouse.move(cx - 17, cy + 10, { steps: 4 });
    await page.mouse.up();
    const k = W / layer!.width;
    const wantMouth = [m0[0] - 20 * k, m0[1] + 12 * k];
    await page.screenshot({ path: path.join(ARTIFACTS, '13b-face-markers-dragged-phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
    assert.match(await page.locator('dl.summary').innerText(), /Face\s+Marked by hand/);

    await page.getByRole('button', { name: 'Confirm and create' }).click();
    await page.waitForURL(/#\/tasks\/\d+$/);
    const id = Number(/#\/tasks\/(\d+)$/.exec(page.url())![1]);
    await page.locator('video.player, .stage-msg').first().waitFor({ timeout: 120_000 });
    const d = (await svc.request('GET', `/api/2dvh/v1/material/single/image/video/detail?taskId=${id}`)).json.data;
    assert.equal(d.status, 'succeeded', d.errorMessage);
    const fp = d.input.facePoints;
    assert.ok(fp, 'the task was created with facePoints');
    assert.equal(fp.chin, undefined, 'no chin unless asked for');
    const near = (got: number[], want: number[], what: string) =>
      assert.ok(Math.abs(got[0] - want[0]) <= 2 && Math.abs(got[1] - want[1]) <= 2, `${what}: sent [${got}], expected about [${want.map((v) => v.toFixed(1))}]`);
    near(fp.rightEye, wantEye, 'right eye moved by keys');
    near(fp.mouthLeft, wantMouth, 'left mouth corner dragged on a phone');
    near(fp.leftEye, [0.38 * W, 0.4 * H], 'left eye left where guessed');
    assert.equal(d.face?.method, 'points');
    assert.match(await page.locator('dl.info').innerText(), /Face\s+Marked by hand/);
  });

  it('asked nothing of other sites and threw no script errors', () => {
    assert.deepEqual(session.offsite, []);
    assert.deepEqual(session.pageErrors, []);
  });
});
