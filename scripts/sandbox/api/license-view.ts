import type { SandboxCore } from '../core';
import { licenseStatus, orderOfLicense } from '../marketplace/licenses';
import type { LicenseRecord, MarketOrder } from '../state';
import { spiTime } from '../../marketplace/spi-token';
import type { DescribeLicenseResponse } from '../../api-models/generated/market';

/** A licence as the Market model shapes it. */
export type LicenseView = NonNullable<DescribeLicenseResponse['License']>;

/**
 * How a licence reads in DescribeLicense [V M13 field names]. Times are `yyyy-MM-dd HH:mm:ss` in
 * Beijing time [I: as the SPI times]; ActivateTime is absent until activation [I].
 */
export function licenseView(core: SandboxCore, license: LicenseRecord): LicenseView {
  const order = orderOfLicense(core, license);
  const product = core.state.products[order.productCode];
  return {
    LicenseCode: license.licenseCode,
    LicenseStatus: licenseStatus(license, order),
    InstanceId: order.orderBizId,
    CreateTime: spiTime(license.createdMs),
    ActivateTime: license.activatedMs === undefined ? undefined : spiTime(license.activatedMs),
    ExpiredTime: spiTime(order.expiredOnMs),
    ProductCode: order.productCode,
    ProductName: product?.productName,
    // [I] The SKU the order is on now; the real field may be a numeric SKU id.
    ProductSkuId: order.skuId,
    SupplierName: product?.supplierName,
    ExtendArray: { LicenseAttribute: licenseAttributeList(order) },
    ExtendInfo: { AliUid: uid(order.aliUid) },
  };
}

/**
 * `ExtendInfo.AliUid` is an int64 in the model. [I] A uid beyond JavaScript's exact integers (2^53) is
 * left out rather than rounded; the `aliUid` attribute always carries it as text.
 */
function uid(aliUid: string): number | undefined {
  const n = Number(aliUid);
  return /^\d+$/.test(aliUid) && Number.isSafeInteger(n) ? n : undefined;
}

/**
 * The codes of [V M13], then [I] one per extra billing item with its current value (an item never
 * shadows a standard code). [I] `expiresTime` has the format of ExpiredTime.
 */
export function licenseAttributeList(order: MarketOrder): { Code: string; Value: string }[] {
  const standard: Record<string, string> = {
    package_version: order.skuId,
    orderBizId: order.orderBizId,
    orderId: order.orderIds.join(','),
    aliUid: order.aliUid,
    expiresTime: spiTime(order.expiredOnMs),
  };
  const items = Object.entries(order.modules).filter(([code]) => !(code in standard));
  return [...Object.entries(standard), ...items].map(([Code, Value]) => ({ Code, Value }));
}
