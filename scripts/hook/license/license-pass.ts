import { CloudError } from '../../cloud/errors';
import type { HookLogger } from '../logger';
import { transition, type InstanceRecord, type Policy } from '../machine';
import type { HookStore } from '../store/store';
import type { LicenseApi } from './activator';
import { licenseEvents } from './license-decision';

const LIVE: InstanceRecord['state'][] = ['provisioning', 'active', 'failed', 'expired'];

/**
 * Re-reads the licence of every live licence-mode record (DescribeLicense, through the client's rate
 * limit) and feeds renewals, lapses and discards to the state machine; the expiry and retention policy
 * then applies as in the other modes. Returns how many events it applied.
 */
export async function licensePass(
  market: LicenseApi,
  store: HookStore,
  deps: { policy: Policy; now: () => Date; log: HookLogger },
): Promise<number> {
  let applied = 0;
  for (const record of await store.list(LIVE)) {
    if (record.source !== 'license' || !record.licenseCode) continue;
    let license;
    try {
      license = (await market.describeLicense({ LicenseCode: record.licenseCode })).License;
    } catch (error) {
      const code = error instanceof CloudError ? error.code : (error as Error).message;
      deps.log.warn({ instanceId: record.id, error: code }, 'licence not readable; left as it is');
      continue;
    }
    for (const event of licenseEvents(record, license, deps.now(), deps.policy.retentionDays)) {
      await store.applyEvent(record.id, record.source, event, (r) => transition(r, event, deps.policy));
      applied += 1;
    }
  }
  return applied;
}
