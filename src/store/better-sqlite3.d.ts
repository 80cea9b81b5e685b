// The slice of better-sqlite3's API this project uses. Declared here rather than adding
// @types/better-sqlite3, to keep package.json (shared by several work streams) unchanged.
declare module 'better-sqlite3' {
  interface RunResult { changes: number; lastInsertRowid: number | bigint }
  interface Statement {
    run(...params: unknown[]): RunResult;
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
  }
  interface Database {
    prepare(sql: string): Statement;
    exec(sql: string): this;
    pragma(source: string): unknown;
    /** The wrapper runs fn in BEGIN (DEFERRED); `.immediate` runs it in BEGIN IMMEDIATE. */
    transaction<A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) & { immediate: (...args: A) => R };
    close(): void;
  }
  const Database: new (file: string) => Database;
  export default Database;
}
