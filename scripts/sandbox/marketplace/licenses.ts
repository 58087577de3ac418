import type { SandboxCore } from '../core';
import { ApiError } from '../errors';
import type { LicenseRecord, MarketOrder, MarketProduct } from '../state';

export type LicenseStatus = 'INACTIVATED' | 'ACTIVATED' | 'EXPIRED' | 'DISCARD';

/** [I] Without `supplierAccountId`, a licence-mode product belongs to the account of the documented sandbox key. */
export const DEFAULT_SUPPLIER_ACCOUNT = '1000000000000001';

/**
 * Licences of licence-mode products: issued at purchase, activated by the ISV, and otherwise following
 * their order (renewal, upgrade, expiry, release). The error codes are [V M14]; the status 400 is [I].
 */
export function issueLicense(core: SandboxCore, product: MarketProduct, order: MarketOrder): LicenseRecord {
  const license: LicenseRecord = {
    licenseCode: `LIC-${core.newId('', 10).toUpperCase()}`,
    orderBizId: order.orderBizId,
    ownerAccountId: product.supplierAccountId ?? DEFAULT_SUPPLIER_ACCOUNT,
    createdMs: core.now(),
  };
  core.state.licenses[license.licenseCode] = license;
  order.licenseCode = license.licenseCode;
  return license;
}

/**
 * [I] DISCARD once the order is released, EXPIRED while it is lapsed, else ACTIVATED or INACTIVATED
 * by whether it was ever activated: a renewal of an expired order restores the earlier state.
 */
export function licenseStatus(license: LicenseRecord, order: MarketOrder): LicenseStatus {
  if (order.status === 'released') return 'DISCARD';
  if (order.status === 'expired') return 'EXPIRED';
  return license.activatedMs === undefined ? 'INACTIVATED' : 'ACTIVATED';
}

/** [I] Another account's licence reads as unknown, so codes cannot be probed across accounts. */
export function findLicense(core: SandboxCore, code: string, accountId: string): LicenseRecord {
  const license = core.state.licenses[code];
  if (!license || license.ownerAccountId !== accountId) throw licenseError('NotFound', code);
  return license;
}

export function orderOfLicense(core: SandboxCore, license: LicenseRecord): MarketOrder {
  return core.state.orders[license.orderBizId];
}

/**
 * ActivateLicense: INACTIVATED → ACTIVATED. [I] Repeating it for an ACTIVATED licence succeeds when it
 * names the same Identification or none, and is refused with License.Invalid for a different one.
 */
export function activateLicense(core: SandboxCore, license: LicenseRecord, identification?: string): void {
  const status = licenseStatus(license, orderOfLicense(core, license));
  if (status === 'EXPIRED') throw licenseError('Expired', license.licenseCode);
  if (status === 'DISCARD') throw licenseError('Discard', license.licenseCode);
  if (status === 'ACTIVATED') {
    const earlier = license.identification;
    if (identification !== undefined && earlier !== undefined && identification !== earlier)
      throw licenseError('Invalid', license.licenseCode);
    return;
  }
  license.activatedMs = core.now();
  license.identification = identification;
}

const MESSAGES = {
  NotFound: 'The license does not exist.',
  Expired: 'The license has expired.',
  Discard: 'The license has been discarded.',
  Invalid: 'The license is already activated with another identification.',
} as const;

function licenseError(kind: keyof typeof MESSAGES, code: string): ApiError {
  return new ApiError(400, `License.${kind}`, `${MESSAGES[kind]} LicenseCode: ${code}`);
}
