import type { ServiceInstance, ServiceInstanceSummary } from '../cloud';
import type { Edition, ServiceModel } from '../../service-config/model';
import { bundlePlanName } from '../../cdk/plans';
import { parseOutputs } from './effects';
import { lapsedRelease } from './lapse';
import { IN_FORCE_STATES, TEARDOWN_STATES, type InstanceRecord, type LifecycleEvent } from './machine';

/**
 * What only `GetServiceInstance` tells: supplier `ListServiceInstances` items carry no `Outputs` and no
 * `PredefinedParameterName` (and neither API of the supplier carries `Components` or `MarketInstanceId`).
 */
export type InstanceDetail = Pick<ServiceInstance, 'Outputs' | 'PredefinedParameterName' | 'Parameters'>;

/**
 * Whether the pass must read the instance with `GetServiceInstance` before `reconcileEvents` can tell
 * everything: an instance to adopt (its plan and outputs), or a deployed one whose outputs the record lacks.
 */
export function needsDetail(record: InstanceRecord | undefined, instance: ServiceInstanceSummary): boolean {
  if (!record) return adoptable(instance);
  const live = !TEARDOWN_STATES.includes(record.state);
  return live && !record.outputs && settled(instance.Status);
}

/**
 * What one observed Compute Nest instance tells the state machine about its record: level-triggered,
 * so a missed SPI notification or watch is repaired by the next pass. Pure: `now` is given, and so is
 * the instance's `detail` when `needsDetail` asked for it.
 */
export function reconcileEvents(
  record: InstanceRecord | undefined,
  instance: ServiceInstanceSummary,
  now: Date,
  retentionDays: number,
  more: { detail?: InstanceDetail; model?: ServiceModel } = {},
): LifecycleEvent[] {
  const { detail, model } = more;
  const at = now.toISOString();
  const endTime = instance.EndTime ? new Date(Date.parse(instance.EndTime)).toISOString() : undefined;
  const serviceInstanceId = instance.ServiceInstanceId;
  if (!serviceInstanceId) return [];
  if (!record) {
    // Only Marketplace orders are adopted: an instance the ISV made by hand (a test, a demo) is not
    // the hook's to manage, and so never torn down by it.
    if (!adoptable(instance)) return [];
    const deployed = settled(instance.Status);
    const edition = model && editionOfPlan(model, detail?.PredefinedParameterName);
    return [
      {
        type: 'adopt',
        at,
        serviceInstanceId,
        deployed,
        // [I] The supplier API shows no Components (package_version) of a Compute Nest-mode order: its
        // SKU is read back from the plan it was deployed with, its modules from its parameters.
        skuId: edition?.specificationCode,
        billingItems: model ? modulesOf(model, detail?.Parameters ?? instance.Parameters) : undefined,
        expiresAt: endTime,
        outputs: deployed && detail?.Outputs ? parseOutputs(detail.Outputs) : undefined,
      },
    ];
  }
  const events: LifecycleEvent[] = [];
  if (!record.serviceInstanceId) events.push({ type: 'instanceCreated', at, serviceInstanceId });
  if (instance.Status === 'Deleted') {
    return record.state === 'deleted'
      ? events
      : [...events, { type: 'deleted', at, outside: record.state !== 'deleting' }];
  }
  const live = !TEARDOWN_STATES.includes(record.state);
  // Outputs come from GetServiceInstance only; without the detail the next pass looks again.
  if (live && !record.outputs && settled(instance.Status) && detail)
    events.push({ type: 'deployed', at, outputs: parseOutputs(detail.Outputs) });
  if (record.state === 'provisioning' && instance.Status === 'DeployedFailed')
    events.push({ type: 'deployFailed', at, reason: instance.StatusDetail ?? 'deployment failed' });
  if (!endTime) return events;
  const extended = !record.expiresAt || Date.parse(endTime) > Date.parse(record.expiresAt);
  if (
    extended &&
    instance.BizStatus !== 'Expired' &&
    ['active', 'expired', 'provisioning'].includes(record.state)
  ) {
    events.push({ type: 'renew', at, expiresAt: endTime });
  } else if (instance.BizStatus === 'Expired' && record.state === 'active') {
    events.push({ type: 'expire', at, confirmed: true }); // BizStatus read by a signed call
  }
  const lapsed = lapsedRelease(endTime, now, retentionDays);
  if (lapsed && instance.BizStatus === 'Expired' && IN_FORCE_STATES.includes(record.state)) {
    events.push(lapsed);
  }
  return events;
}

const settled = (status: string | undefined) => status === 'Deployed' || status === 'Stopped';

/** A live instance the Marketplace made (a Compute Nest-mode order): `Source` Market. */
export function adoptable(instance: ServiceInstanceSummary): boolean {
  return instance.Status !== 'Deleted' && instance.Source === 'Market';
}

/**
 * The extra billing items an adopted order evidently bought, from the module parameters its instance
 * was deployed with: `'1'` for a module switched on, `'0'` for one switched off [I]. How modules reach
 * such orders is not settled here; this only stops the hook depending on `Components`.
 */
export function modulesOf(model: ServiceModel, parameters: string | undefined): Record<string, string> {
  let values: Record<string, unknown> = {};
  try {
    const parsed: unknown = parameters ? JSON.parse(parameters) : {};
    if (parsed && typeof parsed === 'object') values = parsed as Record<string, unknown>;
  } catch {
    return {};
  }
  const items: Record<string, string> = {};
  for (const module of model.modules) {
    const value = values[module.parameter];
    if (value === undefined) continue;
    items[module.billingItem] = value === true || value === 'true' ? '1' : '0';
  }
  return items;
}

/** The edition an instance was deployed as: its own plan, or one of its bundles' (`basic+backup`). */
function editionOfPlan(model: ServiceModel, plan: string | undefined): Edition | undefined {
  return model.editions.find(
    (e) => e.name === plan || e.bundles.some((bundle) => bundlePlanName(e, bundle) === plan),
  );
}
