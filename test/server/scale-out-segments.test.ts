// A long task in parallel segments across processes, on the real servers: one `dh serve` with
// DH_WORKERS=0 and two `dh worker` processes on PostgreSQL, Redis and S3, DH_SEGMENT_SECONDS=2.
// A ten-second task is cut into five segments that both workers render; one worker is killed
// with SIGKILL while it renders a segment and started again; the task still succeeds, with
// exactly its frames, sound as long as its picture, no jump where segments meet, and no media
// file on the API's disk.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { probe } from '../../src/adapters/ffmpeg.js';
import { CLI, fixtureAudio, fixtureImage, tempDir } from '../helpers.js';
import { testServer } from '../servers.js';
import { CREATE, DETAIL } from './harness.js';
import { exited, freshDatabase, mediaFiles, startCluster, tails, until, type Proc } from './processes.js';

const redisUrl = testServer('DH_TEST_REDIS_URL', 'scale-out segments (Redis)');
const s3 = testServer('DH_TEST_S3_ENDPOINT', 'scale-out segments (S3)');
const pgUrl = testServer('DH_TEST_DATABASE_URL', 'scale-out segments (PostgreSQL)');

const LOCK_SECONDS = 4;
const SEGMENT_SECONDS = 2;
const DURATION = 10;
const FPS = 25;

const W = 80, H = 45;
/**
 * Every frame averaged down to 80x45 grey: a jump of the head or a lost or doubled frame shows,
 * while the encoder's noise (every segment starts with a keyframe) mostly averages out.
 */
function greyFrames(video: string): Uint8Array[] {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', video, '-vf', `scale=${W}:${H}:flags=area,format=gray`, '-f', 'rawvideo', 'pipe:1'], { maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, String(r.stderr));
  const frames: Uint8Array[] = [];
  for (let o = 0; o + W * H <= r.stdout.length; o += W * H) frames.push(r.stdout.subarray(o, o + W * H));
  return frames;
}
const meanAbs = (a: Uint8Array, b: Uint8Array) => { let s = 0; for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]); return s / a.length; };
/** How much each frame differs from the one before (0-255; [0] is 0). */
const stepsOf = (frames: Uint8Array[]) => frames.map((f, i) => (i === 0 ? 0 : meanAbs(frames[i - 1], f)));

