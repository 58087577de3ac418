import type { HookStore } from '../hook/store/store';
import type { LiveInstance } from './model';

/**
 * What the hook's records say of the instances: an order released (its teardown waiting out the
 * retention) or expired is skipped even while its instance still runs, which Compute Nest alone
 * cannot tell. Undefined for an instance the hook knows nothing against.
 */
export type OrderView = () => Promise<Map<string, NonNullable<LiveInstance['order']>>>;

export function orderViewOf(store: Pick<HookStore, 'list'>): OrderView {
  return async () => {
    const view = new Map<string, NonNullable<LiveInstance['order']>>();
    for (const record of await store.list(['released', 'deleting', 'deleted', 'expired'])) {
      if (!record.serviceInstanceId) continue;
      view.set(record.serviceInstanceId, record.state === 'expired' ? 'expired' : 'released');
    }
    return view;
  };
}

/** The instances with what the hook says of their orders. */
export async function withOrders(
  instances: LiveInstance[],
  view: OrderView | undefined,
): Promise<LiveInstance[]> {
  if (!view) return instances;
  const orders = await view();
  return instances.map((i) => (orders.has(i.id) ? { ...i, order: orders.get(i.id) } : i));
}
