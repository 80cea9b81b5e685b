// Remembers face analysis per image content, so rendering the same portrait again (a second
// task, a retry, a different speech clip) skips the face model. The task service additionally
// stores analyses as avatars across restarts.
import { createHash } from 'node:crypto';
import type { FaceDetector } from '../core/ports.js';
import type { FaceLandmarks } from '../core/types.js';

export function cachedFaceDetector(inner: FaceDetector, capacity = 32): FaceDetector {
  const cache = new Map<string, FaceLandmarks[]>();
  return {
    warmUp: async () => { await inner.warmUp?.(); },
    async detect(image) {
      const key = createHash('sha1').update(image.data).update(`${image.width}x${image.height}`).digest('hex');
      const hit = cache.get(key);
      if (hit) {
        // Re-insert to keep the map in least-recently-used order.
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      const faces = await inner.detect(image);
      cache.set(key, faces);
      if (cache.size > capacity) cache.delete(cache.keys().next().value!);
      return faces;
    },
  };
}
