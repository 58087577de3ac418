import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transition, type LifecycleEvent, type Policy } from '../../../scripts/hook/machine';
import { SqliteStore } from '../../../scripts/hook/store/sqlite-store';
import { orderViewOf, withOrders } from '../../../scripts/rollout/orders';
import { skipReason } from '../../../scripts/rollout/plan';

const policy: Policy = { onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true };
const T0 = '2026-01-01T00:00:00.000Z';
const live = (id: string) => ({ id, version: '1', status: 'Deployed', bizStatus: 'Normal' });

describe("the hook's view of the orders in a rollout", () => {
  it('skips an instance whose order the hook holds released or expired, though it still runs', async () => {
    const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), 'nestkit-rollout-orders-')), 'hook.db'));
    const apply = (id: string, event: LifecycleEvent) =>
      store.applyEvent(id, 'spi', event, (r) => transition(r, event, policy));
    for (const [order, si] of [
      ['o-live', 'si-live'],
      ['o-released', 'si-released'],
      ['o-expired', 'si-expired'],
    ]) {
      await apply(order, { type: 'create', at: T0, skuId: 'yuncode1', billingItems: {}, orderId: order });
      await apply(order, { type: 'instanceCreated', at: T0, serviceInstanceId: si });
    }
    await apply('o-released', { type: 'release', at: T0, refund: false });
    await apply('o-expired', { type: 'expire', at: T0 });
    const fleet = await withOrders(
      ['si-live', 'si-released', 'si-expired', 'si-unknown'].map(live),
      orderViewOf(store),
    );
    const metadata = { SupportUpgradeFromVersions: [] };
    expect(fleet.map((i) => skipReason(i, '2', metadata)?.reason)).toEqual([
      undefined,
      'released',
      'expired',
      undefined,
    ]);
    await store.close();
  });
});
