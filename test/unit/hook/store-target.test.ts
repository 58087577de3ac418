import { describeTarget, maskPassword, storeTarget } from '../../../scripts/hook/store/open-store';
import { PassLeases } from '../../../scripts/hook/pass-lease';
import { isDiskError } from '../../../scripts/hook/store/guarded-store';

describe('which store the hook opens', () => {
  it('takes --db, else NESTKIT_DATABASE_URL, else the default SQLite file', () => {
    const env = { NESTKIT_DATABASE_URL: 'postgres://hook:pw@db:5432/nestkit' };
    expect(storeTarget('./x.db', env)).toEqual({ engine: 'sqlite', file: './x.db' });
    expect(storeTarget(undefined, env)).toEqual({ engine: 'postgres', url: env.NESTKIT_DATABASE_URL });
    expect(storeTarget('postgresql://h/db', {})).toEqual({ engine: 'postgres', url: 'postgresql://h/db' });
    expect(storeTarget(undefined, {})).toEqual({ engine: 'sqlite', file: './data/nestkit.db' });
  });

  it('never shows the password of a URL', () => {
    expect(maskPassword('postgres://hook:s3cr%40t@db.internal:5432/nestkit?sslmode=require')).toBe(
      'postgres://hook:***@db.internal:5432/nestkit?sslmode=require',
    );
    expect(maskPassword('postgres://hook@db/nestkit')).toBe('postgres://hook@db/nestkit');
    expect(maskPassword('postgres://:only-password@db/x')).toBe('postgres://:***@db/x');
    expect(describeTarget({ engine: 'postgres', url: 'postgres://u:p w@h/d' })).not.toContain('p w');
  });
});

describe('pass leases', () => {
  /** The lease table as the stores keep it (their SQL is tested on both engines in store-replicas). */
  function leaseTable() {
    const rows = new Map<string, { owner: string; until: number }>();
    return {
      rows,
      async tryLeasePass(name: string, owner: string, now: number, ttl: number) {
        const row = rows.get(name);
        if (row && row.until > now && row.owner !== owner) return false;
        rows.set(name, { owner, until: now + ttl });
        return true;
      },
      async releasePass(name: string, owner: string, until?: number) {
        const row = rows.get(name);
        if (row?.owner !== owner) return;
        if (until === undefined) rows.delete(name);
        else row.until = until;
      },
    };
  }

  it('skips a pass another replica holds, and keeps a finished one until its period ends', async () => {
    const table = leaseTable();
    let t = 1_000_000;
    const a = new PassLeases(table, 'a', () => t);
    const b = new PassLeases(table, 'b', () => t);
    let runs = 0;
    const pass = async () => {
      runs++;
      // While a runs, b's timer fires: b skips.
      expect(await b.run('teardown', 60_000, async () => 'b ran')).toBeUndefined();
      return 'a ran';
    };
    expect(await a.run('teardown', 60_000, pass)).toBe('a ran');
    t += 59_999;
    expect(await b.run('teardown', 60_000, async () => 'b ran')).toBeUndefined();
    t += 1;
    expect(await b.run('teardown', 60_000, async () => 'b ran')).toBe('b ran');
    expect(runs).toBe(1);
  });

  it('renews the lease while a long pass runs, so another replica never takes it meanwhile', async () => {
    jest.useFakeTimers();
    try {
      const table = leaseTable();
      let t = 0;
      const a = new PassLeases(table, 'a', () => t, 1000);
      let finish: () => void = () => undefined;
      const running = a.run('reconcile', 1000, () => new Promise<void>((resolve) => (finish = resolve)));
      await Promise.resolve();
      for (let i = 0; i < 10; i++) {
        t += 30_000; // the hook's clock: far past one lease of 60 s in all
        await jest.advanceTimersByTimeAsync(1000);
      }
      expect(await table.tryLeasePass('reconcile', 'b', t, 60_000)).toBe(false);
      finish();
      await running;
    } finally {
      jest.useRealTimers();
    }
  });

  it('gives the lease back (until the period) when the pass throws', async () => {
    const table = leaseTable();
    const a = new PassLeases(table, 'a', () => 0);
    await expect(a.run('reconcile', 1000, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(table.rows.get('reconcile')).toEqual({ owner: 'a', until: 1000 });
  });
});

describe('isDiskError on PostgreSQL', () => {
  const pg = (code: string | undefined, message = 'x') => Object.assign(new Error(message), { code });
  it('knows an unreachable, full, read-only or shutting-down database', () => {
    for (const code of ['ECONNREFUSED', '57P01', '53100', '25006', '08006', '57014', '40001'])
      expect(isDiskError(pg(code))).toBe(true);
    expect(isDiskError(pg(undefined, 'timeout exceeded when trying to connect'))).toBe(true);
    expect(isDiskError(pg(undefined, 'Connection terminated unexpectedly'))).toBe(true);
  });
  it('is not fooled by a request the database refuses', () => {
    for (const code of ['23505', '42P01', '22P02']) expect(isDiskError(pg(code))).toBe(false);
    expect(isDiskError(pg(undefined, 'something else'))).toBe(false);
  });
});
