// A FaceDetector for more than human faces: the face model on the whole picture first (as
// before, and all an ordinary portrait costs); only when it finds nothing plausible, heads are
// proposed by cat-face cascades and an object detector (animals, people), shown to the face model
// cropped and turned upright, and kept only if the mesh passes the plausibility check. A cat
// face the mesh will not fit still gets its five points from the cascade box; another animal's,
// from its dark eyes and nose.
import type { FaceDetector } from '../core/ports.js';
import type { FaceLandmarks, FacePoints, Rect, RgbImage } from '../core/types.js';
import { faceImplausibility, measureFace } from '../analyze/face/plausible.js';
import { headViews, pointsToSource, sampleView, type ViewSpec } from '../analyze/face/view.js';
import { catFacePoints, mouthOnNoseLine } from '../analyze/face/cat.js';
import { ANIMAL_EYES, animalFacePoints, meshMisfit } from '../analyze/face/animal-eyes.js';
import { isLineArt, thickenLines } from '../analyze/face/line-art.js';
import { quarterTurnsOf } from '../analyze/face/upright.js';
import { checkFacePoints, landmarksFromPoints } from '../analyze/face/points.js';
import { eyeCentre, LM } from '../analyze/face/landmarks.js';
import type { CatFaceBox } from './cat-cascade.js';
import type { ObjectBox } from './objects-human.js';
import { shrinkTo } from './shrink.js';

export interface FallbackOptions {
  /** Defaults load OpenCV and CenterNet on first use (cat-cascade.ts, objects-human.ts). */
  readonly findCats?: (image: RgbImage) => Promise<CatFaceBox[]>;
  readonly findObjects?: (image: RgbImage) => Promise<ObjectBox[]>;
  /** Loads the object detector ahead of findObjects (default: CenterNet's weights, objects-human.ts). */
  readonly warmUpObjects?: () => Promise<void>;
  /** Called with what the fallback tried, for measurement and logs. */
  readonly onTrace?: (event: string) => void;
}

/** COCO animals whose faces the face model may fit. */
const ANIMALS = new Set(['cat', 'dog', 'horse', 'sheep', 'cow', 'bear', 'teddy bear', 'bird', 'elephant', 'zebra', 'giraffe']);
/** Boxes below this score say nothing about what a face belongs to (the shiba's dog box: 0.52). */
const ANIMAL_MIN_SCORE = 0.3;
/** Things whose head the face model may fit: COCO animals, people and toys. */
const HEADED = new Set(['person', ...ANIMALS]);
/** Views are made at the size the face model's detector reads anyway. */
const VIEW_SIZE = 256;
/** The longest side the face model is shown a picture at when it found nothing in the picture as it is (see detect). */
const SMOOTH_SIDE = 512;
/**
 * The canvas a picture whose face fills it or is cut by its edge is shown on (detect), x the
 * picture's size: Pearl Earring cropped tight round her face, or through her brows, is found on
 * one 1.6 times as large; as she is, she is missed, or fitted with an eye squashed to 0.13.
 */
const ROOMY_CANVAS = 1.6;
/** A face whose box is this share of the picture's width or height fills it (the fixtures' largest: 0.89). */
const FILLED = 0.92;
/** A line drawing is thickened at no more than this longest side (its strokes' width is what matters, not detail). */
const LINE_ART_SIDE = 1024;
/** A picture on its side (either way) is far more common than one upside down: tried in this order. */
const WHOLE_PICTURE_TURNS = [90, -90, 180];
/** Each cat box is also tried turned a little more and less: its angle is from 12-degree steps. */
const CAT_VIEW_TURNS = [0, 8, -8];
/** A crop turned upright should give an upright mesh: a mesh turned further is laid over fur. */
const MAX_VIEW_ROLL = 20;
/** The cascades agree this often (runs of two cascades at five turns) on a real cat face; fur alone, at most twice on the fixtures. */
const MIN_CAT_HITS = 3;

