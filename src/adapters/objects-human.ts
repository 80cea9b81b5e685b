// Animals and people as boxes: CenterNet (MobileNetV3, COCO classes) from the @vladmandic/human
// package, on the same tfjs WebAssembly backend as the face model. Used by the face fallback and
// to tell an animal's face from a person's; it loads lazily, once per process (4 MB of weights,
// about 0.2 s per picture).
import type { Rect, RgbImage } from '../core/types.js';
import { loadHumanWith } from './face-human.js';
import { loadOnce } from './load-once.js';

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

/** Boxes of the things in `image`, source pixels, best first. */
export async function findObjects(image: RgbImage): Promise<ObjectBox[]> {
  const human = await objectModel();
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
