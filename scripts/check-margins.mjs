#!/usr/bin/env node
// Checks a speed-only change to a padded frame's margins (src/render/margin*.ts, base-frame.ts):
// the base frame of every padded case must be byte-identical to the one a reference commit makes,
// and the margins' CPU time is printed for both. The reference's and the working tree's src/ are
// transpiled (no type check) into temporary folders side by side, so both run in one process on
// the same inputs.
//
//   node scripts/check-margins.mjs [--ref <commit>, default: merge-base of HEAD and main] [--runs 5] [--no-time] [--only <case name part>]
//
// Cases: every fixture in test/fixtures/images as it is, squeezed very tall (1:3) and stretched
// slightly narrow of 16:9 (1.6:1), laid out adaptively, with its person mask (the Selfie
// segmenter) and without; plus a few frames with margins on all four sides and a tiny picture,
// which planLayout does not make but fillMarginsInPlace accepts. The inputs (scaled picture,
// placement, mask) are computed once with the built dist/ (npx tsc first) and cached in the
// system's temporary folder.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
// By default the commit this branch started from, so changes merged into main meanwhile do not count.
const REF = arg('ref', '') || execFileSync('git', ['merge-base', 'HEAD', 'main'], { cwd: ROOT, encoding: 'utf8' }).trim();
const RUNS = Number(arg('runs', '5'));
const TIME = !process.argv.includes('--no-time');
/** Cases also timed cold (a fresh process each): the fixtures with a textured backdrop beside them. */
const COLD = ['photo-man-flag', 'photo-woman-outdoors', 'photo-woman-smiling', 'photo-bw-man-einstein', 'painting-mona-lisa', 'anime-girl', 'cartoon-alpaca', 'photo-man-suit'];
const CACHE = path.join(os.tmpdir(), 'dh-margin-cases-v1');

/** src/ of `files` (relative path -> TypeScript) transpiled into `dir` as ES modules. */
function transpileInto(dir, files) {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [rel, text] of files) {
    if (!rel.endsWith('.ts')) continue;
    const out = path.join(dir, rel.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, ts.transpileModule(text, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText);
  }
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
}

