// FaceDetector backed by @vladmandic/human (MediaPipe BlazeFace + FaceMesh + iris, weights
// shipped in the npm package) on the tfjs WebAssembly backend. Loaded lazily, once per process.
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DhError } from '../core/errors.js';
import type { FaceLandmarks, RgbImage } from '../core/types.js';
import type { FaceDetector } from '../core/ports.js';
import { loadOnce } from './load-once.js';
import { shrinkTo } from './shrink.js';

const require = createRequire(import.meta.url);

// The package's "exports" map lists its subpaths without the leading "./", so Node refuses
// `@vladmandic/human/dist/human.node-wasm`; resolve the main entry and load the sibling file.
function humanModulePaths(): { human: string; models: string; wasm: string } {
  const main = require.resolve('@vladmandic/human');
  const wasmMain = require.resolve('@tensorflow/tfjs-backend-wasm');
  return {
    human: path.join(path.dirname(main), 'human.node-wasm.js'),
    models: path.join(path.dirname(main), '..', 'models'),
    wasm: path.join(path.dirname(wasmMain), '..', 'dist') + path.sep,
  };
}

/** A loaded Human instance; `R` is what its detect answers for the modules enabled. */
export interface HumanInstance<R> {
  load(): Promise<void>;
  detect(input: unknown): Promise<R>;
  tf: {
    io: { registerLoadRouter(fn: (url: string | string[]) => unknown): void };
    tensor3d(data: Uint8Array, shape: [number, number, number], dtype: string): { dispose(): void };
  };
}

type FaceResult = { face: { score: number; box: [number, number, number, number]; mesh: [number, number, number?][] }[] };

/** tfjs IOHandler that reads a graph model's JSON and weight shards from disk. */
export function fileModelLoader(url: string | string[]): unknown {
  const u = Array.isArray(url) ? url[0] : url;
  if (typeof u !== 'string' || !u.startsWith('file://')) return null;
  const file = u.slice('file://'.length);
  return {
    load: async () => {
      const json = JSON.parse(await fs.readFile(file, 'utf8'));
      const weightSpecs: unknown[] = [];
      const shards: Buffer[] = [];
      for (const group of json.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const p of group.paths) shards.push(await fs.readFile(path.join(path.dirname(file), p)));
      }
      const all = Buffer.concat(shards);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        // Without the signature tfjs knows no input shape, and centernet reads it (objects-human.ts).
        signature: json.signature,
        userDefinedMetadata: json.userDefinedMetadata,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

let fileLoaderRegistered = false;

/** Registers fileModelLoader once per process: every Human instance shares one tfjs, and two routers for a URL make tfjs refuse it. */
function registerFileModels(tf: { io: { registerLoadRouter(fn: (url: string | string[]) => unknown): void } }): void {
  if (fileLoaderRegistered) return;
  tf.io.registerLoadRouter(fileModelLoader);
  fileLoaderRegistered = true;
}

/**
 * A Human on the tfjs WebAssembly backend with the package's own model files, every module off
 * but those in `modules`, loaded. The face model and the object detector are both made here.
 */
export async function loadHumanWith<R>(modules: Record<string, unknown>): Promise<HumanInstance<R>> {
  const paths = humanModulePaths();
  const mod = require(paths.human) as { Human: new (config: object) => HumanInstance<R> };
  const human = new mod.Human({
    backend: 'wasm',
    wasmPath: paths.wasm,
    modelBasePath: `file://${paths.models}/`,
    debug: false,
    cacheSensitivity: 0,
    face: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    ...modules,
  });
  registerFileModels(human.tf);
  await human.load();
  return human;
}

const loadHuman = () => loadHumanWith<FaceResult>({
  face: {
    enabled: true,
    detector: { rotation: true, maxDetected: 4, minConfidence: 0.3 },
    mesh: { enabled: true },
    iris: { enabled: true },
    description: { enabled: false },
    emotion: { enabled: false },
    antispoof: { enabled: false },
    liveness: { enabled: false },
  },
});
const faceModel = loadOnce(loadHuman);

/** Larger pictures are scaled down for detection: the models read 256 and 192 px crops anyway. */
const MAX_DETECT_SIDE = 2048;

/**
 * BlazeFace squeezes the whole input into its square: a face in a 1:3 picture arrives three
 * times narrower than it is and is not recognised. So the picture is centred on a grey square
 * (scaled down when huge); points come back through `(p / scale) - (dx, dy)`.
 */
async function squareForDetector(image: RgbImage): Promise<RgbImage & { scale: number; dx: number; dy: number }> {
  const { image: img, scale } = await shrinkTo(image, MAX_DETECT_SIDE);
  const s = Math.max(img.width, img.height);
  if (img.width === img.height) return { ...img, scale, dx: 0, dy: 0 };
  const ox = (s - img.width) >> 1, oy = (s - img.height) >> 1;
  const data = new Uint8Array(s * s * 3).fill(128);
  for (let y = 0; y < img.height; y++) {
    data.set(img.data.subarray(y * img.width * 3, (y + 1) * img.width * 3), ((y + oy) * s + ox) * 3);
  }
  // Offsets in source pixels, so they apply after undoing the scale.
  return { data, width: s, height: s, scale, dx: ox / scale, dy: oy / scale };
}

export function createHumanFaceDetector(): FaceDetector {
  return {
    async warmUp() {
      // A failed load is reported (and tried again) by the detect() that awaits it.
      await faceModel().catch(() => {});
    },
    async detect(image: RgbImage): Promise<FaceLandmarks[]> {
      let human: HumanInstance<FaceResult>;
      try {
        human = await faceModel();
      } catch (err) {
        throw new DhError('FACE_MODEL_FAILED', { reason: (err as Error).message }, { cause: err });
      }
      const square = await squareForDetector(image);
      const tensor = human.tf.tensor3d(square.data, [square.height, square.width, 3], 'int32');
      try {
        const result = await human.detect(tensor);
        const { scale, dx, dy } = square;
        return result.face
          .filter((f) => f.mesh.length >= 468)
          .map((f) => {
            const points = new Float32Array(f.mesh.length * 2);
            f.mesh.forEach((p, i) => { points[2 * i] = p[0] / scale - dx; points[2 * i + 1] = p[1] / scale - dy; });
            const [x, y, width, height] = f.box;
            return { points, box: { x: x / scale - dx, y: y / scale - dy, width: width / scale, height: height / scale }, score: f.score, method: 'facemesh' as const };
          });
      } finally {
        tensor.dispose();
      }
    },
  };
}
