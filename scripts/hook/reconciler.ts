import { CloudError, type ServiceInstanceSummary, type SupplierApi } from '../cloud';
import type { ServiceModel } from '../../service-config/model';
import type { HookLogger } from './logger';
import { transition, type InstanceRecord, type Policy } from './machine';
import type { HookMetrics } from './metrics';
import { needsDetail, reconcileEvents, type InstanceDetail } from './reconcile-events';
import type { HookStore } from './store/store';
import { orderOfTags } from './tags';

const WATCHED_STATES: InstanceRecord['state'][] = [
  'provisioning',
  'active',
  'failed',
  'expired',
  'released',
  'deleting',
];

export interface ReconcileResult {
  seen: number;
  events: number;
  adopted: number;
  vanished: number;
}

/**
 * One level-triggered pass over every instance of the service (paged, through the client's rate
 * limit): adopts instances the store does not know, repairs missed notifications, and records
 * instances that are gone without the hook. It changes records only; deletions stay the worker's.
 */
export async function reconcilePass(
  supplier: SupplierApi,
  store: HookStore,
  deps: {
    serviceId: string;
    model: ServiceModel;
    policy: Policy;
    now: () => Date;
    log: HookLogger;
    metrics: HookMetrics;
  },
): Promise<ReconcileResult> {
  const result: ReconcileResult = { seen: 0, events: 0, adopted: 0, vanished: 0 };
  const seen = new Set<string>();
  // Only instances the store knew before the listing began can be missing from it: one whose id is
  // learnt while the pages go by may have been created after its page was read.
  const before = await knownInstances(store);
  try {
    const instances = supplier.serviceInstances({
      Filter: [{ Name: 'ServiceId', Value: [deps.serviceId] }],
      ShowDeleted: true,
    });
    for await (const instance of instances) {
      const serviceInstanceId = instance.ServiceInstanceId;
      if (!serviceInstanceId) continue;
      result.seen += 1;
      seen.add(serviceInstanceId);
      const record = await findRecord(store, deps.serviceId, instance);
      // The list carries no Outputs (nor the plan): read them where the pass needs them.
      const detail: InstanceDetail | undefined = needsDetail(record, instance)
        ? await supplier.getServiceInstance({ ServiceInstanceId: serviceInstanceId })
        : undefined;
      const events = reconcileEvents(record, instance, deps.now(), deps.policy.retentionDays, {
        detail,
        model: deps.model,
      });
      // [I] An adopted Compute Nest-mode order is keyed by its service instance id: the supplier API
      // shows no MarketInstanceId (order id) for it.
      const id = record?.id ?? serviceInstanceId;
      if (!record && events.length > 0) result.adopted += 1;
      for (const event of events) {
        await store.applyEvent(id, record?.source ?? 'computenest', event, (r) =>
          transition(r, event, deps.policy),
        );
        result.events += 1;
      }
    }
  } catch (error) {
    deps.metrics.reconcilePass('failed');
    deps.log.warn(
      { error: (error as Error).message, seen: result.seen },
      'reconcile pass stopped early; nothing marked gone',
    );
    return result;
  }
  try {
    result.vanished = await recordVanished(supplier, store, before, seen, deps);
  } catch (error) {
    deps.metrics.reconcilePass('failed');
    deps.log.warn({ error: (error as Error).message }, 'could not confirm vanished instances');
    return result;
  }
  deps.metrics.reconcilePass('ok');
  deps.log.info({ ...result }, 'reconcile pass');
  return result;
}

/**
 * By service instance id; else, for an instance the hook created but never learnt the id of (a create
 * that landed before a crash), by the order its tags name. Never by name: the list's `Name` is not ours.
 */
async function findRecord(store: HookStore, serviceId: string, instance: ServiceInstanceSummary) {
  const known = await store.findByServiceInstanceId(instance.ServiceInstanceId!);
  if (known) return known;
  const order = orderOfTags(instance.Tags, serviceId);
  if (order === undefined) return undefined;
  const tagged = await store.get(order);
  return tagged && !tagged.serviceInstanceId ? tagged : undefined;
}

async function knownInstances(store: HookStore): Promise<Map<string, string>> {
  const known = new Map<string, string>();
  for (const record of await store.list(WATCHED_STATES))
    if (record.serviceInstanceId) known.set(record.id, record.serviceInstanceId);
  return known;
}

/**
 * After a complete pass: a watched record whose instance was known before the pass, was not listed at
 * all, and is not found by GetServiceInstance either, is gone.
 */
async function recordVanished(
  supplier: SupplierApi,
  store: HookStore,
  before: Map<string, string>,
  seen: Set<string>,
  deps: { policy: Policy; now: () => Date },
): Promise<number> {
  let vanished = 0;
  for (const record of await store.list(WATCHED_STATES)) {
    const id = record.serviceInstanceId;
    if (!id || seen.has(id) || before.get(record.id) !== id) continue;
    if (await stillThere(supplier, id)) continue;
    const event = { type: 'deleted', at: deps.now().toISOString(), outside: true } as const;
    await store.applyEvent(record.id, record.source, event, (r) => transition(r, event, deps.policy));
    vanished += 1;
  }
  return vanished;
}

/** Whether an instance that a listing missed still exists (a live, not Deleted, instance). */
async function stillThere(supplier: SupplierApi, serviceInstanceId: string): Promise<boolean> {
  try {
    const instance = await supplier.getServiceInstance({ ServiceInstanceId: serviceInstanceId });
    return instance.Status !== 'Deleted';
  } catch (error) {
    if (error instanceof CloudError && error.code.startsWith('EntityNotExist')) return false;
    throw error;
  }
}
