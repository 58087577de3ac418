import { CloudError, isTransient, type ServiceInstanceSummary, type SupplierApi } from '../cloud';
import type { HookLogger } from './logger';
import { adoptable } from './reconcile-events';
import { installationOfTags, TAG_KEYS } from './tags';

/**
 * Claiming a Compute Nest-mode order for one installation. The Marketplace creates such instances, so
 * they carry no installation tag, and every hook against the service would adopt them. A hook first
 * tags an unclaimed one with its installation (`TagResources`) and adopts it only at a later pass, if
 * the tag it reads back then is still its own. Two installations that claim in the same window both
 * tag; the later tag wins, and only its installation adopts. Tags are read from the listing, so the
 * later pass sees the settled value [I: tags are consistent within a reconcile interval].
 */
export type ClaimOutcome =
  /** Tagged now: adopt at a later pass, when the tag still names this installation. */
  | 'claimed'
  /** Tagging failed for a while (throttling, 5xx): try again at the next pass. */
  | 'later'
  /** Tagging is refused for good: adopt unclaimed, as a single installation may [I]. */
  | 'unclaimable';

/** [I] The model's valid value for a service instance (`service`, `serviceinstance`, `artifact`). */
export const SERVICE_INSTANCE_RESOURCE_TYPE = 'serviceinstance';

/** A Marketplace-made instance no installation has claimed yet. */
export function needsClaim(instance: ServiceInstanceSummary): boolean {
  return adoptable(instance) && installationOfTags(instance.Tags) === undefined;
}

export async function claimInstance(
  supplier: SupplierApi,
  serviceInstanceId: string,
  installationId: string,
  log: HookLogger,
): Promise<ClaimOutcome> {
  try {
    await supplier.tagResources({
      ResourceType: SERVICE_INSTANCE_RESOURCE_TYPE,
      ResourceId: [serviceInstanceId],
      Tag: [{ Key: TAG_KEYS.installation, Value: installationId }],
    });
    log.info({ serviceInstanceId, installationId }, 'claimed a Compute Nest order for this installation');
    return 'claimed';
  } catch (error) {
    if (!(error instanceof CloudError) || isTransient(error)) {
      log.warn({ serviceInstanceId, error: (error as Error).message }, 'could not claim an order yet');
      return 'later';
    }
    log.error(
      { serviceInstanceId, code: error.code, requestId: error.requestId, error: error.message },
      'tagging a Compute Nest order was refused: adopting it unclaimed (run one installation per service)',
    );
    return 'unclaimable';
  }
}
