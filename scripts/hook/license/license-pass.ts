import { CloudError } from '../../cloud/errors';
import { lapsedStatusOfError, type MarketLicense } from '../../cloud/market-types';
import type { HookLogger } from '../logger';
import { IN_FORCE_STATES, transition, type InstanceRecord, type Policy } from '../machine';
import type { HookStore } from '../store/store';
import type { LicenseApi } from './activator';
import { licenseEvents } from './license-decision';
import { CREDENTIAL_REFUSALS, credentialRefusalHint } from './market-credential';

/**
 * Re-reads the licence of every live licence-mode record (DescribeLicense, through the client's rate
 * limit) and feeds renewals, lapses and discards to the state machine; the expiry and retention policy
 * then applies as in the other modes. A licence refused with License.Expired or License.Discard counts
 * as that status, so a lapse is never missed for the way it is told. Returns how many events it applied.
 */
export async function licensePass(
  market: LicenseApi,
  store: HookStore,
  deps: { policy: Policy; now: () => Date; log: HookLogger },
): Promise<number> {
  let applied = 0;
  for (const record of await store.list(IN_FORCE_STATES)) {
    if (record.source !== 'license' || !record.licenseCode) continue;
    const license = await readLicense(market, record, record.licenseCode, deps.log);
    if (!license) continue;
    for (const event of licenseEvents(record, license, deps.now(), deps.policy.retentionDays)) {
      await store.applyEvent(record.id, record.source, event, (r) => transition(r, event, deps.policy));
      applied += 1;
    }
  }
  return applied;
}

/** The licence of a record, or its status alone when the Marketplace told it as an error; else undefined. */
async function readLicense(
  market: LicenseApi,
  record: InstanceRecord,
  licenseCode: string,
  log: HookLogger,
): Promise<MarketLicense | undefined> {
  try {
    const { License } = await market.describeLicense({ LicenseCode: licenseCode });
    if (License) return License;
    log.warn({ instanceId: record.id }, 'DescribeLicense answered no License; left as it is');
    return undefined;
  } catch (error) {
    const code = error instanceof CloudError ? error.code : (error as Error).message;
    const status = lapsedStatusOfError(code);
    if (status) return { LicenseCode: licenseCode, LicenseStatus: status };
    if ((CREDENTIAL_REFUSALS as readonly string[]).includes(code))
      log.error({ instanceId: record.id, error: code }, credentialRefusalHint(code));
    else log.warn({ instanceId: record.id, error: code }, 'licence not readable; left as it is');
    return undefined;
  }
}
