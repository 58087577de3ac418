import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendPass,
  describeTeardown,
  guardHoldOf,
  KEEP_PER_PASS,
  mergePasses,
  parsePassList,
  PassLog,
  passSettingKey,
  replicaLabel,
  type PassEntry,
} from '../../../scripts/console/pass-log';
import { SqliteStore } from '../../../scripts/hook/store/sqlite-store';

const entry = (over: Partial<PassEntry> = {}): PassEntry => ({
  name: 'teardown',
  at: '2026-01-01T00:00:00.000Z',
  replica: 'host:1:aaaaaaaa',
  outcome: 'done',
  summary: '0 due, 0 teardowns started',
  ...over,
});

describe('the pass list (pure)', () => {
  it('keeps the newest KEEP_PER_PASS entries of a pass, newest first', () => {
    let list: PassEntry[] = [];
    for (let i = 0; i < KEEP_PER_PASS + 3; i++) list = appendPass(list, entry({ summary: `#${i}` }));
    expect(list.map((e) => e.summary)).toEqual(
      Array.from({ length: KEEP_PER_PASS }, (_, i) => `#${KEEP_PER_PASS + 2 - i}`),
    );
  });

  it('reads a damaged or foreign setting as no pass, and drops entries that are not this pass', () => {
    expect(parsePassList(undefined, 'teardown')).toEqual([]);
    expect(parsePassList('{not json', 'teardown')).toEqual([]);
    expect(parsePassList('{"a":1}', 'teardown')).toEqual([]);
    const good = entry();
    const text = JSON.stringify([good, { ...good, outcome: 'maybe' }, entry({ name: 'reconcile' }), 7]);
    expect(parsePassList(text, 'teardown')).toEqual([good]);
  });

  it('merges every pass newest first; a tie is in the order a reconcile runs its parts, newest first', () => {
    const t1 = '2026-01-01T00:01:00.000Z';
    const t2 = '2026-01-01T00:02:00.000Z';
    const merged = mergePasses([
      [entry({ at: t1 })],
      [entry({ name: 'reconcile', at: t2 })],
      [entry({ name: 'licence', at: t2 })],
      [entry({ name: 'notifications', at: t2 })],
    ]);
    expect(merged.map((e) => e.name)).toEqual(['notifications', 'licence', 'reconcile', 'teardown']);
  });

  it('holds while the newest teardown that ran was stopped by the guard; a failure does not clear it', () => {
    const held = entry({ outcome: 'held', problem: 'stopped by the teardown guard: 2 due' });
    expect(guardHoldOf([held])).toBe(held);
    expect(guardHoldOf([entry({ outcome: 'failed', problem: 'database locked' }), held])).toBe(held);
    expect(guardHoldOf([entry(), held])).toBeUndefined();
    expect(guardHoldOf([])).toBeUndefined();
    expect(describeTeardown({ due: 2, started: 0, refused: 'the limit is 1' })).toEqual({
      summary: '2 due, 0 teardowns started',
      problem: 'stopped by the teardown guard: the limit is 1',
      held: true,
    });
  });

  it('names a replica by host, process and the start of its lease owner', () => {
    expect(replicaLabel('worker-0123456789ab-cdef', 'hook-a', 42)).toBe('hook-a:42:01234567');
  });
});

describe('PassLog over a real store', () => {
  let dir: string;
  let store: SqliteStore;
  const now = () => new Date('2026-01-01T00:00:00.000Z');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestkit-passes-'));
    store = new SqliteStore(join(dir, 'nestkit.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a pass as it ends, unchanged: its result, a guard stop, a failure rethrown', async () => {
    const passes = new PassLog(store, 'replica-a');
    const ok = passes.track('teardown', now, async () => ({ due: 1, started: 1 }), describeTeardown);
    await expect(ok()).resolves.toEqual({ due: 1, started: 1 });
    const held = passes.track(
      'teardown',
      now,
      async () => ({ due: 3, started: 0, refused: 'the limit is 1' }),
      describeTeardown,
    );
    await held();
    const boom = passes.track(
      'reconcile',
      now,
      async () => {
        throw new Error('DescribeServiceInstances failed: password=hunter2-secret and more');
      },
      () => ({ summary: 'never' }),
    );
    await expect(boom()).rejects.toThrow('hunter2-secret');
    const recent = await passes.recent();
    expect(recent).toEqual([
      {
        name: 'reconcile',
        at: now().toISOString(),
        replica: 'replica-a',
        outcome: 'failed',
        summary: 'failed',
        problem: 'DescribeServiceInstances failed: password=•••••••• and more',
      },
      expect.objectContaining({ name: 'teardown', outcome: 'held', summary: '3 due, 0 teardowns started' }),
      expect.objectContaining({ name: 'teardown', outcome: 'done', summary: '1 due, 1 teardowns started' }),
    ]);
    expect(await passes.guardHold()).toMatchObject({ outcome: 'held', replica: 'replica-a' });
    expect(await store.setting(passSettingKey('reconcile'))).not.toContain('hunter2');
  });

  it('shows the passes another PassLog (another replica, same database) recorded, after a restart too', async () => {
    const other = new SqliteStore(join(dir, 'nestkit.db'));
    try {
      const a = new PassLog(store, 'replica-a');
      const b = new PassLog(other, 'replica-b');
      await a.add({ name: 'teardown', at: '2026-01-01T00:01:00.000Z', outcome: 'done', summary: 'a ran' });
      await b.add({ name: 'reconcile', at: '2026-01-01T00:02:00.000Z', outcome: 'done', summary: 'b ran' });
      const seen = async (log: PassLog) => (await log.recent()).map((e) => `${e.replica} ${e.summary}`);
      expect(await seen(a)).toEqual(['replica-b b ran', 'replica-a a ran']);
      expect(await seen(b)).toEqual(['replica-b b ran', 'replica-a a ran']);
      expect(await seen(new PassLog(store, 'replica-a, restarted'))).toEqual([
        'replica-b b ran',
        'replica-a a ran',
      ]);
    } finally {
      await other.close();
    }
  });

  it("loses an entry, not the pass, when the store cannot record it, and keeps one process's writes in order", async () => {
    const warned: string[] = [];
    const broken = {
      setting: async () => {
        throw new Error('SQLITE_FULL');
      },
    };
    const log = { warn: (_f: unknown, m: string) => warned.push(m) } as never;
    const passes = new PassLog(broken, 'replica-a', log);
    const run = passes.track('teardown', now, async () => ({ due: 0, started: 0 }), describeTeardown);
    await expect(run()).resolves.toEqual({ due: 0, started: 0 });
    expect(warned).toEqual(['could not record a pass']);

    const ordered = new PassLog(store, 'replica-a');
    await Promise.all(
      [1, 2, 3].map((i) =>
        ordered.add({ name: 'licence', at: now().toISOString(), outcome: 'done', summary: `#${i}` }),
      ),
    );
    expect((await ordered.recent()).map((e) => e.summary)).toEqual(['#3', '#2', '#1']);
  });
});