const defaultFindCats = async (image: RgbImage) => (await import('./cat-cascade.js')).findCatFaces(image);
const defaultFindObjects = async (image: RgbImage) => (await import('./objects-human.js')).findObjects(image);
const defaultWarmUpObjects = async () => (await import('./objects-human.js')).warmUpObjects();

function squareAround(points: Float32Array): Rect {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    x0 = Math.min(x0, points[i]); x1 = Math.max(x1, points[i]);
    y0 = Math.min(y0, points[i + 1]); y1 = Math.max(y1, points[i + 1]);
  }
  const side = Math.max(x1 - x0, y1 - y0);
  return { x: (x0 + x1 - side) / 2, y: (y0 + y1 - side) / 2, width: side, height: side };
}

/** `f` with its points and box scaled by `k` (from a shrunk picture's pixels to the source's). */
function scaledFace(f: FaceLandmarks, k: number): FaceLandmarks {
  const { x, y, width, height } = f.box;
  return { ...f, points: Float32Array.from(f.points, (v) => v * k), box: { x: x * k, y: y * k, width: width * k, height: height * k } };
}

/**
 * `image` in the middle of a canvas `k` (at most 3) times its size, the picture mirrored out to
 * its edges; `dx`, `dy`: where its top left corner lies. Mirrored, a face cut by the picture's
 * edge goes on past it: on grey, the face model took the edge for the chin of Pearl Earring cut
 * through hers and put her mouth a quarter of the eye distance high, on the skin above her lip.
 */
function onCanvas(image: RgbImage, k: number): { image: RgbImage; dx: number; dy: number } {
  const { width: w, height: h } = image;
  const width = Math.round(w * k), height = Math.round(h * k);
  const dx = (width - w) >> 1, dy = (height - h) >> 1;
  const reflect = (t: number, n: number) => (t < 0 ? -t - 1 : t >= n ? 2 * n - t - 1 : t);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0, o = 0; y < height; y++) {
    const row = reflect(y - dy, h) * w;
    for (let x = 0; x < width; x++, o += 3) {
      const i = 3 * (row + reflect(x - dx, w));
      data[o] = image.data[i]; data[o + 1] = image.data[i + 1]; data[o + 2] = image.data[i + 2];
    }
  }
  return { image: { data, width, height }, dx, dy };
}

/** `f` found on a canvas (onCanvas) moved back into the picture it holds. */
function offCanvas(f: FaceLandmarks, dx: number, dy: number): FaceLandmarks {
  return { ...f, points: Float32Array.from(f.points, (v, i) => v - (i & 1 ? dy : dx)), box: { ...f.box, x: f.box.x - dx, y: f.box.y - dy } };
}