if (redisUrl && s3 && pgUrl) {
  test('scale-out segments: a 10 s task is rendered in segments by two dh worker processes, one killed mid-segment and restarted, and joins without a seam', { timeout: 600_000 }, async () => {
    const queueUrl = `${redisUrl.replace(/\/\d*$/, '')}/7`;
    const flush = new Redis(queueUrl);
    await flush.flushdb();
    flush.disconnect();
    const apiDir = tempDir('dh-seg-api-');
    const env = {
      DH_API_KEYS: '', DH_REDIS_URL: queueUrl, DH_LOCK_SECONDS: String(LOCK_SECONDS), DH_SEGMENT_SECONDS: String(SEGMENT_SECONDS),
      DH_DATABASE_URL: await freshDatabase(pgUrl),
      DH_S3_ENDPOINT: s3, DH_S3_REGION: process.env.DH_TEST_S3_REGION ?? 'us-east-1', DH_S3_BUCKET: `dh-seg-${randomUUID().slice(0, 8)}`,
      DH_S3_ACCESS_KEY: process.env.DH_TEST_S3_ACCESS_KEY!, DH_S3_SECRET_KEY: process.env.DH_TEST_S3_SECRET_KEY!,
    };
    const procs: Proc[] = [];
    const connection = new Redis(queueUrl, { maxRetriesPerRequest: null });
    const bull = new Queue('renders', { connection, prefix: 'dh' });
    try {
      const { base, worker, upload } = await startCluster(env, procs, { api: apiDir, worker: () => tempDir('dh-seg-worker-') });
      assert.match(procs[0].out.join(''), /PostgreSQL.*media in S3 bucket dh-seg-.*queue on Redis .*no render workers here \(DH_WORKERS=0\)/s);
      const pidOf = (p: Proc) => p.child.pid!;
      const workers = procs.slice(1);

      const image = await upload(fixtureImage('photo-woman-outdoors.jpg'));
      const audio = await upload(fixtureAudio('en-speech-1.wav'));
      const res = await fetch(`${base}${CREATE}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ videoName: 'long', param: JSON.stringify({ imageUrl: image, audioUrl: audio, duration: DURATION }) }) });
      const created = await res.json();
      assert.equal(created.code, 0, JSON.stringify(created));
      const id = created.data as number;
      const wholeFile = path.join(tempDir('dh-seg-whole-'), 'whole.mp4');
      const wholeRender = new Promise<string>((resolve, reject) => {
        const r = spawn(process.execPath, [CLI, 'render', '--image', fixtureImage('photo-woman-outdoors.jpg'), '--audio', fixtureAudio('en-speech-1.wav'), '--duration', String(DURATION), '--out', wholeFile], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        r.stderr!.on('data', (d) => { err += d; });
        r.once('exit', (code) => (code === 0 ? resolve(wholeFile) : reject(new Error(`dh render exited with ${code}: ${err}`))));
      });
      wholeRender.catch(() => {}); // awaited below; a failure is reported there
      const detail = async () => (await (await fetch(`${base}${DETAIL}?taskId=${id}`, { signal: AbortSignal.timeout(10_000) })).json()).data;

      // Segment jobs held by each worker process, straight from the queue.
      const segmentHolders = async () => (await bull.getActive()).filter((j) => j.data.segment !== undefined)
        .map((j) => ({ segment: j.data.segment as number, pid: Number(String(j.processedBy).split(':').pop()), since: j.processedOn ?? Date.now() }));
      const both = await until('both workers rendering a segment', segmentHolders, (h) => new Set(h.map((x) => x.pid)).size === 2, 180_000);
      assert.deepEqual([...new Set(both.map((x) => x.pid))].sort(), workers.map(pidOf).sort());
      const metrics = await (await fetch(`${base}/metrics`)).text();
      for (const w of workers) assert.match(metrics, new RegExp(`^dh_renders_active\\{worker="[^"]*:${pidOf(w)}"\\} 1$`, 'm'), metrics);

      // Kill one worker a moment into its segment (inputs fetched, frames being rendered).
      const held = await until('a segment rendering for over a second', segmentHolders, (h) => h.some((x) => Date.now() - x.since > 1000), 60_000);
      const target = held.find((x) => Date.now() - x.since > 1000)!;
      const victim = workers.find((w) => pidOf(w) === target.pid)!;
      victim.child.kill('SIGKILL');
      await exited(victim);
      const mid = await detail();
      assert.equal(mid.status, 'processing', 'the kill came while the task was rendering');
      process.stderr.write(`scale-out segments: killed worker ${target.pid} in segment ${target.segment} (task at ${mid.progress}%)\n`);
      const restarted = await worker();

      const done = await until('the task to finish', detail, (d) => d.status === 'succeeded' || d.status === 'failed', 300_000);
      assert.equal(done.status, 'succeeded', JSON.stringify(done));
      assert.equal(done.render.segments, DURATION / SEGMENT_SECONDS);
      const ids: string[] = done.render.workers;
      const live = [...workers, restarted].map(pidOf);
      const pids = ids.map((w) => Number(w.split(':').pop()));
      assert.ok(pids.every((p) => live.includes(p)), `render.workers ${ids} are our worker processes ${live}`);
      assert.ok(new Set(pids).size >= 2, `segments came from more than one worker: ${ids}`);
      const survivor = workers.find((w) => w !== victim)!;
      assert.ok(pids.includes(pidOf(survivor)), `the worker that was not killed rendered segments: ${ids}`);
      assert.ok(pids.includes(pidOf(victim)) || pids.includes(pidOf(restarted)), `the killed worker or its replacement rendered segments: ${ids}`);
      const scraped = await (await fetch(`${base}/metrics`)).text();
      const observed = Number(scraped.match(/^dh_segment_seconds_count (\d+)$/m)?.[1]);
      assert.ok(observed >= DURATION / SEGMENT_SECONDS, `every segment's render time is in /metrics: ${observed}`);

      // The video: exactly its frames, sound as long as the picture, and joins that do not jump.
      const file = path.join(tempDir('dh-seg-out-'), 'video.mp4');
      fs.writeFileSync(file, Buffer.from(await (await fetch(done.videoUrl)).arrayBuffer()));
      const info = await probe(file);
      const v = info.streams.find((s) => s.codec_type === 'video')!, a = info.streams.find((s) => s.codec_type === 'audio')!;
      assert.equal(Number(v.nb_frames), DURATION * FPS);
      assert.ok(Math.abs(Number(v.duration) - DURATION) < 1e-6, `video ${v.duration} s`);
      assert.ok(Math.abs(Number(a.duration) - DURATION) < 0.03, `audio ${a.duration} s`);
      // Against the same video rendered whole by `dh render` (started beside the task): the
      // animation is computed once for the whole video, so each frame must be its whole-render
      // frame, and the step into each join frame the whole render's step there.
      const whole = await wholeRender;
      const seg = greyFrames(file), ref = greyFrames(whole);
      assert.equal(seg.length, DURATION * FPS, 'every frame decodes');
      assert.equal(ref.length, seg.length);
      const steps = stepsOf(seg), refSteps = stepsOf(ref);
      const moving = steps.filter((x) => x > 0.05).length;
      assert.ok(moving > 50, `the face moves (a frozen picture would pass the join checks): only ${moving} frames change`);
      const off = seg.map((f, i) => meanAbs(f, ref[i]));
      const joins = Array.from({ length: DURATION / SEGMENT_SECONDS - 1 }, (_, i) => (i + 1) * SEGMENT_SECONDS * FPS);
      process.stderr.write(`scale-out segments: ${moving} moving frames; largest difference from the whole render ${Math.max(...off).toFixed(3)}; steps at the joins ${joins.map((j) => `${steps[j].toFixed(3)} (whole ${refSteps[j].toFixed(3)})`).join(', ')}\n`);
      off.forEach((d, i) => assert.ok(d < 0.5, `frame ${i} differs from the whole render's by ${d.toFixed(3)}`));
      for (const j of joins) {
        assert.ok(Math.abs(steps[j] - refSteps[j]) < 0.25 * refSteps[j] + 0.05, `the step into frame ${j} (a join) is ${steps[j].toFixed(3)}, the whole render's ${refSteps[j].toFixed(3)}: a seam`);
        assert.ok(steps[j] > 0, `frame ${j} is not a repeat of the one before`);
      }

      // No media on the API's disk: uploads, segments and the result all went to S3.
      assert.deepEqual(mediaFiles(apiDir), []);
    } catch (err) {
      process.stderr.write(`${tails(procs)}\n`);
      throw err;
    } finally {
      for (const p of procs) p.child.kill('SIGKILL');
      await bull.close();
      // BullMQ leaves a connection it was given open: an open socket would keep this file running.
      connection.disconnect();
    }
  });
}
