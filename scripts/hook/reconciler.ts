import { CloudError, type ServiceInstanceSummary, type SupplierApi } from '../cloud';
import type { ServiceModel } from '../../service-config/model';
import { claimInstance, needsClaim } from './claim';
import { errorFields } from './log-fields';
import type { HookLogger } from './logger';
import { transition, WATCHED_STATES, type EffectKind, type InstanceRecord, type Policy } from './machine';
import type { HookMetrics } from './metrics';
import { needsDetail, reconcileEvents, type InstanceDetail } from './reconcile-events';
import type { HookStore } from './store/store';
import { installationOfTags, isForeign, orderOfTags } from './tags';
import { checkTeardownPass, type TeardownLimits } from './teardown-guard';

export interface ReconcileResult {
  seen: number;
  events: number;
  adopted: number;
  /** Compute Nest orders tagged for this installation in this pass: adopted at a later one. */
  claimed: number;
  vanished: number;
  /** Listed instances another installation of the hook created: left alone. */
  foreign: number;
  /** Effects run again because their record still needed them (after a dead letter, or none left). */
  redriven: number;
  /** Why a step of the pass was stopped by the guard (nothing of it done), if one was. */
  refused?: string;
}

/** Installations already warned about, so the warning is given once per process, at the first pass. */
const warnedForeign = new Set<string>();

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
    /** This installation: instances tagged with another are never adopted nor acted on. */
    installationId: string;
    model: ServiceModel;
    policy: Policy;
    now: () => Date;
    log: HookLogger;
    metrics: HookMetrics;
    /** The teardown guard's limits, also for the instances this pass would record gone or delete again. */
    limits: TeardownLimits;
  },
): Promise<ReconcileResult> {
  const result: ReconcileResult = {
    seen: 0,
    events: 0,
    adopted: 0,
    claimed: 0,
    vanished: 0,
    foreign: 0,
    redriven: 0,
  };
  const others = new Map<string, number>();
  const listed = new Map<string, ServiceInstanceSummary>();
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
      if (isForeign(instance.Tags, deps.installationId)) {
        // Another installation's (another database): not adopted, not repaired, never deleted by this one.
        result.foreign += 1;
        const other = installationOfTags(instance.Tags)!;
        others.set(other, (others.get(other) ?? 0) + 1);
        continue;
      }
      listed.set(serviceInstanceId, instance);
      const record = await findRecord(store, deps.serviceId, instance);
      if (!record && needsClaim(instance)) {
        const claim = await claimInstance(supplier, serviceInstanceId, deps.installationId, deps.log);
        if (claim === 'claimed') result.claimed += 1;
        if (claim !== 'unclaimable') continue;
      }
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
      { ...errorFields(error), seen: result.seen },
      'reconcile pass stopped early; nothing marked gone',
    );
    return result;
  }
  if (others.size > 0 && !warnedForeign.has(deps.installationId)) {
    warnedForeign.add(deps.installationId);
    deps.log.warn(
      { installationId: deps.installationId, others: Object.fromEntries(others) },
      'instances of this service created by another installation of the hook (another database): this one leaves them alone; run one database per service, replicas sharing it',
    );
  }
  try {
    const vanished = await recordVanished(supplier, store, before, seen, deps);
    result.vanished = vanished.recorded;
    if (vanished.refused) result.refused = vanished.refused;
    const redrive = await redriveNeeded(store, listed, deps);
    result.redriven = redrive.redriven;
    if (redrive.refused) result.refused = [result.refused, redrive.refused].filter(Boolean).join('; ');
  } catch (error) {
    deps.metrics.reconcilePass('failed');
    deps.log.warn({ ...errorFields(error) }, 'could not confirm vanished instances or repair effects');
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
 * After a complete pass: a watched record whose instance was known before the pass and was not listed at
 * all is only a question, since a listing can come back empty or short: it is recorded gone only when
 * GetServiceInstance confirms it (EntityNotExist, or a Deleted status). And when the confirmed ones are an
 * unusual share of the live records, the same guard as for teardowns stops the step: nothing is recorded,
 * the pass reports instead.
 */
async function recordVanished(
  supplier: SupplierApi,
  store: HookStore,
  before: Map<string, string>,
  seen: Set<string>,
  deps: { policy: Policy; now: () => Date; log: HookLogger; metrics: HookMetrics; limits: TeardownLimits },
): Promise<{ recorded: number; refused?: string }> {
  const watched = await store.list(WATCHED_STATES);
  const gone: InstanceRecord[] = [];
  for (const record of watched) {
    const id = record.serviceInstanceId;
    if (!id || seen.has(id) || before.get(record.id) !== id) continue;
    if (!(await stillThere(supplier, id))) gone.push(record);
  }
  if (gone.length === 0) return { recorded: 0 };
  const verdict = checkTeardownPass(gone.length, watched.length, deps.limits);
  if (!verdict.allowed) {
    deps.metrics.reconcileGuardTripped('vanished');
    const reason = `vanished instances: ${verdict.reason}`;
    deps.log.error(
      { vanished: gone.length, live: watched.length, reason, examples: gone.slice(0, 5).map((r) => r.id) },
      'reconcile pass stopped by the guard; no instance recorded gone',
    );
    return { recorded: 0, refused: reason };
  }
  for (const record of gone) {
    const event = { type: 'deleted', at: deps.now().toISOString(), outside: true } as const;
    await store.applyEvent(record.id, record.source, event, (r) => transition(r, event, deps.policy));
  }
  return { recorded: gone.length };
}

/**
 * The repairs: a record whose effect is over (dead-lettered, or finished without the result) while the
 * record still needs it gets that effect queued again, with a fresh retry budget and the same ClientToken
 * revision. A provisioning order without an instance is created (again: its ClientToken makes that
 * safe); a provisioning one whose instance is listed is watched; a deleting one whose instance is still
 * listed live, or unknown, is deleted, within the teardown guard. Dead letters of a safety refusal
 * (`refusing to delete`) stay dead: repeating them changes nothing; they need an operator.
 */
async function redriveNeeded(
  store: HookStore,
  listed: Map<string, ServiceInstanceSummary>,
  deps: { now: () => Date; log: HookLogger; metrics: HookMetrics; limits: TeardownLimits },
): Promise<{ redriven: number; refused?: string }> {
  const live = await store.list(WATCHED_STATES);
  const wanted: { record: InstanceRecord; kind: EffectKind; wasDead: boolean }[] = [];
  for (const record of live) {
    const kind = neededEffect(record, listed);
    if (!kind) continue;
    const jobs = await store.jobsOf(record.id);
    if (jobs.some((j) => j.state === 'pending' || j.state === 'leased')) continue;
    const last = jobs.filter((j) => j.kind === kind).at(-1);
    if (last?.state === 'dead' && last.lastError?.includes('refusing to delete')) continue;
    wanted.push({ record, kind, wasDead: last?.state === 'dead' });
  }
  const deletes = wanted.filter((w) => w.kind === 'deleteInstance').length;
  let refused: string | undefined;
  if (deletes > 0) {
    const verdict = checkTeardownPass(deletes, live.length, deps.limits);
    if (!verdict.allowed) {
      deps.metrics.reconcileGuardTripped('redrive');
      refused = `deletes to run again: ${verdict.reason}`;
      deps.log.error(
        { deletes, live: live.length, reason: refused },
        'repairs stopped by the guard; no delete run again',
      );
    }
  }
  let redriven = 0;
  const runAt = deps.now().getTime();
  for (const { record, kind, wasDead } of wanted) {
    if (refused && kind === 'deleteInstance') continue;
    if (!(await store.redriveJob(record.id, kind, record.revision, runAt))) continue;
    redriven += 1;
    deps.metrics.effectRedriven(kind);
    deps.log.warn(
      { instanceId: record.id, effect: kind, state: record.state, afterDeadLetter: wasDead },
      'record still needs its effect; running it again',
    );
  }
  return { redriven, refused };
}

/** The effect a record still needs, judging by the listing; undefined when it needs none. */
function neededEffect(
  record: InstanceRecord,
  listed: Map<string, ServiceInstanceSummary>,
): EffectKind | undefined {
  const instance = record.serviceInstanceId ? listed.get(record.serviceInstanceId) : undefined;
  const live = instance !== undefined && instance.Status !== 'Deleted';
  if (record.state === 'provisioning')
    return !record.serviceInstanceId ? 'createInstance' : live ? 'watchDeployment' : undefined;
  if (record.state === 'deleting') return !record.serviceInstanceId || live ? 'deleteInstance' : undefined;
  return undefined;
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
