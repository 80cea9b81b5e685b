// The storage period: results and inputs are deleted when it ends. File records stay behind
// as tombstones (so downloads answer 410, not 404) and tasks turn "expired".
import type { MediaStore, TaskStore } from '../store/ports.js';

export interface SweepResult { readonly files: number; readonly tasks: number }

export async function sweepExpired(store: TaskStore, media: MediaStore, now: number): Promise<SweepResult> {
  const files = await store.expireFiles(now);
  for (const f of files) await media.remove(f.key);
  const tasks = await store.expireTasks(now);
  return { files: files.length, tasks: tasks.length };
}

/** Sweeps now and then every `intervalMs`; returns a stop function. */
export function scheduleRetention(sweep: () => Promise<unknown>, intervalMs: number, log: (line: string) => void): () => void {
  const run = () => { sweep().catch((err: Error) => log(`retention sweep failed: ${err.message}`)); };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
