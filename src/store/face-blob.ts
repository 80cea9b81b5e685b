// Landmarks as a little-endian Float32 blob: 3.8 kB per face instead of ~15 kB of JSON. Every
// task store keeps an avatar's face this way, so a face reads back bit for bit whichever database
// holds it.
import { AVATAR_STYLES, type FaceLandmarks, type FaceMethod, type MouthStyle } from '../core/types.js';

export function facePointsBlob(face: FaceLandmarks): Buffer {
  const out = Buffer.alloc(face.points.length * 4);
  face.points.forEach((v, i) => out.writeFloatLE(v, i * 4));
  return out;
}

/** The stored columns of a face back as landmarks; null when no face was stored. */
export function faceFromColumns(points: Buffer | null, box: FaceLandmarks['box'] | null, score: number | null, method: FaceMethod | null, animal: boolean, style: string | null = null): FaceLandmarks | null {
  if (!points || !box) return null;
  const values = new Float32Array(points.length / 4);
  for (let i = 0; i < values.length; i++) values[i] = points.readFloatLE(i * 4);
  // Avatars stored before methods were recorded were all found by the face model.
  const kept = style && style !== 'auto' && (AVATAR_STYLES as readonly string[]).includes(style) ? { style: style as MouthStyle } : {};
  return { points: values, box, score: score ?? 0, method: method ?? 'facemesh', ...(animal ? { animal: true } : {}), ...kept };
}

/**
 * Every face of an avatar as one text column (JSON; each face's points as the base64 of its
 * Float32 blob, so they too read back bit for bit); null for none.
 */
export function facesText(faces: readonly FaceLandmarks[] | undefined): string | null {
  if (!faces || faces.length === 0) return null;
  return JSON.stringify(faces.map((f) => ({ box: f.box, score: f.score, method: f.method ?? 'facemesh', animal: f.animal === true, points: facePointsBlob(f).toString('base64') })));
}

/** The faces column back as landmarks; undefined when none were stored. */
export function facesFromText(text: string | null): FaceLandmarks[] | undefined {
  if (!text) return undefined;
  const stored = JSON.parse(text) as { box: FaceLandmarks['box']; score: number; method: FaceMethod; animal: boolean; points: string }[];
  return stored.map((f) => faceFromColumns(Buffer.from(f.points, 'base64'), f.box, f.score, f.method, f.animal)!);
}
