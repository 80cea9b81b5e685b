// What /healthz checks: each server or store the service needs, with its backend and answer time.
// Which backend serves each port is chosen in worker/backends.ts.
import type { JobQueue, MediaStore, TaskStore } from '../store/ports.js';

/** Something the service needs to answer requests, as /healthz reports it. */
export interface Dependency {
  /** What it is for: "database", "queue", "media". */
  readonly name: string;
  /** Which implementation: "sqlite", "postgresql", ... */
  readonly backend: string;
  /** Resolves when it answers; throws when it does not. */
  check(): Promise<void>;
}

export const storeDependency = (store: TaskStore): Dependency => ({ name: 'database', backend: store.backend, check: () => store.ping() });
/** The queue answers when it can count its jobs (a round trip to Redis when it is there). */
export const queueDependency = (queue: JobQueue, backend: string): Dependency => ({ name: 'queue', backend, check: async () => { await queue.waiting(); } });
/** The media store answers when it can look a key up (a HEAD request to S3 when it is there). */
export const mediaDependency = (media: MediaStore, backend: string): Dependency => ({ name: 'media', backend, check: async () => { await media.size('healthz/probe'); } });

export interface DependencyState { readonly backend: string; readonly ok: boolean; readonly ms: number; readonly error?: string }

/** Checks every dependency at once, each within `timeoutMs`. */
export async function checkDependencies(deps: readonly Dependency[], timeoutMs = 2000): Promise<Record<string, DependencyState>> {
  const entries = await Promise.all(deps.map(async (d): Promise<[string, DependencyState]> => {
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([d.check(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs); })]);
      return [d.name, { backend: d.backend, ok: true, ms: Math.round(performance.now() - t0) }];
    } catch (err) {
      return [d.name, { backend: d.backend, ok: false, ms: Math.round(performance.now() - t0), error: (err as Error).message ?? String(err) }];
    } finally {
      clearTimeout(timer);
    }
  }));
  return Object.fromEntries(entries);
}
