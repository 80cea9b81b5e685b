// FaceDetector backed by @vladmandic/human (MediaPipe BlazeFace + FaceMesh + iris, weights
// shipped in the npm package) on the tfjs WebAssembly backend. Loaded lazily, once per process.
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DhError } from '../core/errors.js';
import type { FaceLandmarks, RgbImage } from '../core/types.js';
import type { FaceDetector } from '../core/ports.js';

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

interface HumanLike {
  load(): Promise<void>;
  detect(input: unknown): Promise<{ face: { score: number; box: [number, number, number, number]; mesh: [number, number, number?][] }[] }>;
  tf: {
    io: { registerLoadRouter(fn: (url: string | string[]) => unknown): void };
    tensor3d(data: Uint8Array, shape: [number, number, number], dtype: string): { dispose(): void };
  };
}

/** tfjs IOHandler that reads a graph model's JSON and weight shards from disk. */
function fileModelLoader(url: string | string[]): unknown {
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
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

let loading: Promise<HumanLike> | null = null;

async function loadHuman(): Promise<HumanLike> {
  const paths = humanModulePaths();
  const mod = require(paths.human) as { Human: new (config: object) => HumanLike };
  const human = new mod.Human({
    backend: 'wasm',
    wasmPath: paths.wasm,
    modelBasePath: `file://${paths.models}/`,
    debug: false,
    cacheSensitivity: 0,
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
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  });
  human.tf.io.registerLoadRouter(fileModelLoader);
  await human.load();
  return human;
}

export function createHumanFaceDetector(): FaceDetector {
  return {
    async detect(image: RgbImage): Promise<FaceLandmarks[]> {
      let human: HumanLike;
      try {
        loading ??= loadHuman();
        human = await loading;
      } catch (err) {
        loading = null;
        throw new DhError('FACE_MODEL_FAILED', { reason: (err as Error).message }, { cause: err });
      }
      const tensor = human.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
      try {
        const result = await human.detect(tensor);
        return result.face
          .filter((f) => f.mesh.length >= 468)
          .map((f) => {
            const points = new Float32Array(f.mesh.length * 2);
            f.mesh.forEach((p, i) => { points[2 * i] = p[0]; points[2 * i + 1] = p[1]; });
            const [x, y, width, height] = f.box;
            return { points, box: { x, y, width, height }, score: f.score };
          });
      } finally {
        tensor.dispose();
      }
    },
  };
}