/** The middle between a face's eye centres. */
function eyesMiddle(f: FaceLandmarks): { x: number; y: number } {
  const [a, b] = LM.eyes.map((e) => eyeCentre(f.points, e));
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

const within = (p: { x: number; y: number }, r: Rect): boolean => p.x >= r.x && p.x <= r.x + r.width && p.y >= r.y && p.y <= r.y + r.height;

const regionOf = (v: ViewSpec): Rect => ({ x: v.center.x - v.side / 2, y: v.center.y - v.side / 2, width: v.side, height: v.side });

export function createFallbackFaceDetector(inner: FaceDetector, opts: FallbackOptions = {}): FaceDetector {
  const findCats = opts.findCats ?? defaultFindCats;
  const findObjects = opts.findObjects ?? defaultFindObjects;
  const warmUpObjects = opts.warmUpObjects ?? (opts.findObjects ? async () => {} : defaultWarmUpObjects);
  const trace = opts.onTrace ?? (() => {});

  /**
   * The face model on one view of `from` (a crop or a turn of the picture, or of it shrunk by
   * `scale`): the faces it finds upright there, in source pixels, that are plausible in `image`
   * (within `region` of it when the view is a crop). `what` names the view in the trace.
   */
  async function viewFaces(image: RgbImage, from: RgbImage, view: ViewSpec, what: string, opts: { scale: number; method: FaceLandmarks['method']; region?: Rect }): Promise<FaceLandmarks[]> {
    const faces: FaceLandmarks[] = [];
    for (const f of await inner.detect(sampleView(from, view))) {
      if (Math.abs(measureFace(f).roll) > MAX_VIEW_ROLL) { trace(`${what}: mesh turned in its upright view`); continue; }
      const points = pointsToSource(view, f.points).map((v) => v / opts.scale);
      const face: FaceLandmarks = { points, box: squareAround(points), score: f.score, method: opts.method };
      const why = faceImplausibility(face, image, opts.region);
      trace(`${what}: ${why ?? 'accepted'}`);
      if (!why) faces.push(face);
    }
    return faces;
  }

  /** Whether points laid out from a box (not by the face model) lie in the picture; traced as `what`'s when they do not. */
  function inPicture(points: FacePoints, image: RgbImage, what: string): boolean {
    try {
      checkFacePoints(points, image.width, image.height);
      return true;
    } catch {
      trace(`${what}: its points leave the picture`);
      return false;
    }
  }

  /** The first plausible face in a crop of the picture (a head proposal), or null. */
  async function tryView(image: RgbImage, view: ViewSpec): Promise<FaceLandmarks | null> {
    const what = `crop at ${Math.round(view.center.x)},${Math.round(view.center.y)} side ${Math.round(view.side)} turned ${view.angle}`;
    return (await viewFaces(image, image, view, what, { scale: 1, method: 'facemesh-crop', region: regionOf(view) }))[0] ?? null;
  }

  /**
   * The faces the model finds upright in the whole picture turned a quarter either way or upside
   * down (the first turn that shows any), in source pixels. Judged as whole-picture faces (no
   * region): the view is all of the picture, only turned. `smoothly`: the picture shrunk to
   * SMOOTH_SIDE (made once per detect, as detect's other views need it too).
   */
  async function turnedFaces(image: RgbImage, smoothly: () => ReturnType<typeof shrinkTo>): Promise<FaceLandmarks[]> {
    const { image: small, scale } = await smoothly();
    const side = Math.max(small.width, small.height);
    for (const angle of WHOLE_PICTURE_TURNS) {
      const view = { center: { x: small.width / 2, y: small.height / 2 }, side, angle, size: side };
      const faces = await viewFaces(image, small, view, `whole picture turned ${angle}`, { scale, method: 'facemesh' });
      if (faces.length > 0) return faces;
    }
    return [];
  }

  /**
   * The face model fits some animals (dogs, monkeys) well enough to be kept, and would then give
   * them human teeth: what the object detector sees around each face says which are animals.
   */
  async function markAnimals(image: RgbImage, faces: FaceLandmarks[]): Promise<FaceLandmarks[]> {
    const objects = await findObjects(image).catch((err: Error) => { trace(`object detector unavailable: ${err.message}`); return []; });
    const holds = (b: Rect, f: FaceLandmarks) => within({ x: f.box.x + f.box.width / 2, y: f.box.y + f.box.height / 2 }, b);
    return faces.map((f) => {
      const around = objects.filter((o) => o.score >= ANIMAL_MIN_SCORE && holds(o.box, f));
      const beast = around.find((o) => ANIMALS.has(o.label));
      if (!beast || around.some((o) => o.label === 'person')) return f;
      const at = `face at ${Math.round(f.box.x)},${Math.round(f.box.y)}`;
      trace(`${at}: an animal's`);
      // The face model fits an animal loosely, and a picture cut through its brow can get a mesh
      // with an eye on its nose: where its dark eyes are plain and the mesh's are not on them,
      // the points come from its eyes and nose, as for an animal the model fits no mesh to.
      const eyes = animalFacePoints(image, beast.box);
      const off = eyes ? meshMisfit(f, eyes) : 0;
      if (eyes && off > ANIMAL_EYES.meshMisfit && inPicture(eyes, image, `${beast.label} box`)) {
        trace(`${at}: its mesh's eyes are ${off.toFixed(2)} eye distances off its dark eyes: points from its eyes and nose`);
        return { ...landmarksFromPoints(eyes), method: 'animal-eyes' as const, animal: true };
      }
      return { ...f, animal: true };
    });
  }

  return {
    // Every face found is shown to the object detector (markAnimals): its model loads after the
    // face model's, while the inputs are still decoding, instead of after the face is found.
    async warmUp() {
      await inner.warmUp?.();
      await warmUpObjects().catch(() => {});
    },
    async detect(image: RgbImage): Promise<FaceLandmarks[]> {
      const plausible = (faces: FaceLandmarks[]) => faces.filter((f) => {
        const why = faceImplausibility(f, image);
        if (why) trace(`whole-picture mesh rejected: ${why}`);
        return why === null;
      }).map((f) => (f.method ? f : { ...f, method: 'facemesh' as const }));
      // The picture shrunk smoothly to SMOOTH_SIDE, made once for the views below that need it.
      let shrunk: ReturnType<typeof shrinkTo> | null = null;
      const smoothly = () => (shrunk ??= shrinkTo(image, SMOOTH_SIDE));
      const meshes = await inner.detect(image);
      const first = plausible(meshes);
      // A face on its side is found where it lies, but fitted more closely in the picture turned
      // upright (its landmarks 1 % of the eye distance from the upright photo's, against 7 %).
      const settled = async (faces: FaceLandmarks[]) => {
        const sideways = faces.length > 0 && faces.every((f) => quarterTurnsOf(f) !== 0) ? await turnedFaces(image, smoothly) : [];
        return markAnimals(image, sideways.length > 0 ? sideways : faces);
      };
      // A face filling the picture or cut by its edge (a tight crop) is missed, or fitted with a
      // squashed eye, by the face model, whose detector looks for faces with room round them: the
      // picture (shrunk as below) is shown once more in the middle of a larger canvas. When no
      // mesh was found or one ran past the picture's edge, before the other views; else after the
      // picture is tried turned, since an upside-down face on the canvas can get an upright mesh.
      const onRoomyCanvas = async () => {
        const { image: small, scale } = await smoothly();
        const canvas = onCanvas(small, ROOMY_CANVAS);
        const roomy = plausible((await inner.detect(canvas.image)).map((f) => scaledFace(offCanvas(f, canvas.dx, canvas.dy), 1 / scale)));
        trace(`picture on a ${canvas.image.width}x${canvas.image.height} canvas: ${roomy.length} face(s)`);
        return roomy;
      };
      if (first.length > 0) {
        // A face filling the picture (a headshot cropped close) is found as it is, but the face
        // model, which looks for faces with room round them, fits it better on the roomy canvas:
        // Mona Lisa cropped tight had her mouth 0.20 of the eye distance off (0.05 there),
        // Einstein cropped tight his 0.39 (0.29). Kept where it is the same face: its eyes' middle
        // inside the box of the face found as it is.
        const main = first.reduce((a, b) => (b.box.width * b.box.height > a.box.width * a.box.height ? b : a));
        if (Math.max(main.box.width / image.width, main.box.height / image.height) >= FILLED) {
          const better = (await onRoomyCanvas()).find((f) => within(eyesMiddle(f), main.box));
          if (better) return settled([better, ...first.filter((f) => f !== main)]);
        }
        return settled(first);
      }
      // The face model squeezes the picture to 256 px without smoothing it first: a large picture
      // reaches it aliased, and a face it only just finds (the shiba, at 512 px) was lost at 2048
      // and 4096 px. It is shown the picture shrunk smoothly once more before any proposal.
      if (Math.max(image.width, image.height) > SMOOTH_SIDE) {
        const { image: small, scale } = await smoothly();
        const again = plausible((await inner.detect(small)).map((f) => scaledFace(f, 1 / scale)));
        trace(`whole picture shrunk to ${small.width}x${small.height}: ${again.length} face(s)`);
        if (again.length > 0) return markAnimals(image, again);
      }
      const cut = meshes.length === 0 || meshes.some((f) => f.box.x < 0 || f.box.y < 0 || f.box.x + f.box.width > image.width || f.box.y + f.box.height > image.height);
      if (cut) {
        const roomy = await onRoomyCanvas();
        if (roomy.length > 0) return settled(roomy);
      }
      // A line drawing: shown with its strokes thickened (analyze/face/line-art.ts).
      const { image: lines, scale: lineScale } = await shrinkTo(image, LINE_ART_SIDE);
      if (isLineArt(lines)) {
        const drawn = plausible((await inner.detect(thickenLines(lines))).map((f) => scaledFace(f, 1 / lineScale)));
        trace(`line drawing, strokes thickened: ${drawn.length} face(s)`);
        if (drawn.length > 0) return markAnimals(image, drawn);
      }

      // A picture stored on its side or upside down (its EXIF orientation lost on the way): the
      // face model finds upright faces only, and the head proposals below would fit a false one
      // (an upside-down chin read as a brow). The whole picture is shown to it turned.
      const turned = await turnedFaces(image, smoothly);
      if (turned.length > 0) return markAnimals(image, turned);
      if (!cut) {
        const roomy = await onRoomyCanvas();
        if (roomy.length > 0) return settled(roomy);
      }

      // Proposals that fail to load (opencv-data missing, say) leave the others to try: the
      // fallback can only add faces, and no face found is already a clear answer (1105).
      const cats = await findCats(image).catch((err: Error) => { trace(`cat cascades unavailable: ${err.message}`); return []; });
      for (const cat of cats.slice(0, 2)) {
        for (const turn of CAT_VIEW_TURNS) {
          const face = await tryView(image, { center: cat.center, side: 1.6 * cat.side, angle: cat.angle + turn, size: VIEW_SIZE });
          if (face) return [face];
        }
      }
      const objects = await findObjects(image).catch((err: Error) => { trace(`object detector unavailable: ${err.message}`); return []; });
      for (const o of objects.filter((b) => HEADED.has(b.label)).slice(0, 3)) {
        for (const view of headViews(o.box, VIEW_SIZE)) {
          const face = await tryView(image, view);
          if (face) return [face];
        }
      }
      // An animal the face model fits no mesh to (a dog's face filling the picture): its points
      // from its dark eyes and nose.
      for (const o of objects.filter((b) => ANIMALS.has(b.label) && b.score >= ANIMAL_MIN_SCORE).slice(0, 3)) {
        const points = animalFacePoints(image, o.box);
        if (!points) { trace(`${o.label} box: no eyes and nose`); continue; }
        if (!inPicture(points, image, `${o.label} box`)) continue;
        trace(`${o.label} box at ${Math.round(o.box.x)},${Math.round(o.box.y)}: points from its eyes and nose`);
        return [{ ...landmarksFromPoints(points), method: 'animal-eyes', animal: true }];
      }
      const cat = cats.find((c) => c.hits >= MIN_CAT_HITS);
      if (cat) {
        const points = mouthOnNoseLine(catFacePoints(cat), image);
        if (!inPicture(points, image, 'cat box')) return [];
        trace(`cat box at ${Math.round(cat.center.x)},${Math.round(cat.center.y)} side ${Math.round(cat.side)}: points`);
        return [{ ...landmarksFromPoints(points), method: 'cat-cascade' }];
      }
      // An animal's face filling the picture that the object detector names as something else
      // (the shiba cut tight round its eyes and muzzle is a bed to it): the whole picture's dark
      // eyes and nose, unless a person is in it (a face the model cannot fit is marked by hand).
      if (!objects.some((o) => o.label === 'person' && o.score >= ANIMAL_MIN_SCORE)) {
        const points = animalFacePoints(image, { x: 0, y: 0, width: image.width, height: image.height });
        if (points && inPicture(points, image, 'whole picture')) {
          trace('whole picture: points from its eyes and nose');
          return [{ ...landmarksFromPoints(points), method: 'animal-eyes', animal: true }];
        }
      }
      return [];
    },
  };
}
