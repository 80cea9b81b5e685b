// Long videos rendered in parallel segments through the service: planned once, segments taken by
// the render workers at once, a killed segment rendered again alone, joined into one video.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { probe } from '../../src/adapters/ffmpeg.js';
import { loadConfig } from '../../src/core/config.js';
import { openTaskStore } from '../../src/store/open-task-store.js';
import { fixtureAudio, fixtureImage } from '../helpers.js';
import { startHarness, uploadFile, type Harness } from './harness.js';
import { renderProcesses } from './processes.js';

let h: Harness;
const logs: string[] = [];
before(async () => {
  // Two-second segments, so a six-second task makes three.
  h = await startHarness({ DH_SEGMENT_SECONDS: '2', DH_WORKERS: '2' }, { log: (line) => logs.push(line) });
});
after(() => h.close());

async function videoOf(task: any): Promise<{ frames: number; video: number; audio: number }> {
  const file = path.join(h.dataDir, 'scratch-download.mp4');
  fs.writeFileSync(file, (await h.request('GET', task.videoUrl)).bytes);
  const info = await probe(file);
  const v = info.streams.find((s) => s.codec_type === 'video')!, a = info.streams.find((s) => s.codec_type === 'audio')!;
  return { frames: Number(v.nb_frames), video: Number(v.duration), audio: Number(a.duration) };
}

const segmentFiles = () => {
  const out: string[] = [];
  const walk = (d: string) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (p.includes('segments')) out.push(p); } };
  walk(path.join(h.dataDir, 'media'));
  return out;
};

