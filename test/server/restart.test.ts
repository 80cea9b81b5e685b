// Restart recovery with real processes: `dh serve` is killed (SIGKILL) in the middle of a render,
// or while a task's callback is still being retried, started again on the same data folder, and
// the task completes / the callback arrives.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { CLI, fixtureAudio, fixtureImage, tempDir } from '../helpers.js';
import { API, DETAIL } from './harness.js';
import { renderProcesses } from './processes.js';

function serve(dataDir: string, allowPrivateUrls = false): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DH_API_KEYS: '', DH_ALLOW_PRIVATE_URLS: allowPrivateUrls ? '1' : '0' } });
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

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

async function createTask(base: string, seconds: number): Promise<number> {
  const image = await upload(base, fixtureImage('photo-man-flag.jpg'));
  const audio = await upload(base, fixtureAudio('en-speech-1.wav'));
  const res = await fetch(`${base}/api/2dvh/v1/material/single/image/video/create`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ videoName: 'kills', param: JSON.stringify({ imageUrl: image, audioUrl: audio, duration: seconds }) }),
  });
  return (await res.json()).data;
}

test('three SIGKILLs of the service during one task do not fail it: restarts are not the task\'s fault; no render outlives its service, no scratch is left', async () => {
  const dataDir = tempDir('dh-kills-');
  let svc = await serve(dataDir);
  const started: ChildProcess[] = [svc.child];
  try {
    const id = await createTask(svc.base, 5);
    for (let kill = 1; kill <= 3; kill++) {
      await poll(svc.base, id, (d) => d.status === 'processing' && d.progress > 14, 30_000);
      const renders = renderProcesses(svc.child.pid!);
      assert.equal(renders.length, 1, `one render process while rendering (kill ${kill})`);
      svc.child.kill('SIGKILL');
      await new Promise((r) => svc.child.once('exit', r));
      await until(`the render process to end with its service (kill ${kill})`, () => !alive(renders[0]), 10_000);
      svc = await serve(dataDir);
      started.push(svc.child);
    }
    const done = await poll(svc.base, id, (d) => d.status === 'succeeded' || d.status === 'failed', 90_000);
    assert.equal(done.status, 'succeeded', `${done.errorCode} ${done.errorMessage}`);
    assert.equal(done.attempts, 4);
    await until('the scratch folder to be empty', () => fs.readdirSync(path.join(dataDir, 'work')).length === 0, 5_000);
  } finally {
    for (const c of started) c.kill('SIGKILL');
  }
});

test('a render process that dies three times fails its task with 3402; the service keeps serving', async () => {
  const dataDir = tempDir('dh-render-deaths-');
  const svc = await serve(dataDir);
  try {
    const id = await createTask(svc.base, 5);
    for (let death = 1; death <= 3; death++) {
      await poll(svc.base, id, (d) => d.status === 'processing' && d.progress > 14, 30_000);
      const [render] = renderProcesses(svc.child.pid!);
      assert.ok(render, `a render process (death ${death})`);
      process.kill(render, 'SIGKILL');
      await until(`render process ${render} to die`, () => !alive(render), 5_000);
      if (death < 3) await poll(svc.base, id, (d) => d.status !== 'processing' || d.progress <= 14, 10_000);
    }
    const failed = await poll(svc.base, id, (d) => d.status === 'failed' || d.status === 'succeeded', 30_000);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.errorCode, 3402);
    assert.match(failed.errorMessage, /stopped unexpectedly 3 times \(render process was killed \(SIGKILL\)\)/);
    const health = await fetch(`${svc.base}/healthz`);
    assert.equal(health.status, 200);
    await until('the scratch folder to be empty', () => fs.readdirSync(path.join(dataDir, 'work')).length === 0, 5_000);
  } finally {
    svc.child.kill('SIGKILL');
  }
});

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a callback still being retried when the service is killed is delivered after a restart, and only then settled', async () => {
  // The receiver refuses (503) until told otherwise; the service retries after 2 s, 4 s, ...
  const received: { status: number; body: any }[] = [];
  let accept = false;
  const hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const status = accept ? 200 : 503;
      received.push({ status, body: JSON.parse(body) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const callbackUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  const dataDir = tempDir('dh-callback-');
  const children: ChildProcess[] = [];
  try {
    const first = await serve(dataDir, true);
    children.push(first.child);
    const image = await upload(first.base, fixtureImage('photo-woman-dark-hair.png'));
    const audio = await upload(first.base, fixtureAudio('en-speech-1.wav'));
    const res = await fetch(`${first.base}/api/2dvh/v1/material/single/image/video/create`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ videoName: 'callback', param: JSON.stringify({ imageUrl: image, audioUrl: audio, duration: 2, callbackUrl }) }),
    });
    const id = (await res.json()).data;
    await poll(first.base, id, (d) => d.status === 'succeeded', 60_000);
    await until('the first, refused attempt', () => received.length >= 1, 15_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const refused = received.length;
    accept = true;

    const second = await serve(dataDir, true);
    children.push(second.child);
    await until('the callback after the restart', () => received.some((r) => r.status === 200), 20_000);
    const ok = received.find((r) => r.status === 200)!;
    assert.equal(ok.body.event, 'task.finished');
    assert.equal(ok.body.data.taskId, id);
    assert.equal(ok.body.data.status, 'succeeded');
    second.child.kill('SIGKILL');
    await new Promise((r) => second.child.once('exit', r));

    // Delivered and recorded: a third run sends nothing.
    const before = received.length;
    const third = await serve(dataDir, true);
    children.push(third.child);
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(received.length, before, `sent again after it was delivered (${refused} refused before the kill)`);
  } finally {
    for (const c of children) c.kill('SIGKILL');
    hook.close();
  }
});
