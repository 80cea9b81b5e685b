// The media store: local folder and S3.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { type MediaStore } from '../../../src/store/ports.js';

export function mediaStoreConformance(name: string, open: () => Promise<MediaStore>, scratchFile: (bytes: Uint8Array) => Promise<string>): void {
  const text = async (s: NodeJS.ReadableStream): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const c of s) chunks.push(Buffer.from(c as Buffer));
    return Buffer.concat(chunks).toString();
  };
  test(`${name}: put, size, full and ranged reads, remove`, async () => {
    const m = await open();
    await m.put('t1/u/a.bin', Buffer.from('0123456789'));
    assert.equal(await m.size('t1/u/a.bin'), 10);
    assert.equal(await text(await m.read('t1/u/a.bin')), '0123456789');
    assert.equal(await text(await m.read('t1/u/a.bin', { start: 2, end: 4 })), '234');
    assert.equal(await text(await m.read('t1/u/a.bin', { start: 9, end: 9 })), '9');
    await m.remove('t1/u/a.bin');
    assert.equal(await m.size('t1/u/a.bin'), null);
    await m.remove('t1/u/a.bin');
    await assert.rejects(m.read('t1/u/a.bin'));
  });
  test(`${name}: putFile moves a scratch file in; download writes the bytes to a local file`, async () => {
    const m = await open();
    const source = await scratchFile(Buffer.from('movie'));
    await m.putFile('tasks/1/video.mp4', source);
    assert.equal(fs.existsSync(source), false, 'the scratch file is moved, not left behind');
    assert.equal(await m.size('tasks/1/video.mp4'), 5);
    const copy = `${await scratchFile(Buffer.from('old'))}.copy`;
    await m.download('tasks/1/video.mp4', copy);
    assert.equal(fs.readFileSync(copy, 'utf8'), 'movie');
    await m.download('tasks/1/video.mp4', copy);
    assert.equal(fs.readFileSync(copy, 'utf8'), 'movie', 'an existing file is replaced');
    await assert.rejects(m.download('tasks/1/absent.mp4', `${copy}2`));
  });
  test(`${name}: a file of several MiB goes in and comes out intact, also in ranges across its parts`, async () => {
    const m = await open();
    const big = Buffer.alloc(12 * 1024 * 1024 + 12344);
    for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);
    await m.putFile('t/big.bin', await scratchFile(big));
    assert.equal(await m.size('t/big.bin'), big.length);
    const bytes = async (s: NodeJS.ReadableStream) => { const c: Buffer[] = []; for await (const x of s) c.push(Buffer.from(x as Buffer)); return Buffer.concat(c); };
    assert.ok((await bytes(await m.read('t/big.bin'))).equals(big));
    const start = 8 * 1024 * 1024 - 100;
    assert.ok((await bytes(await m.read('t/big.bin', { start, end: start + 999 }))).equals(big.subarray(start, start + 1000)));
    await m.remove('t/big.bin');
  });
  test(`${name}: keys that could escape the store are refused`, async () => {
    const m = await open();
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a//b', '.hidden', 'a/./b', 'a\\b', '']) {
      await assert.rejects(m.put(key, Buffer.from('x')), { id: 'INVALID_ARGUMENT' }, key);
    }
  });
}
