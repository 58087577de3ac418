import { PgStore } from './pg-store';
import { DEFAULT_DB, SqliteStore } from './sqlite-store';
import type { HookStore } from './store';

/** Where the hook keeps its state: an SQLite file (the embedded default) or a PostgreSQL URL. */
export type StoreTarget = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** `--db` when given, else NESTKIT_DATABASE_URL, else the default SQLite file. */
export function storeTarget(db: string | undefined, env: NodeJS.ProcessEnv = process.env): StoreTarget {
  const value = db || env.NESTKIT_DATABASE_URL || DEFAULT_DB;
  return POSTGRES_URL.test(value) ? { engine: 'postgres', url: value } : { engine: 'sqlite', file: value };
}

/**
 * The URL with its password replaced by `***`, for logs. A regular expression rather than `URL`, so a
 * URL that does not parse is masked too.
 */
export function maskPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}

/** What to log of a target: the file, or the URL without its password. */
export function describeTarget(target: StoreTarget): string {
  return target.engine === 'sqlite' ? target.file : maskPassword(target.url);
}

export interface OpenStoreOptions {
  /** An idle PostgreSQL connection failed (logged; the pool reconnects on the next call). */
  onIdleError?: (error: Error) => void;
}

export async function openStore(target: StoreTarget, options: OpenStoreOptions = {}): Promise<HookStore> {
  if (target.engine === 'sqlite') return new SqliteStore(target.file);
  try {
    return await PgStore.open(target.url, { onIdleError: options.onIdleError });
  } catch (error) {
    // pg's messages name the host and user, never the password; the URL is added masked.
    const message = `cannot open the PostgreSQL store at ${maskPassword(target.url)}: ${(error as Error).message}`;
    throw Object.assign(new Error(message), { code: (error as { code?: string }).code });
  }
}
