// The native addon (native/render, built by scripts/setup.mjs): the renderer's per-pixel loops
// (render/kernels.ts) and the speech features' per-sample filters (analyze/audio/dsp.ts), each
// giving the bytes its TypeScript twin gives. Every stage that has one falls back to TypeScript
// where the addon is not built.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ADDON_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'native', 'render', 'build', 'Release');
/** The addon built for any CPU of its architecture. */
export const RENDER_ADDON = path.join(ADDON_DIR, 'render_addon.node');
/** The same source built for x86-64-v3 (binding.gyp), loaded where the CPU has it: about 5 % less time per frame, the same bytes. */
export const RENDER_ADDON_V3 = path.join(ADDON_DIR, 'render_addon_v3.node');

let loaded: unknown;

/**
 * The baseline build, or the x86-64-v3 one where this CPU runs it and it was built (the
 * baseline build says which: a tree built on one machine may be copied to an older one);
 * null where the addon is not built. Loaded once per thread.
 */
export function nativeAddon<T>(): T | null {
  if (loaded !== undefined) return loaded as T | null;
  const load = createRequire(import.meta.url);
  try {
    const addon = load(RENDER_ADDON) as { x86V3(): boolean };
    loaded = addon;
    if (addon.x86V3()) loaded = load(RENDER_ADDON_V3);
  } catch {
    loaded ??= null;
  }
  return loaded as T | null;
}
