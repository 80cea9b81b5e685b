// Cat faces by OpenCV's Haar cascades (haarcascade_frontalcatface*.xml, Debian's opencv-data)
// run in OpenCV compiled to WebAssembly (@techstark/opencv-js, no native build). Only the face
// fallback uses it, so it loads lazily, once per process (about 0.2 s, 30 MB).
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Point, RgbImage } from '../core/types.js';
import { sampleView, viewToSource, type ViewSpec } from '../analyze/face/view.js';
import { loadOnce } from './load-once.js';

const require = createRequire(import.meta.url);

export const CASCADE_DIR = process.env.DH_HAAR_DIR ?? '/usr/share/opencv4/haarcascades';
const CASCADES = ['haarcascade_frontalcatface.xml', 'haarcascade_frontalcatface_extended.xml'];

/** A cat face found by the cascades: an upright square once the picture is turned by `angle`. */
export interface CatFaceBox {
  readonly center: Point;
  readonly side: number;
  /** Degrees clockwise the picture was turned for the face to be found upright (see ViewSpec). */
  readonly angle: number;
  /** How many (cascade, turn) runs found it: one alone is mostly fur, wallpaper or a human. */
  readonly hits: number;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- opencv.js ships no usable types for this build */

async function loadCascades(): Promise<{ cv: any; classifiers: any[] }> {
  let cv: any = require('@techstark/opencv-js');
  if (cv instanceof Promise) cv = await cv;
  else if (!cv.Mat) await new Promise<void>((resolve) => { cv.onRuntimeInitialized = resolve; });
  const classifiers = [];
  for (const name of CASCADES) {
    const xml = await fs.readFile(path.join(CASCADE_DIR, name));
    // opencv.js reads cascades only from its in-memory file system.
    try { cv.FS_unlink(`/${name}`); } catch { /* not there yet */ }
    cv.FS_createDataFile('/', name, xml, true, false, false);
    const c = new cv.CascadeClassifier();
    if (!c.load(name)) throw new Error(`OpenCV could not read ${name}`);
    classifiers.push(c);
  }
  return { cv, classifiers };
}
const cascades = loadOnce(loadCascades);

/** The cascades were trained on upright faces 24 px and up; a 480 px picture fits a portrait's head. */
const WORK_SIDE = 480;
/** Turns tried: the cascades miss cat heads tilted by more than about 10 degrees. */
export const CAT_ANGLES = [0, 12, -12, 24, -24];
/**
 * Faces under 40 px of the 480 px picture are too small to animate; a coarse scale step (10 %)
 * keeps the ten runs near a second (5 % doubles the time and finds nothing more on the fixtures).
 */
const MIN_FACE = 40;
const SCALE_STEP = 1.1;

function grey(view: RgbImage): Uint8Array {
  const g = new Uint8Array(view.width * view.height);
  for (let i = 0; i < g.length; i++) g[i] = (view.data[3 * i] * 77 + view.data[3 * i + 1] * 150 + view.data[3 * i + 2] * 29) >> 8;
  return g;
}

/** Cat faces in `image`, most often found first. Throws when OpenCV or the cascades are missing. */
export async function findCatFaces(image: RgbImage, angles: readonly number[] = CAT_ANGLES): Promise<CatFaceBox[]> {
  const { cv, classifiers } = await cascades();
  const diagonal = Math.hypot(image.width, image.height);
  const found: { center: Point; side: number; angle: number }[] = [];
  for (const angle of angles) {
    // The whole picture turned about its centre, in a square large enough for any turn.
    const size = Math.round((diagonal * WORK_SIDE) / Math.max(image.width, image.height));
    const spec: ViewSpec = { center: { x: image.width / 2, y: image.height / 2 }, side: diagonal, angle, size };
    const mat = cv.matFromArray(size, size, cv.CV_8UC1, grey(sampleView(image, spec)));
    try {
      for (const c of classifiers) {
        const rects = new cv.RectVector();
        try {
          c.detectMultiScale(mat, rects, SCALE_STEP, 3, 0, new cv.Size(MIN_FACE, MIN_FACE), new cv.Size(0, 0));
          for (let i = 0; i < rects.size(); i++) {
            const r = rects.get(i);
            const center = viewToSource(spec, { x: r.x + r.width / 2, y: r.y + r.height / 2 });
            found.push({ center, side: (r.width * diagonal) / size, angle });
          }
        } finally {
          rects.delete();
        }
      }
    } finally {
      mat.delete();
    }
  }
  return groupBoxes(found);
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Boxes from different runs that are the same face (centres within a third of a side) merge. */
export function groupBoxes(found: readonly { center: Point; side: number; angle: number }[]): CatFaceBox[] {
  const groups: { center: Point; side: number; angle: number }[][] = [];
  for (const b of found) {
    const g = groups.find((m) => Math.hypot(m[0].center.x - b.center.x, m[0].center.y - b.center.y) < m[0].side / 3 && b.side < 1.6 * m[0].side && m[0].side < 1.6 * b.side);
    if (g) g.push(b); else groups.push([b]);
  }
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  return groups
    .map((g) => ({
      center: { x: mean(g.map((b) => b.center.x)), y: mean(g.map((b) => b.center.y)) },
      side: mean(g.map((b) => b.side)),
      angle: mean(g.map((b) => b.angle)),
      hits: g.length,
    }))
    .sort((a, b) => b.hits - a.hits || b.side - a.side);
}
