/**
 * Names for parts of the generated Market 2015-11-01 types that licence mode passes around, derived
 * from scripts/api-models/generated/market.ts.
 */
import type * as G from '../api-models/generated/market';

export type * from '../api-models/generated/market';
export type MarketActions = G.Actions;

export type LicenseStatus = 'ACTIVATED' | 'INACTIVATED' | 'EXPIRED' | 'DISCARD';
export type MarketLicense = NonNullable<G.DescribeLicenseResponse['License']>;

/**
 * The status a licence error stands for: DescribeLicense and ActivateLicense may refuse a lapsed
 * licence with `License.Expired` or `License.Discard` instead of answering its status [V M14].
 */
export function lapsedStatusOfError(code: string): Extract<LicenseStatus, 'EXPIRED' | 'DISCARD'> | undefined {
  if (code === 'License.Expired') return 'EXPIRED';
  if (code === 'License.Discard') return 'DISCARD';
  return undefined;
}

/**
 * The attributes of a licence as a map. Codes seen: `package_version` (the SKU code), `orderBizId`,
 * `orderId`, `aliUid`, `expiresTime`, `activeAddress`, and [I] one per extra billing item.
 */
export function licenseAttributes(license: MarketLicense): Record<string, string> {
  const list = license.ExtendArray?.LicenseAttribute ?? [];
  return Object.fromEntries(
    list.filter((a) => a.Code !== undefined).map((a) => [a.Code as string, a.Value ?? '']),
  );
}
