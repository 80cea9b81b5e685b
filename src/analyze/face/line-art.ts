// A drawing of thin dark lines on a light ground (a pencil sketch, line art, a colouring page):
// BlazeFace, trained on shaded faces, finds no face in strokes a pixel or two wide. Thickened (a
// minimum filter spreads every stroke over its neighbours) and softened, the same drawing reads
// as a face to it, with the features where they are. Pure.
import type { RgbImage } from '../../core/types.js';

export const LINE_ART = Object.freeze({
  /** Luma above which a pixel is ground, and the share of the picture the ground must cover. */
  groundLuma: 190, groundShare: 0.6,
  /** Luma below which a pixel is ink, and the most of the picture ink may cover (a photo has more dark). */
  inkLuma: 110, maxInkShare: 0.2,
  /**
   * The most of the picture between ink and ground: a drawing's strokes and their edges (the
   * edge-traced fixture portraits: 0.02). A photo of white fur or a pale wall is shaded in
   * mid-tones: the white cat cropped through its brows, 0.63 ground and 0.07 dark, has 0.30 (taken
   * for a drawing, its thickened fur gave a mesh with an eye on its cheek).
   */
  maxMidShare: 0.2,
  /**
   * Radius of the thickening, pixels per 1000 of the picture's longer side (at least 1), and of the
   * box blur run twice after it. Edge-traced and pencil-sketch versions of eight fixture portraits:
   * faces found 7 of 16 before, 15 with these (14-15 with radius 1-3 and blurs of 1-3).
   */
  thickenPerMille: 2, softenRadius: 2,
});

const luma = (d: Uint8Array, o: number): number => 0.299 * d[o] + 0.587 * d[o + 1] + 0.114 * d[o + 2];

/** Whether `image` is mostly light ground with a little dark ink and few tones between: a line drawing. */
export function isLineArt(image: RgbImage): boolean {
  const n = image.width * image.height;
  let ground = 0, ink = 0;
  for (let i = 0; i < n; i++) {
    const l = luma(image.data, 3 * i);
    if (l >= LINE_ART.groundLuma) ground++;
    else if (l < LINE_ART.inkLuma) ink++;
  }
  return ground >= LINE_ART.groundShare * n && ink > 0 && ink <= LINE_ART.maxInkShare * n && n - ground - ink <= LINE_ART.maxMidShare * n;
}

/** Per channel, the minimum over a (2r+1) square (separable), then a box blur twice: the strokes thickened and softened. */
export function thickenLines(image: RgbImage): RgbImage {
  const { width: w, height: h } = image;
  const r = Math.max(1, Math.round((LINE_ART.thickenPerMille * Math.max(w, h)) / 1000));
  const pass = (src: Uint8Array, horizontal: boolean, op: 'min' | 'box', radius: number): Uint8Array => {
    const out = new Uint8Array(src.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < 3; c++) {
          let acc = op === 'min' ? 255 : 0, k = 0;
          for (let d = -radius; d <= radius; d++) {
            const xx = horizontal ? Math.min(w - 1, Math.max(0, x + d)) : x, yy = horizontal ? y : Math.min(h - 1, Math.max(0, y + d));
            const v = src[(yy * w + xx) * 3 + c];
            if (op === 'min') { if (v < acc) acc = v; } else { acc += v; k++; }
          }
          out[(y * w + x) * 3 + c] = op === 'min' ? acc : Math.round(acc / k);
        }
      }
    }
    return out;
  };
  let d = pass(pass(image.data, true, 'min', r), false, 'min', r);
  for (let i = 0; i < 2; i++) d = pass(pass(d, true, 'box', LINE_ART.softenRadius), false, 'box', LINE_ART.softenRadius);
  return { data: d, width: w, height: h };
}
