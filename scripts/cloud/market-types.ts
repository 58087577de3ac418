/**
 * Requests and responses of the Marketplace licence API (Market 2015-11-01) that licence mode uses.
 * Field names follow the generated SDK models.
 */

export type LicenseStatus = 'ACTIVATED' | 'INACTIVATED' | 'EXPIRED' | 'DISCARD';

export interface LicenseAttribute {
  Code: string;
  Value: string;
}

export interface MarketLicense {
  LicenseStatus: LicenseStatus | string;
  LicenseCode: string;
  /** The Marketplace instance id of the order. */
  InstanceId: string;
  CreateTime?: string;
  ActivateTime?: string;
  /** `yyyy-MM-dd HH:mm:ss` [I: Beijing time, as the SPI times]. */
  ExpiredTime: string;
  ProductCode: string;
  ProductName?: string;
  ProductSkuId?: string;
  SupplierName?: string;
  /**
   * Codes `package_version` (the SKU code), `orderBizId`, `orderId` (comma-separated), `aliUid`,
   * `expiresTime`, `activeAddress`, and [I] one per extra billing item. The generated SDK wraps the
   * list as `{LicenseAttribute: [...]}`; a plain list is accepted too.
   */
  ExtendArray?: { LicenseAttribute?: LicenseAttribute[] } | LicenseAttribute[];
  ExtendInfo?: {
    AliUid?: string | number;
    AccountQuantity?: string | number;
    Email?: string;
    Mobile?: string;
  };
}

export interface DescribeLicenseRequest {
  LicenseCode: string;
}
export interface DescribeLicenseResponse {
  License: MarketLicense;
}

export interface ActivateLicenseRequest {
  LicenseCode: string;
  /** The buyer's Alibaba Cloud uid. */
  Identification?: string;
}
export interface ActivateLicenseResponse {
  Success: boolean;
}

/** The attributes of a licence as a map, whichever shape ExtendArray came in. */
export function licenseAttributes(license: MarketLicense): Record<string, string> {
  const raw = license.ExtendArray;
  const list = Array.isArray(raw) ? raw : (raw?.LicenseAttribute ?? []);
  return Object.fromEntries(list.map((a) => [a.Code, a.Value]));
}
