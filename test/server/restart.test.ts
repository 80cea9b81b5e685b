// Restart recovery with real processes: `dh serve` is killed (SIGKILL) in the middle of a render,
// started again on the same data folder, and the task completes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { test } from 'node:test';
import { CLI, fixtureAudio, fixtureImage, tempDir } from '../helpers.js';
import { API, DETAIL } from './harness.js';

function serve(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DH_API_KEYS: '', DH_ALLOW_PRIVATE_URLS: '0' } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('service did not start in 20 s')); }, 20_000);
    child.stdout!.once('data', (d: Buffer) => { clearTimeout(timer); resolve({ child, base: d.toString().trim().replace(/\/$/, '') }); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`service exited with ${code}`)); });
  });
}

async function upload(base: string, file: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array((await import('node:fs')).readFileSync(file))]), 'f');
  return (await (await fetch(`${base}${API}/files/upload`, { method: 'POST', body: form })).json()).data.url;
}

const detail = async (base: string, id: number) => (await (await fetch(`${base}${DETAIL}?taskId=${id}`, { signal: AbortSignal.timeout(10_000) })).json()).data;

async function poll(base: string, id: number, ok: (d: any) => boolean, ms: number): Promise<any> {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await detail(base, id);
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out; last ${JSON.stringify(last)}`);
}

test('a task being rendered when the service is killed finishes after a restart', async () => {
  const dataDir = tempDir('dh-restart-');
  const first = await serve(dataDir);
  let second: ChildProcess | null = null;
  try {
    const image = await upload(first.base, fixtureImage('photo-man-flag.jpg'));
    const audio = await upload(first.base, fixtureAudio('en-speech-1.wav'));
    const res = await fetch(`${first.base}/api/2dvh/v1/material/single/image/video/create`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ videoName: 'restart', param: JSON.stringify({ imageUrl: image, audioUrl: audio, duration: 6 }) }),
    });
    const id = (await res.json()).data;
    // Mid-render: frames are being produced (progress past the input stages).
    const mid = await poll(first.base, id, (d) => d.status === 'processing' && d.progress > 14, 30_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    assert.ok(mid.progress < 100);

    const restarted = await serve(dataDir);
    second = restarted.child;
    const done = await poll(restarted.base, id, (d) => d.status === 'succeeded' || d.status === 'failed', 60_000);
    assert.equal(done.status, 'succeeded', done.errorMessage);
    assert.equal(done.attempts, 2);
    assert.equal(done.duration, 6);
    const video = await fetch(done.videoUrl);
    assert.equal(video.status, 200);
  } finally {
    first.child.kill('SIGKILL');
    second?.kill('SIGKILL');
  }
});