function refSources(ref) {
  const names = execFileSync('git', ['ls-tree', '-r', '--name-only', ref, 'src'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.ts'));
  return names.map((f) => [f, execFileSync('git', ['show', `${ref}:${f}`], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 })]);
}

function treeSources() {
  const walk = (d) => fs.readdirSync(path.join(ROOT, d), { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
  return walk('src').filter((f) => f.endsWith('.ts')).map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8')]);
}

async function loadRender(dir) {
  return {
    compose: (await import(pathToFileURL(path.join(dir, 'src/render/base-frame.js')).href)).composeBaseFrame,
    fill: (await import(pathToFileURL(path.join(dir, 'src/render/margin.js')).href)).fillMarginsInPlace,
  };
}

// ---- Cases, cached -------------------------------------------------------------------------

const save = (name, obj, bufs) => {
  fs.writeFileSync(path.join(CACHE, `${name}.json`), JSON.stringify(obj));
  for (const [k, b] of Object.entries(bufs)) fs.writeFileSync(path.join(CACHE, `${name}.${k}.bin`), b);
};
const load = (name, keys) => {
  const obj = JSON.parse(fs.readFileSync(path.join(CACHE, `${name}.json`), 'utf8'));
  for (const k of keys) {
    const p = path.join(CACHE, `${name}.${k}.bin`);
    obj[k] = fs.existsSync(p) ? new Uint8Array(fs.readFileSync(p)) : null;
  }
  return obj;
};

async function buildCases() {
  fs.mkdirSync(CACHE, { recursive: true });
  const { defaultPipelineDeps } = await import(pathToFileURL(path.join(ROOT, 'dist/src/adapters/index.js')).href);
  const { pickMainFace } = await import(pathToFileURL(path.join(ROOT, 'dist/src/analyze/face/index.js')).href);
  const { planLayout } = await import(pathToFileURL(path.join(ROOT, 'dist/src/render/layout.js')).href);
  const { placePicture } = await import(pathToFileURL(path.join(ROOT, 'dist/src/render/base-frame.js')).href);
  const sharp = (await import('sharp')).default;
  const deps = defaultPipelineDeps();
  const dir = path.join(ROOT, 'test/fixtures/images');
  const names = [];
  for (const file of fs.readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort()) {
    const image = await deps.imageCodec.decode(new Uint8Array(fs.readFileSync(path.join(dir, file))), file);
    const face = pickMainFace(await deps.faceDetector.detect(image), image.width, image.height);
    const variants = [['', 1], ['tall', 1 / 3 / (image.width / image.height)], ['slight', 1.6 / (image.width / image.height)]];
    for (const [tag, stretch] of variants) {
      const name = `${file.replace(/\.\w+$/, '')}${tag ? `-${tag}` : ''}`;
      let img = image;
      if (stretch !== 1) {
        const w = Math.max(8, Math.round(image.width * stretch));
        const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).resize(w, image.height, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
        img = { data: new Uint8Array(data), width: info.width, height: info.height };
      }
      const sx = img.width / image.width;
      const box = face ? { x: face.box.x * sx, y: face.box.y, width: face.box.width * sx, height: face.box.height } : null;
      const layout = planLayout(img.width, img.height, box, 'adaptive');
      if (!layout.padded) continue;
      const placement = placePicture(img.width, img.height, layout);
      const scaled = await deps.imageCodec.resizeRegion(img, placement.region, placement.width, placement.height);
      const mask = await deps.segmenter.segment(img);
      save(name, { kind: 'compose', placement, layout, imageSize: { width: img.width, height: img.height }, scaledSize: { width: scaled.width, height: scaled.height }, maskSize: mask && { width: mask.width, height: mask.height } }, { scaled: scaled.data, ...(mask ? { mask: mask.data } : {}) });
      names.push(name);
      process.stdout.write(`  case ${name}: ${img.width}x${img.height}, picture ${placement.visible.width}x${placement.visible.height} at ${placement.at.x},${placement.at.y}${mask ? '' : ' (no mask)'}\n`);
    }
    // Margins on all four sides, at two frame sizes, and a tiny picture: fillMarginsInPlace direct.
    if (['photo-man-flag.jpg', 'photo-woman-outdoors.jpg', 'animal-shiba-dog.jpg', 'anime-girl.png'].includes(file)) {
      const mask = await deps.segmenter.segment(image);
      for (const [fw, fh, inner] of [[1280, 720, { x: 310, y: 90, width: 600, height: 560 }], [320, 180, { x: 100, y: 20, width: 130, height: 150 }], [200, 120, { x: 97, y: 50, width: 5, height: 9 }]]) {
        const { data } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).resize(inner.width, inner.height, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
        const frame = new Uint8Array(fw * fh * 3);
        for (let y = 0; y < inner.height; y++) frame.set(data.subarray(y * inner.width * 3, (y + 1) * inner.width * 3), ((inner.y + y) * fw + inner.x) * 3);
        const name = `${file.replace(/\.\w+$/, '')}-sides-${fw}x${fh}-${inner.width}`;
        save(name, { kind: 'fill', width: fw, height: fh, inner, maskSize: mask && { width: mask.width, height: mask.height } }, { frame, ...(mask ? { mask: mask.data } : {}) });
        names.push(name);
      }
    }
  }
  fs.writeFileSync(path.join(CACHE, 'index.json'), JSON.stringify(names));
}

/** A runnable case: `run(render, withMask)` makes its frame with one tree's code. */
function caseRunner(name) {
  const c = load(name, ['scaled', 'mask', 'frame']);
  const mask = c.mask && { data: c.mask, width: c.maskSize.width, height: c.maskSize.height };
  if (c.kind === 'compose') {
    const scaled = { data: c.scaled, width: c.scaledSize.width, height: c.scaledSize.height };
    return { name, hasMask: !!mask, run: (r, withMask) => r.compose(scaled, c.placement, c.layout, c.imageSize, withMask ? mask : null).data };
  }
  // The mask stretched over the inner rectangle, as composeBaseFrame maps it over the picture.
  const { inner } = c;
  const personAt = mask && ((x, y) => {
    const mx = Math.min(mask.width - 1, Math.max(0, Math.floor(((x - inner.x + 0.5) / inner.width) * mask.width)));
    const my = Math.min(mask.height - 1, Math.max(0, Math.floor(((y - inner.y + 0.5) / inner.height) * mask.height)));
    return mask.data[my * mask.width + mx] / 255;
  });
  return {
    name, hasMask: !!mask, run: (r, withMask) => {
      const img = { data: Uint8Array.from(c.frame), width: c.width, height: c.height };
      r.fill(img, inner, withMask ? personAt : undefined);
      return img.data;
    },
  };
}

// ---- Compare and time ---------------------------------------------------------------------

const sha1 = (b) => crypto.createHash('sha1').update(b).digest('hex').slice(0, 12);
function cpuMs(fn) {
  const t = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];

// A child run: one case's first call in a fresh process (the JIT cold, as at a render's start).
if (process.argv.includes('--child')) {
  const r = await loadRender(arg('child', ''));
  const c = caseRunner(arg('case', ''));
  const wall = performance.now();
  const cpu = cpuMs(() => c.run(r, arg('mask', '0') === '1'));
  process.stdout.write(`${cpu} ${performance.now() - wall}\n`);
  process.exit(0);
}

/** Median CPU and wall ms of the first call of a case in `runs` fresh processes. */
function coldMs(dir, name, withMask, runs) {
  const cpu = [], wall = [];
  for (let i = 0; i < runs; i++) {
    const [c, w] = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir, '--case', name, '--mask', withMask ? '1' : '0'], { encoding: 'utf8' }).trim().split(' ').map(Number);
    cpu.push(c); wall.push(w);
  }
  return { cpu: median(cpu), wall: median(wall) };
}

if (!fs.existsSync(path.join(CACHE, 'index.json'))) {
  process.stdout.write(`building cases into ${CACHE} (once)\n`);
  await buildCases();
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dh-margin-check-'));
transpileInto(path.join(work, 'ref'), refSources(REF));
transpileInto(path.join(work, 'new'), treeSources());
const ref = await loadRender(path.join(work, 'ref')), now = await loadRender(path.join(work, 'new'));
const names = JSON.parse(fs.readFileSync(path.join(CACHE, 'index.json'), 'utf8')).filter((x) => x.includes(arg('only', '')));
let same = 0, differ = 0;
const totals = { ref: 0, now: 0 };
process.stdout.write(`reference ${REF} (${execFileSync('git', ['rev-parse', '--short', REF], { cwd: ROOT, encoding: 'utf8' }).trim()}) against the working tree; CPU ms of a warmed-up call, median of ${RUNS}\n`);
for (const name of names) {
  const c = caseRunner(name);
  for (const withMask of c.hasMask ? [true, false] : [false]) {
    const a = c.run(ref, withMask), b = c.run(now, withMask);
    const ok = Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
    let note = '';
    if (ok) same++;
    else {
      differ++;
      let n = 0, worst = 0;
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) { n++; worst = Math.max(worst, Math.abs(a[i] - b[i])); }
      note = ` DIFFER: ${n} bytes, up to ${worst} levels (${sha1(a)} vs ${sha1(b)})`;
    }
    let times = '';
    if (TIME) {
      const tr = [], tn = [];
      for (let i = 0; i < RUNS; i++) { tr.push(cpuMs(() => c.run(ref, withMask))); tn.push(cpuMs(() => c.run(now, withMask))); }
      const mr = median(tr), mn = median(tn);
      totals.ref += mr; totals.now += mn;
      // The least too: on a shared machine the median still carries other processes' load.
      times = ` ${mr.toFixed(1).padStart(7)} -> ${mn.toFixed(1).padStart(6)} ms (${(mr / mn).toFixed(1)}x; least ${Math.min(...tr).toFixed(1)} -> ${Math.min(...tn).toFixed(1)})`;
    }
    process.stdout.write(`${(name + (withMask ? ' +mask' : '')).padEnd(46)} ${ok ? `same ${sha1(a)}` : 'DIFFERENT'}${times}${note}\n`);
  }
}
if (TIME) {
  // What a render pays: the first call in a fresh process, before the JIT has warmed up.
  process.stdout.write(`first call in a fresh process (CPU of all its threads, the JIT's included, and wall ms; median of ${RUNS} processes):\n`);
  for (const name of names.filter((x) => COLD.includes(x))) {
    for (const withMask of [true, false]) {
      const mr = coldMs(path.join(work, 'ref'), name, withMask, RUNS), mn = coldMs(path.join(work, 'new'), name, withMask, RUNS);
      process.stdout.write(`${(name + (withMask ? ' +mask' : '')).padEnd(46)} CPU ${mr.cpu.toFixed(1).padStart(6)} -> ${mn.cpu.toFixed(1).padStart(6)} ms (${(mr.cpu / mn.cpu).toFixed(1)}x), wall ${mr.wall.toFixed(1).padStart(6)} -> ${mn.wall.toFixed(1).padStart(6)} ms (${(mr.wall / mn.wall).toFixed(1)}x)\n`);
    }
  }
}
fs.rmSync(work, { recursive: true, force: true });
process.stdout.write(`${same} identical, ${differ} different${TIME ? `; CPU total ${totals.ref.toFixed(0)} -> ${totals.now.toFixed(0)} ms (${(totals.ref / totals.now).toFixed(2)}x)` : ''}\n`);
process.exit(differ ? 1 : 0);
