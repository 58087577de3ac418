import type { HookLogger } from '../logger';
import type { HookStore } from './store';

/** The database cannot commit now (disk full, read-only, locked, I/O error, unreachable): answered 503, retried. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(readonly reason: string) {
    super(`the database cannot commit now: ${reason}`);
  }
}

/** SQLite result codes that mean the disk, not the request: they pass when the disk does. */
const DISK_CODES = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|PROTOCOL|NOMEM)/;
/**
 * PostgreSQL SQLSTATEs and socket errors that mean the database or the way to it, not the request:
 * connection exceptions (08), insufficient resources (53: disk full, too many connections), operator
 * intervention (57: shutdown, statement timeout 57014), read-only (25006), serialization failure and
 * deadlock (40001, 40P01), lock not available (55P03).
 */
const PG_UNAVAILABLE =
  /^(08[0-9A-Z]{3}|53[0-9A-Z]{3}|57[0-9A-Z]{3}|25006|40001|40P01|55P03|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN)$/;
/** pg's own errors without a code: a pool that cannot connect in time, a connection cut. */
const PG_UNAVAILABLE_MESSAGES = /^(timeout exceeded when trying to connect|Connection terminated)/;

/**
 * Not `instanceof Error`: better-sqlite3's native addon keeps the SqliteError class of whichever copy of
 * the library set it last, so where module registries are several (jest's, one per test file) its errors
 * may come from another realm. The shape is what counts.
 */
export function isDiskError(error: unknown): error is Error & { code: string } {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return false;
  if (code === undefined && PG_UNAVAILABLE_MESSAGES.test(message)) {
    (error as { code?: string }).code = 'PG_CONNECTION';
    return true;
  }
  return typeof code === 'string' && (DISK_CODES.test(code) || PG_UNAVAILABLE.test(code));
}

/** Methods that write: their success shows the disk commits again. */
const WRITES = new Set<keyof HookStore>([
  'applyEvent',
  'applyEvents',
  'leaseJobs',
  'completeJob',
  'retryJob',
  'deadJob',
  'redriveJob',
  'releaseLeases',
  'rememberSso',
  'probe',
  'tryLeasePass',
  'releasePass',
  'claimLicense',
  'releaseLicense',
]);

/**
 * Whether the database commits. A disk error flips it off (logged once, with its cause); a successful
 * write or probe flips it back on (logged once). `/readyz` answers from it.
 */
export class StoreHealth {
  private cause: string | undefined;
  constructor(
    private readonly log: HookLogger,
    private readonly onChange: (writable: boolean) => void = () => undefined,
  ) {}

  get writable(): boolean {
    return this.cause === undefined;
  }
  get problem(): string | undefined {
    return this.cause;
  }

  failed(error: Error & { code: string }): void {
    if (this.cause !== undefined) return;
    this.cause = `${error.code}: ${error.message}`;
    this.log.error(
      { error: this.cause },
      'the database cannot commit; answering 503 and not ready until it can',
    );
    this.onChange(false);
  }

  ok(): void {
    if (this.cause === undefined) return;
    this.log.info({ was: this.cause }, 'the database commits again; carrying on');
    this.cause = undefined;
    this.onChange(true);
  }
}

/**
 * The store behind a health check: a disk error of any method becomes a StoreUnavailableError (the
 * server answers 503) and marks the health; a write that succeeds clears it.
 */
export function guardStore<S extends HookStore>(store: S, health: StoreHealth): S {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || property === 'close') return value;
      const name = property as keyof HookStore;
      return async (...args: unknown[]) => {
        try {
          const result = (await (value as (...a: unknown[]) => unknown).apply(target, args)) as unknown;
          if (WRITES.has(name)) health.ok();
          return result;
        } catch (error) {
          if (!isDiskError(error)) throw error;
          health.failed(error);
          throw new StoreUnavailableError(`${error.code}: ${error.message}`);
        }
      };
    },
  });
}
