import type { ServiceModel } from '../../service-config/model';
import { editionForSku } from '../hook/order-parameters';
import type { ConsoleDeps } from './deps';
import { parseOrderFilters, recordQueryOf } from './orders-query';
import { latestRollout } from './rollout-view';
import type { OrderData } from './pages/order';
import type { OrdersData } from './pages/orders';
import type { OverviewData } from './pages/overview';

/** What each page shows, read from the store (the pages themselves are pure). */
export async function overviewData(deps: ConsoleDeps): Promise<OverviewData> {
  const { store } = deps;
  const [byState, bySku, failed, deadJobs, deadByKind, jobs, due] = await Promise.all([
    store.countsBy('state'),
    store.countsBy('skuId'),
    store.queryRecords({ states: ['failed'], limit: 10, offset: 0 }),
    store.deadJobs(10),
    store.deadLetters(),
    store.jobCounts(),
    store.dueForTeardown(deps.now().toISOString()),
  ]);
  // The fleet's last passes and the guard's hold, from the store (every replica's passes).
  const [hold, passes] = await Promise.all([deps.passes?.guardHold(), deps.passes?.recent()]);
  return {
    byState,
    bySku: skuList(deps.model, bySku).map((s) => ({ ...s, count: bySku[s.sku] ?? 0 })),
    failed,
    deadJobs,
    deadByKind,
    jobs,
    held: {
      count: due.length,
      records: due.slice(0, 10),
      reason: hold?.problem,
      since: hold?.at,
      replica: hold?.replica,
    },
    rollout: await latestRollout(deps.rollouts),
    passes: passes ?? [],
  };
}

export async function ordersData(deps: ConsoleDeps, params: URLSearchParams): Promise<OrdersData> {
  const filters = parseOrderFilters(params);
  const [page, bySku] = await Promise.all([
    deps.store.queryRecords(recordQueryOf(filters, deps.now())),
    deps.store.countsBy('skuId'),
  ]);
  const editionOf = (sku: string | undefined) => editionForSku(deps.model, sku)?.name;
  return { filters, ...page, skus: skuList(deps.model, bySku), editionOf };
}

/** An order's page, or undefined when the store has no such order. */
export async function orderData(
  deps: ConsoleDeps,
  id: string,
  options: { allEvents: boolean; notice?: OrderData['notice'] },
): Promise<OrderData | undefined> {
  const record = await deps.store.get(id);
  if (!record) return undefined;
  const [events, jobs] = await Promise.all([deps.store.eventsOf(id), deps.store.jobsOf(id)]);
  return {
    record,
    edition: editionForSku(deps.model, record.skuId)?.name,
    events,
    jobs,
    actions: deps.actions.offered(record, jobs),
    ...options,
  };
}

/** Every SKU code seen in the store or named by service.yaml, with its edition. */
function skuList(model: ServiceModel, counts: Record<string, number>): { sku: string; edition?: string }[] {
  const codes = new Set([...model.editions.map((e) => e.specificationCode), ...Object.keys(counts)]);
  return [...codes]
    .filter((sku) => sku !== '')
    .sort()
    .map((sku) => ({ sku, edition: editionForSku(model, sku)?.name }));
}
