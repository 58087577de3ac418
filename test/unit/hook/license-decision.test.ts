import type { MarketLicense } from '../../../scripts/cloud/market-types';
import { decideActivation, licenseEvents, licenseTime } from '../../../scripts/hook/license/license-decision';
import { newRecord, type InstanceRecord } from '../../../scripts/hook/machine';
import { sampleModel } from '../../support/model';

const AT = '2026-01-05T00:00:00.000Z';
const license = (patch: Partial<MarketLicense> = {}): MarketLicense => ({
  LicenseStatus: 'INACTIVATED',
  LicenseCode: 'LIC-0001',
  InstanceId: '40017',
  ExpiredTime: '2026-02-01 08:00:00',
  ProductCode: 'cmjj-lic',
  ExtendArray: {
    LicenseAttribute: [
      { Code: 'package_version', Value: 'yuncode5012300002' },
      { Code: 'orderBizId', Value: '40017' },
      { Code: 'orderId', Value: '208801,208955' },
      { Code: 'aliUid', Value: '1234567890123456' },
      { Code: 'BackupStorage', Value: '1' },
    ],
  },
  ...patch,
});

describe('licence activation decision', () => {
  const model = sampleModel();

  it('provisions the edition of the licence SKU with its billing items and expiry', () => {
    expect(decideActivation(license(), model, AT)).toEqual({
      ok: true,
      instanceId: '40017',
      needsActivation: true,
      create: {
        type: 'create',
        at: AT,
        skuId: 'yuncode5012300002',
        billingItems: { BackupStorage: '1' },
        expiresAt: '2026-02-01T00:00:00.000Z',
        aliUid: '1234567890123456',
        orderId: '208801',
        source: 'license',
        licenseCode: 'LIC-0001',
      },
    });
    expect(decideActivation(license({ LicenseStatus: 'ACTIVATED' }), model, AT)).toMatchObject({
      ok: true,
      needsActivation: false,
    });
  });

  it('takes the buyer from ExtendInfo.AliUid (an int64) when no aliUid attribute names it', () => {
    const bare = license({
      ExtendArray: { LicenseAttribute: [{ Code: 'package_version', Value: 'yuncode5012300001' }] },
      ExtendInfo: { AliUid: 1234567890123456 },
    });
    expect(decideActivation(bare, model, AT)).toMatchObject({
      ok: true,
      create: { skuId: 'yuncode5012300001', billingItems: {}, aliUid: '1234567890123456' },
    });
  });

  it.each([
    ['EXPIRED', 410, 'LicenseExpired'],
    ['DISCARD', 410, 'LicenseDiscarded'],
    ['FROZEN', 409, 'LicenseStatusUnknown'],
  ])('refuses a %s licence', (status, code, name) => {
    expect(decideActivation(license({ LicenseStatus: status }), model, AT)).toMatchObject({
      ok: false,
      status: code,
      code: name,
    });
  });

  it('refuses a licence whose SKU maps to no edition', () => {
    const other = license({
      ExtendArray: { LicenseAttribute: [{ Code: 'package_version', Value: 'yuncode999' }] },
      ProductSkuId: undefined,
    });
    expect(decideActivation(other, model, AT)).toMatchObject({ ok: false, status: 422, code: 'UnknownSku' });
  });
});

describe('licence re-reads', () => {
  const active = (patch: Partial<InstanceRecord> = {}): InstanceRecord => ({
    ...newRecord('40017', 'license', AT),
    state: 'active',
    serviceInstanceId: 'si-1',
    expiresAt: '2026-02-01T00:00:00.000Z',
    ...patch,
  });

  it('learns a renewal, a lapse, the end of the retention and a discard', () => {
    const now = new Date('2026-01-20T00:00:00Z');
    expect(licenseEvents(active(), license({ LicenseStatus: 'ACTIVATED' }), now, 7)).toEqual([]);
    expect(
      licenseEvents(
        active(),
        license({ LicenseStatus: 'ACTIVATED', ExpiredTime: '2027-02-01 08:00:00' }),
        now,
        7,
      ),
    ).toEqual([{ type: 'renew', at: now.toISOString(), expiresAt: '2027-02-01T00:00:00.000Z' }]);
    expect(
      licenseEvents(active(), license({ LicenseStatus: 'EXPIRED' }), new Date('2026-02-02T00:00:00Z'), 7).map(
        (e) => e.type,
      ),
    ).toEqual(['expire']);
    expect(
      licenseEvents(
        active({ state: 'expired' }),
        license({ LicenseStatus: 'EXPIRED' }),
        new Date('2026-02-09T00:00:00Z'),
        7,
      ),
    ).toEqual([{ type: 'release', at: '2026-02-01T00:00:00.000Z', refund: false }]);
    expect(licenseEvents(active(), license({ LicenseStatus: 'DISCARD' }), now, 7).map((e) => e.type)).toEqual(
      ['release'],
    );
  });

  it('treats a licence known only by License.Expired or License.Discard as that status, from the record expiry', () => {
    const told = (status: string): MarketLicense => ({ LicenseCode: 'LIC-0001', LicenseStatus: status });
    // Lapsed before the end the record knows: stopped now, the retention runs from the paid end [I].
    const early = new Date('2026-01-20T00:00:00Z');
    expect(licenseEvents(active(), told('EXPIRED'), early, 7)).toEqual([
      { type: 'expire', at: early.toISOString(), confirmed: true },
    ]);
    expect(licenseEvents(active({ state: 'expired' }), told('EXPIRED'), early, 7)).toEqual([]);
    const late = new Date('2026-02-09T00:00:00Z');
    expect(licenseEvents(active({ state: 'expired' }), told('EXPIRED'), late, 7)).toEqual([
      { type: 'release', at: '2026-02-01T00:00:00.000Z', refund: false },
    ]);
    expect(licenseEvents(active(), told('DISCARD'), early, 7)).toEqual([
      { type: 'release', at: early.toISOString(), refund: false },
    ]);
    // No expiry in the answer is no renewal.
    expect(licenseEvents(active(), told('ACTIVATED'), early, 7)).toEqual([]);
  });

  it('reads licence times as Beijing time, or ISO-8601', () => {
    expect(licenseTime('2026-02-01 08:00:00')).toBe('2026-02-01T00:00:00.000Z');
    expect(licenseTime('2026-02-01T00:00:00Z')).toBe('2026-02-01T00:00:00.000Z');
    expect(licenseTime('soon')).toBeUndefined();
  });
});
