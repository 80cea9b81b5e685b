// The task store the configuration asks for: the embedded SQLite when DH_DATABASE_URL is unset,
// PostgreSQL when it is set. A database that cannot be reached or refuses the login stops the
// start with an error naming the setting, not the first task; `pg` loads only when configured.
import path from 'node:path';
import type { Config } from '../core/config.js';
import { DhError } from '../core/errors.js';
import { openSqliteTaskStore } from './sqlite-task-store.js';
import type { TaskStore } from './ports.js';

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
    throw new DhError('BACKEND_UNAVAILABLE', {
      setting: 'DH_DATABASE_URL', problem: `PostgreSQL at ${redactUrl(config.databaseUrl)}: ${pgReason(err)}`,
      fix: 'check that the server is running and reachable from here and that the credentials in DH_DATABASE_URL are right, or unset DH_DATABASE_URL to use the embedded SQLite',
    }, { cause: err });
  }
}

