// Tasks stored before the render specification existed (one flat input object, the watermark as
// its final text, face points as {x, y}) still read and re-run after an upgrade: a real service
// is stopped, a task in the old shape is written into its SQLite database, and the next start
// renders it. The pure upgrade is checked field by field too.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { readTaskInput } from '../../src/store/task-input.js';
import { CLI, fixtureAudio, fixtureImage, tempDir } from '../helpers.js';
import { API, DETAIL } from './harness.js';

const OLD = {
  imageUrl: 'http://h/files/t/a.png', audioUrl: 'http://h/files/t/a.wav', imageKey: 't/a.png', audioKey: 't/a.wav',
  text: undefined, duration: 3, resizeMode: 'fixedMinSide', prompt: 'calm', watermark: 'AI 旧',
  isNewAvatar: true, avatarId: 7, callbackUrl: 'http://127.0.0.1:9/hook', thumbnailUrl: 'http://h/t.jpg',
  facePoints: { leftEye: { x: 1, y: 2 }, rightEye: { x: 3, y: 4 }, mouthLeft: { x: 5, y: 6 }, mouthRight: { x: 7, y: 8 }, chin: { x: 9, y: 10 } },
};

test('the old flat task input reads as { inputs, spec }: the same request, field for field', () => {
  assert.deepEqual(readTaskInput(JSON.parse(JSON.stringify(OLD))), {
    inputs: { imageUrl: OLD.imageUrl, audioUrl: OLD.audioUrl, imageKey: 't/a.png', audioKey: 't/a.wav', avatarId: 7 },
    spec: {
      duration: 3, resizeMode: 'fixedMinSide', prompt: 'calm', watermark: { show: true, content: 'AI 旧' },
      facePoints: { leftEye: [1, 2], rightEye: [3, 4], mouthLeft: [5, 6], mouthRight: [7, 8], chin: [9, 10] },
    },
    isNewAvatar: true, callbackUrl: 'http://127.0.0.1:9/hook', thumbnailUrl: 'http://h/t.jpg',
  });
  const minimal = { imageUrl: 'https://x/a.png', audioUrl: 'https://x/a.wav', duration: 5, resizeMode: 'adaptive', isNewAvatar: false };
  assert.deepEqual(readTaskInput(minimal), { inputs: { imageUrl: 'https://x/a.png', audioUrl: 'https://x/a.wav' }, spec: { duration: 5, resizeMode: 'adaptive' }, isNewAvatar: false });
  const current = readTaskInput(minimal);
  assert.equal(readTaskInput(JSON.parse(JSON.stringify(current))).spec.duration, 5, 'the current shape reads as itself');
});

function serve(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DH_API_KEYS: '' } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('service did not start in 20 s')); }, 20_000);
    child.stdout!.once('data', (d: Buffer) => { clearTimeout(timer); resolve({ child, base: d.toString().trim().replace(/\/$/, '') }); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`service exited with ${code}`)); });
  });
}

const stop = (child: ChildProcess) => new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); });

async function upload(base: string, file: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array((await import('node:fs')).readFileSync(file))]), 'f');
  return (await (await fetch(`${base}${API}/files/upload`, { method: 'POST', body: form })).json()).data.url;
}

async function finished(base: string, id: number): Promise<any> {
  const deadline = Date.now() + 90_000;
  let last;
  while (Date.now() < deadline) {
    last = (await (await fetch(`${base}${DETAIL}?taskId=${id}`, { signal: AbortSignal.timeout(10_000) })).json()).data;
    if (last.status === 'succeeded' || last.status === 'failed') return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out; last ${JSON.stringify(last)}`);
}

test('a task queued in the old shape before an upgrade renders after it, as it was asked', async () => {
  const dataDir = tempDir('dh-old-tasks-');
  let svc = await serve(dataDir);
  let image: string, audio: string;
  try {
    [image, audio] = [await upload(svc.base, fixtureImage('photo-man-flag.jpg')), await upload(svc.base, fixtureAudio('en-speech-1.wav'))];
  } finally {
    await stop(svc.child);
  }
  // What the service wrote for a create before the spec: the keys of our own files resolved.
  const db = new Database(path.join(dataDir, 'tasks.db'));
  const tenant = (db.prepare('SELECT tenant FROM files LIMIT 1').get() as { tenant: string }).tenant;
  const key = (url: string) => decodeURIComponent(new URL(url).pathname.replace(/^\/files\//, ''));
  const old = { imageUrl: image, audioUrl: audio, imageKey: key(image), audioKey: key(audio), duration: 2, resizeMode: 'adaptive', watermark: 'AI 旧', isNewAvatar: false, prompt: 'still' };
  const id = Number(db.prepare(`INSERT INTO tasks (tenant, video_name, status, input, created_at) VALUES (?, 'old', 'queued', ?, ?)`).run(tenant, JSON.stringify(old), Date.now()).lastInsertRowid);
  db.close();

  svc = await serve(dataDir);
  try {
    const done = await finished(svc.base, id);
    assert.equal(done.status, 'succeeded', done.errorMessage);
    assert.deepEqual([done.width, done.height, done.duration], [1280, 720, 2]);
    assert.deepEqual(done.input, {
      imageUrl: image, audioUrl: audio, text: null, voice: null, speed: null, duration: 2, resizeMode: 'adaptive', prompt: 'still',
      watermark: 'AI 旧', isNewAvatar: false, avatarId: null, facePoints: null, style: null, speakers: null,
    });
  } finally {
    await stop(svc.child);
  }
});
