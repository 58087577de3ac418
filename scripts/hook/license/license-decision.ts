import { licenseAttributes, type MarketLicense } from '../../cloud/market-types';
import type { ServiceModel } from '../../../service-config/model';
import type { InstanceRecord, LifecycleEvent } from '../machine';
import { lapsedRelease } from '../lapse';
import { editionForSku } from '../order-parameters';
import { parseSpiTime } from '../../marketplace/spi-token';

/** Attributes of a licence that are not extra billing items [V marketplace-spi.md section 10]. */
const NOT_BILLING = new Set([
  'package_version',
  'orderBizId',
  'activeAddress',
  'orderId',
  'aliUid',
  'expiresTime',
]);

export type LicenseRefusal = { status: number; code: string; message: string };

export type LicenseDecision =
  | {
      ok: true;
      instanceId: string;
      needsActivation: boolean;
      create: Extract<LifecycleEvent, { type: 'create' }>;
    }
  | ({ ok: false } & LicenseRefusal);

/**
 * What an activation request for this licence should do, as a pure function: provision an order of the
 * edition its SKU maps to, or a clear refusal (expired, discarded, an unknown status or SKU) with
 * nothing provisioned.
 */
export function decideActivation(license: MarketLicense, model: ServiceModel, at: string): LicenseDecision {
  const refuse = (status: number, code: string, message: string): LicenseDecision => ({
    ok: false,
    status,
    code,
    message,
  });
  switch (license.LicenseStatus) {
    case 'EXPIRED':
      return refuse(
        410,
        'LicenseExpired',
        `licence ${license.LicenseCode} expired on ${license.ExpiredTime}; renew it in the Marketplace`,
      );
    case 'DISCARD':
      return refuse(
        410,
        'LicenseDiscarded',
        `licence ${license.LicenseCode} was discarded (the order was released or refunded)`,
      );
    case 'INACTIVATED':
    case 'ACTIVATED':
      break;
    default:
      return refuse(
        409,
        'LicenseStatusUnknown',
        `licence ${license.LicenseCode} is ${license.LicenseStatus}, which cannot be activated`,
      );
  }
  const attributes = licenseAttributes(license);
  const skuId = attributes.package_version ?? license.ProductSkuId;
  if (!editionForSku(model, skuId)) {
    return refuse(
      422,
      'UnknownSku',
      `licence ${license.LicenseCode} is for SKU ${skuId ?? '(none)'}, which is no edition of service.yaml`,
    );
  }
  const instanceId = license.InstanceId || attributes.orderBizId;
  if (!instanceId)
    return refuse(
      422,
      'LicenseWithoutInstance',
      `licence ${license.LicenseCode} names no Marketplace instance`,
    );
  return {
    ok: true,
    instanceId,
    needsActivation: license.LicenseStatus === 'INACTIVATED',
    create: {
      type: 'create',
      at,
      skuId: skuId!,
      billingItems: Object.fromEntries(Object.entries(attributes).filter(([code]) => !NOT_BILLING.has(code))),
      expiresAt: licenseTime(license.ExpiredTime),
      aliUid:
        attributes.aliUid ??
        (license.ExtendInfo?.AliUid === undefined ? undefined : String(license.ExtendInfo.AliUid)),
      orderId: attributes.orderId?.split(',')[0],
      source: 'license',
      licenseCode: license.LicenseCode,
    },
  };
}

/**
 * What a re-read licence tells the state machine about a live record: a renewal (a later expiry), a
 * lapse, the end of the retention after it, or a discard (treated as a release [I]). A licence known
 * only by the error it was refused with (License.Expired, License.Discard) carries no ExpiredTime: [I]
 * the record's expiry then stands, so the retention after a lapse is never counted from earlier than
 * the end of what was paid.
 */
export function licenseEvents(
  record: InstanceRecord,
  license: MarketLicense,
  now: Date,
  retentionDays: number,
): LifecycleEvent[] {
  const at = now.toISOString();
  const expiresAt = licenseTime(license.ExpiredTime) ?? record.expiresAt;
  if (license.LicenseStatus === 'DISCARD') return [{ type: 'release', at, refund: false }];
  if (license.LicenseStatus === 'EXPIRED' || (expiresAt && Date.parse(expiresAt) <= now.getTime())) {
    const events: LifecycleEvent[] =
      record.state === 'active' || record.state === 'provisioning'
        ? [{ type: 'expire', at, confirmed: true }]
        : [];
    const lapsed = lapsedRelease(expiresAt, now, retentionDays);
    return lapsed ? [...events, lapsed] : events;
  }
  if (expiresAt && (!record.expiresAt || Date.parse(expiresAt) > Date.parse(record.expiresAt)))
    return [{ type: 'renew', at, expiresAt }];
  return [];
}

/** Licence times: `yyyy-MM-dd HH:mm:ss` in Beijing time [I], or ISO-8601. */
export function licenseTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = parseSpiTime(value) ?? Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
