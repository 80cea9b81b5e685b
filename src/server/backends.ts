// Which implementation backs each infrastructure port, chosen by configuration: the embedded
// default when a setting is unset, the scale-out server when it is set. A configured server that
// cannot be reached or refuses the login stops the start with an error naming the setting, not
// the first task. Scale-out adapters load lazily, so the embedded service never loads `pg`.
import path from 'node:path';
import type { Config } from '../core/config.js';
import { DhError } from '../core/errors.js';
import { openSqliteTaskStore } from '../store/sqlite-task-store.js';
import type { TaskStore } from '../store/ports.js';

/** Something the service needs to answer requests, as /healthz reports it. */
export interface Dependency {
  /** What it is for: "database", "queue", "media". */
  readonly name: string;
  /** Which implementation: "sqlite", "postgresql", ... */
  readonly backend: string;
  /** Resolves when it answers; throws when it does not. */
  check(): Promise<void>;
}

/** A server URL with its password masked, for messages and logs. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** node-postgres' and the socket's errors as a reason a reader can act on. */
function pgReason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED': return 'connection refused (is PostgreSQL running and listening on that host and port?)';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'the host name does not resolve';
    case 'ETIMEDOUT': return 'the connection timed out';
    case '28P01': return 'password authentication failed (wrong user or password)';
    case '28000': return 'the server refused the login (no pg_hba.conf entry for this user, host or database)';
    case '3D000': return `${e.message} (create it, or name an existing database in the URL)`;
    case '42501': return `${e.message} (the user may not create the task tables: grant it CREATE on the database)`;
    default: return e.message ?? String(err);
  }
}

/** The task store the configuration asks for, migrated and reachable. */
export async function openTaskStore(config: Config): Promise<TaskStore> {
  if (!config.databaseUrl) return openSqliteTaskStore(path.join(config.dataDir, 'tasks.db'));
  const { openPgTaskStore } = await import('../adapters/pg-task-store.js');
  try {
    return await openPgTaskStore(config.databaseUrl);
  } catch (err) {
    throw new DhError('BACKEND_UNAVAILABLE', { setting: 'DH_DATABASE_URL', target: redactUrl(config.databaseUrl), reason: pgReason(err) }, { cause: err });
  }
}

export const storeDependency = (store: TaskStore): Dependency => ({ name: 'database', backend: store.backend, check: () => store.ping() });

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
