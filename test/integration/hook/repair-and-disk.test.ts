import type { SqliteStore } from '../../../scripts/hook/store/sqlite-store';
import { admin } from '../sandbox/helpers';
import { createParams, hookWorld, startSecondInstallation, type HookWorld } from './support';

describe('hook: repairs, installations and a broken disk', () => {
  let w: HookWorld;
  afterEach(() => w.close());

  it('re-drives a dead-lettered create in the next reconcile pass, and shows dead letters in /metrics', async () => {
    w = await hookWorld({ worker: { retryBudgetMs: 600_000, backoffBaseMs: 1000, backoffMaxMs: 60_000 } });
    const rule = (
      await admin<{ id: number }>(w.box, 'POST', '/_sandbox/faults', {
        kind: 'error',
        action: 'CreateServiceInstance',
        share: 1,
      })
    ).body;
    await w.spi(createParams('80001'));
    for (let i = 0; i < 15; i++) await w.advance(60);
    expect(await w.hook.store.jobCounts()).toMatchObject({ dead: 1 });
    expect(await (await fetch(`${w.hook.url}/metrics`)).text()).toContain(
      'nestkit_dead_letters{kind="createInstance"} 1',
    );
    await admin(w.box, 'DELETE', `/_sandbox/faults/${rule.id}`);
    expect(await w.hook.reconcilePass()).toMatchObject({ redriven: 1 });
    await w.settleDeployments();
    expect((await w.hook.store.get('80001'))?.state).toBe('active');
    expect(await w.hook.store.jobCounts()).toMatchObject({ dead: 0 });
  });

  it("leaves another installation's instances alone: no adoption, no record, said at its first pass", async () => {
    w = await hookWorld();
    await w.spi(createParams('80002'));
    await w.settleDeployments();
    const second = await startSecondInstallation(w);
    try {
      expect(second.installationId).not.toBe(w.hook.installationId);
      expect(await second.reconcilePass()).toMatchObject({ seen: 1, foreign: 1, adopted: 0, events: 0 });
      expect(await second.store.list()).toEqual([]);
      expect(await w.hook.reconcilePass()).toMatchObject({ foreign: 0 });
    } finally {
      await second.close();
    }
  });

  it('answers 503 and is not ready while the database cannot commit, stays alive, and carries on by itself', async () => {
    w = await hookWorld();
    const db = (w.hook.store as SqliteStore).connection;
    // Read-only as SQLite reports it (SQLITE_READONLY); works as root, where chmod would not stop writes.
    db.pragma('query_only = ON');
    expect((await w.spi(createParams('80003'))).status).toBe(503);
    expect((await fetch(`${w.hook.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${w.hook.url}/healthz`)).status).toBe(200);
    expect(w.hook.health.problem).toMatch(/SQLITE_READONLY/);
    await w.hook.step(); // the loops only probe, and nothing throws
    db.pragma('query_only = OFF');
    await w.hook.step();
    expect((await fetch(`${w.hook.url}/readyz`)).status).toBe(200);
    expect((await w.spi(createParams('80003'))).status).toBe(200);

    // A full disk: no page may be added (SQLITE_FULL).
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    let status = 200;
    for (let i = 0; i < 200 && status === 200; i++) status = (await w.spi(createParams(`81${i}`))).status;
    expect(status).toBe(503);
    expect(w.hook.health.problem).toMatch(/SQLITE_FULL/);
    expect((await fetch(`${w.hook.url}/healthz`)).status).toBe(200);
    db.pragma('max_page_count = 1073741823');
    await w.hook.step();
    expect((await fetch(`${w.hook.url}/readyz`)).status).toBe(200);
  });
});