test('a six-second task is rendered as three segments, joined into one video with its sound, and the segments are cleaned up', async () => {
  const image = (await uploadFile(h, fixtureImage('photo-woman-outdoors.jpg'))).data.url;
  const audio = (await uploadFile(h, fixtureAudio('en-speech-1.wav'))).data.url;
  const created = await h.create({ imageUrl: image, audioUrl: audio, duration: 6 });
  assert.equal(created.code, 0, JSON.stringify(created));
  const progress: number[] = [];
  const done = await h.waitFor(created.data, (t) => { progress.push(t.progress); return t.status === 'succeeded' || t.status === 'failed'; }, { timeoutMs: 120_000 });
  assert.equal(done.status, 'succeeded', JSON.stringify(done));
  assert.equal(done.render.segments, 3);
  assert.equal(done.render.workers.length, 1, 'one service process rendered them all');
  const v = await videoOf(done);
  assert.equal(v.frames, 150);
  assert.ok(Math.abs(v.video - 6) < 1e-6, `video ${v.video}`);
  assert.ok(Math.abs(v.audio - 6) < 0.03, `audio ${v.audio}`);
  assert.ok(progress.some((p) => p > 0 && p < 100), `progress seen: ${[...new Set(progress)].join(',')}`);
  assert.deepEqual(segmentFiles(), [], 'segment videos and shared inputs are removed once joined');
  // Each segment's render and the join are timed in /metrics.
  const metrics = (await h.request('GET', '/metrics')).bytes.toString();
  assert.match(metrics, /^# TYPE dh_segment_seconds histogram$/m);
  assert.equal(Number(metrics.match(/^dh_segment_seconds_count (\d+)$/m)?.[1]), 3, metrics);
  assert.equal(Number(metrics.match(/^dh_segment_seconds_bucket\{le="\+Inf"\} (\d+)$/m)?.[1]), 3);
  assert.ok(Number(metrics.match(/^dh_segment_seconds_sum (\S+)$/m)?.[1]) > 0);
  assert.equal(Number(metrics.match(/^dh_join_seconds_count (\d+)$/m)?.[1]), 1);
});

test('a task shorter than one and a half segments renders in one piece', async () => {
  const image = (await uploadFile(h, fixtureImage('photo-man-flag.jpg'))).data.url;
  const audio = (await uploadFile(h, fixtureAudio('en-speech-1.wav'))).data.url;
  const created = await h.create({ imageUrl: image, audioUrl: audio, duration: 2.5 });
  const done = await h.waitFor(created.data, (t) => t.status === 'succeeded' || t.status === 'failed', { timeoutMs: 60_000 });
  assert.equal(done.status, 'succeeded');
  assert.equal(done.render.segments, 1);
  assert.equal((await videoOf(done)).frames, 63);
});

test('speech typed as text is synthesized once and shared by the segments; a segment whose render is killed is rendered again alone', async () => {
  const image = (await uploadFile(h, fixtureImage('photo-man-flag.jpg'))).data.url;
  logs.length = 0;
  const created = await h.create({ imageUrl: image, text: 'Segments are rendered by several workers at once, and a killed one is simply rendered again.', voice: 'espeak:en-us', duration: 6 });
  assert.equal(created.code, 0, JSON.stringify(created));
  // Kill one render process once segments are rendering.
  const deadline = Date.now() + 60_000;
  let killed = false;
  while (!killed && Date.now() < deadline) {
    const t = (await h.request('GET', `/api/2dvh/v1/material/single/image/video/detail?taskId=${created.data}`)).json.data;
    assert.notEqual(t.status, 'failed', JSON.stringify(t));
    if (t.status === 'processing' && t.progress > 20) {
      const procs = renderProcesses(process.pid); // the in-process service's
      if (procs.length > 0) { process.kill(procs[0], 'SIGKILL'); killed = true; }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(killed, 'a render process was killed mid-task');
  const done = await h.waitFor(created.data, (t) => t.status === 'succeeded' || t.status === 'failed', { timeoutMs: 120_000 });
  assert.equal(done.status, 'succeeded', JSON.stringify(done));
  assert.equal(done.render.segments, 3);
  assert.equal((await videoOf(done)).frames, 150);
  const deaths = logs.filter((l) => /segment \d+: .*render death 1 of at most/.test(l));
  assert.equal(deaths.length, 1, logs.join('\n'));
  // The synthesized speech is the task's own input, kept with it; the segments' files are gone.
  assert.ok(fs.readdirSync(path.join(h.dataDir, 'media'), { recursive: true }).some((f) => String(f).endsWith(`tasks/${created.data}/input-audio`)));
  assert.deepEqual(segmentFiles(), []);
});

test('a restart that starts a planned task again while its segments render does not keep the join from finishing it', async () => {
  const image = (await uploadFile(h, fixtureImage('photo-man-flag.jpg'))).data.url;
  const audio = (await uploadFile(h, fixtureAudio('en-speech-1.wav'))).data.url;
  // Four seconds: two segments, one on each of the two render workers, both under way before the restart.
  const created = await h.create({ imageUrl: image, audioUrl: audio, duration: 4 });
  assert.equal(created.code, 0, JSON.stringify(created));
  const id = created.data as number;
  const store = await openTaskStore(loadConfig({}, { DH_DATA_DIR: h.dataDir }));
  try {
    const deadline = Date.now() + 60_000;
    let rendering = false;
    while (!rendering && Date.now() < deadline) {
      const plan = await store.getSegments(id);
      rendering = !!plan && plan.segments.length === 2 && plan.segments.every((x) => x.progress > 0 && !x.done);
      if (!rendering) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(rendering, 'both segments were rendering');
    // What a restarted service does with a task left processing (recover, then the task's job): a
    // new start is counted on it. The segments read the task before it, a start behind.
    const restarted = await store.startTask(id, Date.now());
    assert.equal(restarted?.attempts, 2);
  } finally {
    await store.close();
  }
  const done = await h.waitFor(id, (t) => t.status === 'succeeded' || t.status === 'failed', { timeoutMs: 120_000 });
  assert.equal(done.status, 'succeeded', JSON.stringify(done));
  assert.equal(done.render.segments, 2);
});
