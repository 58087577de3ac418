import { runInNewContext } from 'node:vm';
import { isDiskError } from '../../../scripts/hook/store/guarded-store';

/** An error as another realm makes it: what better-sqlite3's shared native addon may throw under jest. */
const foreign = (code: string) =>
  runInNewContext(
    `const e = new Error('attempt to write a readonly database'); e.code = ${JSON.stringify(code)}; e`,
  ) as unknown;

describe('isDiskError', () => {
  it('knows a disk error by its SQLite code, whichever realm made it', () => {
    expect(foreign('SQLITE_READONLY') instanceof Error).toBe(false); // the premise
    expect(isDiskError(foreign('SQLITE_READONLY'))).toBe(true);
    expect(isDiskError(foreign('SQLITE_FULL'))).toBe(true);
    expect(isDiskError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(true);
  });

  it('is not fooled by other errors', () => {
    expect(isDiskError(foreign('SQLITE_CONSTRAINT_PRIMARYKEY'))).toBe(false);
    expect(isDiskError(new Error('SQLITE_FULL'))).toBe(false);
    expect(isDiskError('SQLITE_FULL')).toBe(false);
    expect(isDiskError(undefined)).toBe(false);
  });
});
