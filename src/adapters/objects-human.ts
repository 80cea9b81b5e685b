// Animals and people as boxes: CenterNet (MobileNetV3, COCO classes) from the @vladmandic/human
// package, on the same tfjs WebAssembly backend as the face model. Used by the face fallback only,
// so it loads lazily, once per process (4 MB of weights, about 0.2 s per picture).
import { createRequire } from 'node:module';
import type { Rect, RgbImage } from '../core/types.js';
import { humanModulePaths, registerFileModels } from './face-human.js';

const require = createRequire(import.meta.url);

export interface ObjectBox {
  readonly label: string;
  readonly score: number;
  readonly box: Rect;
}

interface ObjectHuman {
  load(): Promise<void>;
  detect(input: unknown): Promise<{ object: { label: string; score: number; box: [number, number, number, number] }[] }>;
  tf: {
    io: { registerLoadRouter(fn: (url: string | string[]) => unknown): void };
    tensor3d(data: Uint8Array, shape: [number, number, number], dtype: string): { dispose(): void };
  };
}

let loading: Promise<ObjectHuman> | null = null;

async function load(): Promise<ObjectHuman> {
  const paths = humanModulePaths();
  const mod = require(paths.human) as { Human: new (config: object) => ObjectHuman };
  const human = new mod.Human({
    backend: 'wasm',
    wasmPath: paths.wasm,
    modelBasePath: `file://${paths.models}/`,
    debug: false,
    cacheSensitivity: 0,
    face: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    object: { enabled: true, modelPath: 'centernet.json', minConfidence: 0.25, maxDetected: 8 },
  });
  registerFileModels(human.tf);
  await human.load();
  return human;
}

/** Boxes of the things in `image`, source pixels, best first. */
export async function findObjects(image: RgbImage): Promise<ObjectBox[]> {
  loading ??= load();
  let human: ObjectHuman;
  try {
    human = await loading;
  } catch (err) {
    loading = null;
    throw err;
  }
  const tensor = human.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
  try {
    const r = await human.detect(tensor);
    return r.object
      .map((o) => ({ label: o.label, score: o.score, box: { x: o.box[0], y: o.box[1], width: o.box[2], height: o.box[3] } }))
      .sort((a, b) => b.score - a.score);
  } finally {
    tensor.dispose();
  }
}
