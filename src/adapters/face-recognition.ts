// FaceRecognizer backed by @vladmandic/face-api (SSD MobileNet v1 detector, 68-point landmarks and
// the dlib-style ResNet descriptor; weights ship in the package's model/ folder) on the same
// tfjs-core + WebAssembly backend that face-human.ts uses. Loaded lazily, once per process.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FaceDescription, FaceRecognizer } from '../eval-metrics/index.js';
import { loadOnce } from './load-once.js';

const require = createRequire(import.meta.url);

interface TensorLike { dispose(): void }
interface TfCore {
  Tensor: { prototype: Record<string, unknown> };
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  tensor3d(data: Uint8Array, shape: [number, number, number], dtype: string): TensorLike;
  [op: string]: unknown;
}
interface FaceApiResult {
  detection: { score: number; box: { x: number; y: number; width: number; height: number } };
  landmarks: { positions: { x: number; y: number }[] };
  descriptor: Float32Array;
}
interface FaceApi {
  nets: Record<'ssdMobilenetv1' | 'faceLandmark68Net' | 'faceRecognitionNet', { loadFromDisk(dir: string): Promise<void> }>;
  SsdMobilenetv1Options: new (o: { minConfidence: number; maxResults?: number }) => unknown;
  detectAllFaces(input: TensorLike, options: unknown): { withFaceLandmarks(): PromiseLike<Omit<FaceApiResult, 'descriptor'>[]> & { withFaceDescriptors(): Promise<FaceApiResult[]> } };
}

/**
 * face-api's published node builds `require("@tensorflow/tfjs")`, the full umbrella package
 * (layers, data, webgl...), of which it only uses core ops and the io weight loaders. Installing
 * it would add a second set of tfjs packages next to the 4.22 core, converter and wasm backend
 * the project already has. So the build is evaluated with that one import answered by
 * core + converter, and the chained tensor methods (`t.as3D()`, `t.toFloat()`) that the umbrella
 * package registers as a side effect are registered here from core's own ops.
 */
function registerChainedOps(core: TfCore, chainedOpsDir: string): void {
  const proto = core.Tensor.prototype;
  const reshape = core.reshape as (t: unknown, s: number[]) => unknown;
  const cast = core.cast as (t: unknown, d: string) => unknown;
  const special: Record<string, (this: { size: number }, ...a: any[]) => unknown> = {
    as1D() { return reshape(this, [this.size]); },
    as2D(r: number, c: number) { return reshape(this, [r, c]); },
    as3D(r: number, c: number, d: number) { return reshape(this, [r, c, d]); },
    as4D(r: number, c: number, d: number, e: number) { return reshape(this, [r, c, d, e]); },
    as5D(r: number, c: number, d: number, e: number, f: number) { return reshape(this, [r, c, d, e, f]); },
    asScalar() { return reshape(this, []); },
    asType(d: string) { return cast(this, d); },
    toFloat() { return cast(this, 'float32'); },
    toInt() { return cast(this, 'int32'); },
    toBool() { return cast(this, 'bool'); },
    flatten() { return reshape(this, [this.size]); },
    reshapeAs(x: { shape: number[] }) { return reshape(this, x.shape); },
    concat(x: unknown, axis?: number) { return (core.concat as Function)([this, ...(Array.isArray(x) ? x : [x])], axis); },
    stack(x: unknown, axis?: number) { return (core.stack as Function)([this, x], axis); },
  };
  for (const [name, fn] of Object.entries(special)) if (!(name in proto)) proto[name] = fn;
  // Core's own list of chained ops: the file names of its (ESM-only) registration modules.
  for (const file of fs.readdirSync(chainedOpsDir)) {
    if (!file.endsWith('.js') || file.includes('test') || file.startsWith('register_all')) continue;
    const name = file.slice(0, -3).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const op = core[name];
    if (!(name in proto) && typeof op === 'function') proto[name] = function (this: unknown, ...a: unknown[]) { return op(this, ...a); };
  }
}

function loadFaceApiModule(core: TfCore): { faceapi: FaceApi; models: string } {
  const pkg = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
  const file = path.join(pkg, 'dist', 'face-api.node-wasm.js');
  const tf = { ...core, ...(require('@tensorflow/tfjs-converter') as object) };
  const mod = { exports: {} as FaceApi };
  const localRequire = (id: string): unknown => (id === '@tensorflow/tfjs' ? tf : require(id));
  // A CommonJS wrapper, as Node's own loader would build, with `require` answered as above.
  new Function('require', 'module', 'exports', '__filename', '__dirname', fs.readFileSync(file, 'utf8'))(localRequire, mod, mod.exports, file, path.dirname(file));
  return { faceapi: mod.exports, models: path.join(pkg, 'model') };
}

async function load(): Promise<FaceApi> {
  const core = require('@tensorflow/tfjs-core') as TfCore;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(p: string): void };
  registerChainedOps(core, path.join(path.dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist', 'public', 'chained_ops'));
  const { faceapi, models } = loadFaceApiModule(core);
  if (core.getBackend() !== 'wasm') {
    wasm.setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '..', 'dist') + path.sep);
    await core.setBackend('wasm');
  }
  await core.ready();
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(models);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(models);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(models);
  return faceapi;
}
const faceApi = loadOnce(load);

/**
 * `descriptors: false` skips the recognition network (about half the time per face): the
 * faces then carry an empty descriptor, for measures that need only the landmarks.
 */
export function createFaceApiRecognizer(opts: { minConfidence?: number; descriptors?: boolean } = {}): FaceRecognizer {
  return {
    async describe(rgb, width, height): Promise<FaceDescription[]> {
      const faceapi = await faceApi();
      const core = require('@tensorflow/tfjs-core') as TfCore;
      const tensor = core.tensor3d(rgb, [height, width, 3], 'int32');
      try {
        const withLandmarks = faceapi.detectAllFaces(tensor, new faceapi.SsdMobilenetv1Options({ minConfidence: opts.minConfidence ?? 0.4 })).withFaceLandmarks();
        const found: FaceApiResult[] = opts.descriptors === false
          ? (await withLandmarks).map((f) => ({ ...f, descriptor: new Float32Array(0) }))
          : await withLandmarks.withFaceDescriptors();
        return found.map((f) => {
          const landmarks = new Float32Array(f.landmarks.positions.length * 2);
          f.landmarks.positions.forEach((p, i) => { landmarks[2 * i] = p.x; landmarks[2 * i + 1] = p.y; });
          const { x, y, width: w, height: h } = f.detection.box;
          return { box: { x, y, width: w, height: h }, score: f.detection.score, landmarks, descriptor: f.descriptor };
        });
      } finally {
        tensor.dispose();
      }
    },
  };
}
