// Animals and people as boxes: CenterNet (MobileNetV3, COCO classes) from the @vladmandic/human
// package, on the same tfjs WebAssembly backend as the face model. Used by the face fallback and
// to tell an animal's face from a person's; it loads lazily, once per process (4 MB of weights,
// about 0.2 s per picture).
import type { Rect, RgbImage } from '../core/types.js';
import { loadHumanWith } from './face-human.js';
import { loadOnce } from './load-once.js';
import { shrinkTo } from './shrink.js';

export interface ObjectBox {
  readonly label: string;
  readonly score: number;
  readonly box: Rect;
}

type ObjectResult = { object: { label: string; score: number; box: [number, number, number, number] }[] };

const objectModel = loadOnce(() => loadHumanWith<ObjectResult>({ object: { enabled: true, modelPath: 'centernet.json', minConfidence: 0.25, maxDetected: 8 } }));

/** Loads the model ahead of findObjects; a failure surfaces there. */
export async function warmUpObjects(): Promise<void> {
  await objectModel().catch(() => {});
}

/**
 * CenterNet reads a 512 px square: a larger picture is shrunk to this longest side first (as the
 * face model's, face-human.ts), not handed to the WebAssembly heap whole (see shrink.ts).
 */
const MAX_OBJECTS_SIDE = 2048;

/** Boxes of the things in `image`, source pixels, best first. */
export async function findObjects(image: RgbImage): Promise<ObjectBox[]> {
  const human = await objectModel();
  const { image: small, scale } = await shrinkTo(image, MAX_OBJECTS_SIDE);
  const tensor = human.tf.tensor3d(small.data, [small.height, small.width, 3], 'int32');
  try {
    const r = await human.detect(tensor);
    return r.object
      .map((o) => ({ label: o.label, score: o.score, box: { x: o.box[0] / scale, y: o.box[1] / scale, width: o.box[2] / scale, height: o.box[3] / scale } }))
      .sort((a, b) => b.score - a.score);
  } finally {
    tensor.dispose();
  }
}
