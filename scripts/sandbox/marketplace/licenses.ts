import type { SandboxCore } from '../core';
import { ApiError } from '../errors';
import type { Caller } from '../signature/authenticate';
import type { LicenseRecord, MarketOrder, MarketProduct } from '../state';

type LicenseAction = 'DescribeLicense' | 'ActivateLicense';
const LICENSE_ACTIONS: readonly LicenseAction[] = ['DescribeLicense', 'ActivateLicense'];

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

/**
 * The licence a licence call names, for this caller: License.NotFound for an unknown code, then the
 * caller-type rule of the product (`accountOnlyLicenseCalls`), then Auth.Match for a licence of
 * another account's product [I: the order of the three checks; the status 403 of the Auth codes].
 */
export function findLicense(
  core: SandboxCore,
  code: string,
  caller: Pick<Caller, 'accountId' | 'callerType'>,
  action: LicenseAction,
): LicenseRecord {
  const license = Object.hasOwn(core.state.licenses, code) ? core.state.licenses[code] : undefined;
  if (!license) throw licenseError('NotFound', code);
  const product = core.state.products[orderOfLicense(core, license).productCode];
  const accountOnly = product?.accountOnlyLicenseCalls ?? ['ActivateLicense'];
  if (caller.callerType !== 'account' && accountOnly.includes(action)) throw callerRefused(caller.callerType);
  if (license.ownerAccountId !== caller.accountId)
    throw new ApiError(
      403,
      'Auth.Match',
      `The license does not belong to a product of the caller. LicenseCode: ${code}`,
    );
  return license;
}

/**
 * [I] A RAM user is refused with Auth.SubAccount.Error and an STS caller with Auth.CallerType
 * ([V M14] names Auth.CallerType for both on ActivateLicense; which code a real RAM user gets is not known).
 */
function callerRefused(callerType: Caller['callerType']): ApiError {
  return callerType === 'ram-user'
    ? new ApiError(
        403,
        'Auth.SubAccount.Error',
        'RAM users may not call this API; use the account AccessKey.',
      )
    : new ApiError(403, 'Auth.CallerType', 'The caller type is not supported; use the account AccessKey.');
}

/**
 * [I] DescribeLicense of a lapsed licence: its status (EXPIRED, DISCARD), or with the product option
 * `licenseLapseAs: error` the error License.Expired or License.Discard instead.
 */
export function describableLicense(core: SandboxCore, license: LicenseRecord): LicenseRecord {
  const order = orderOfLicense(core, license);
  if (core.state.products[order.productCode]?.licenseLapseAs !== 'error') return license;
  const status = licenseStatus(license, order);
  if (status === 'EXPIRED') throw licenseError('Expired', license.licenseCode);
  if (status === 'DISCARD') throw licenseError('Discard', license.licenseCode);
  return license;
}

/** Refuses licence-mode product options the sandbox does not know, naming the field. */
export function checkLicenseOptions(input: Partial<MarketProduct>): void {
  const bad = (message: string) => new ApiError(400, 'InvalidParameter', message);
  if (input.licenseLapseAs !== undefined && !['status', 'error'].includes(input.licenseLapseAs))
    throw bad('licenseLapseAs must be status or error');
  const calls = input.accountOnlyLicenseCalls;
  if (calls !== undefined && (!Array.isArray(calls) || calls.some((c) => !LICENSE_ACTIONS.includes(c))))
    throw bad(`accountOnlyLicenseCalls must be a list of ${LICENSE_ACTIONS.join(', ')}`);
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
