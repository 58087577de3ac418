import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { effectsByEvent } from '../../../scripts/console/pages/order';
import { transition, type LifecycleEvent, type Policy } from '../../../scripts/hook/machine';
import { SqliteStore } from '../../../scripts/hook/store/sqlite-store';

const policy: Policy = { onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true };

describe("an order's timeline", () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestkit-console-timeline-'));
    store = new SqliteStore(join(dir, 'nestkit.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts each job under the event that started it, as the store records them', async () => {
    const events: LifecycleEvent[] = [
      { type: 'create', at: '2026-01-01T00:00:00Z', skuId: 'sku', billingItems: {} },
      { type: 'create', at: '2026-01-01T00:00:01Z', skuId: 'sku', billingItems: {} }, // a duplicate
      { type: 'instanceCreated', at: '2026-01-01T00:00:02Z', serviceInstanceId: 'si-1' },
      { type: 'deployed', at: '2026-01-01T00:05:00Z', outputs: {} },
      { type: 'expire', at: '2026-02-01T00:00:00Z' },
    ];
    for (const event of events)
      await store.applyEvent('o-1', 'spi', event, (r) => transition(r, event, policy));
    const stored = await store.eventsOf('o-1');
    const effects = effectsByEvent(stored, await store.jobsOf('o-1'));
    const shown = stored.map((e) => [e.type, (effects.get(e.seq) ?? []).map((j) => j.kind)]);
    expect(shown).toEqual([
      ['create', ['createInstance']],
      ['create', []],
      ['instanceCreated', ['watchDeployment']],
      ['deployed', []],
      ['expire', ['stopInstance']],
    ]);
  });
});
