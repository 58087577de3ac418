import type { ServiceInstance } from '../cloud';
import { parseOutputs } from './effects';
import { lapsedRelease } from './lapse';
import type { InstanceRecord, LifecycleEvent } from './machine';

/**
 * What one observed Compute Nest instance tells the state machine about its record: level-triggered,
 * so a missed SPI notification or watch is repaired by the next pass. Pure: `now` is given.
 */
export function reconcileEvents(
  record: InstanceRecord | undefined,
  instance: ServiceInstance,
  now: Date,
  retentionDays: number,
): LifecycleEvent[] {
  const at = now.toISOString();
  const endTime = instance.EndTime ? new Date(Date.parse(instance.EndTime)).toISOString() : undefined;
  if (!record) {
    // Only Marketplace orders are adopted: an instance the ISV made by hand (a test, a demo) is not
    // the hook's to manage, and so never torn down by it.
    if (instance.Status === 'Deleted' || !fromMarketplace(instance)) return [];
    const deployed = instance.Status === 'Deployed' || instance.Status === 'Stopped';
    return [
      {
        type: 'adopt',
        at,
        serviceInstanceId: instance.ServiceInstanceId,
        deployed,
        skuId: skuOf(instance.Components),
        expiresAt: endTime,
        outputs: deployed && instance.Outputs ? parseOutputs(instance.Outputs) : undefined,
      },
    ];
  }
  const events: LifecycleEvent[] = [];
  if (!record.serviceInstanceId)
    events.push({ type: 'instanceCreated', at, serviceInstanceId: instance.ServiceInstanceId });
  if (instance.Status === 'Deleted') {
    return record.state === 'deleted'
      ? events
      : [...events, { type: 'deleted', at, outside: record.state !== 'deleting' }];
  }
  const live = !['deleting', 'deleted'].includes(record.state);
  if (live && !record.outputs && ['Deployed', 'Stopped'].includes(instance.Status))
    events.push({ type: 'deployed', at, outputs: parseOutputs(instance.Outputs) });
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
    events.push({ type: 'expire', at });
  }
  const lapsed = lapsedRelease(endTime, now, retentionDays);
  if (
    lapsed &&
    instance.BizStatus === 'Expired' &&
    ['active', 'expired', 'failed', 'provisioning'].includes(record.state)
  ) {
    events.push(lapsed);
  }
  return events;
}

/** The SKU code an instance was sold as: `package_version` of its Components JSON [V reference section 7]. */
function skuOf(components: string | undefined): string | undefined {
  if (!components) return undefined;
  try {
    const value = (JSON.parse(components) as { package_version?: unknown }).package_version;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function fromMarketplace(instance: ServiceInstance): boolean {
  return instance.Source === 'Market' || Boolean(instance.MarketInstanceId);
}
