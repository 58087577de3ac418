import { newRecord, type InstanceRecord } from '../../../scripts/hook/machine';
import { modulesOf, needsDetail, reconcileEvents } from '../../../scripts/hook/reconcile-events';
import { sampleModel } from '../../support/model';

const SAMPLE_MODEL = sampleModel();
import { checkTeardownPass, DEFAULT_TEARDOWN_LIMITS } from '../../../scripts/hook/teardown-guard';

const NOW = new Date('2026-03-01T00:00:00.000Z');
const active = (patch: Partial<InstanceRecord> = {}): InstanceRecord => ({
  ...newRecord('40017', 'spi', '2026-01-01T00:00:00.000Z'),
  state: 'active',
  serviceInstanceId: 'si-1',
  outputs: { FrontendUrl: 'http://x' },
  expiresAt: '2026-02-01T00:00:00.000Z',
  ...patch,
});
const instance = (patch: object = {}) => ({
  ServiceInstanceId: 'si-1',
  Status: 'Deployed',
  BizStatus: 'Normal',
  EndTime: '2026-02-01T00:00:00Z',
  ...patch,
});

describe('reconciler observations', () => {
  it('adopts an unknown instance', () => {
    expect(
      reconcileEvents(undefined, instance({ Source: 'Market' }), NOW, 7, {
        // Outputs come from GetServiceInstance: the list carries none.
        detail: { Outputs: '{"FrontendUrl":"http://x"}' },
      }),
    ).toEqual([
      {
        type: 'adopt',
        at: NOW.toISOString(),
        serviceInstanceId: 'si-1',
        deployed: true,
        expiresAt: '2026-02-01T00:00:00.000Z',
        outputs: { FrontendUrl: 'http://x' },
      },
    ]);
    expect(reconcileEvents(undefined, instance({ Status: 'Deleted', Source: 'Market' }), NOW, 7)).toEqual([]);
    // an instance the ISV made by hand is not the hook's
    expect(reconcileEvents(undefined, instance({ Source: 'Supplier' }), NOW, 7)).toEqual([]);
  });

  it('sees nothing to do for an instance that matches its record', () => {
    expect(reconcileEvents(active(), instance(), new Date('2026-01-15T00:00:00Z'), 7)).toEqual([]);
  });

  it('expires an instance whose BizStatus is Expired, and releases it once the retention is over', () => {
    expect(
      reconcileEvents(active(), instance({ BizStatus: 'Expired' }), new Date('2026-02-02T00:00:00Z'), 7).map(
        (e) => e.type,
      ),
    ).toEqual(['expire']);
    expect(reconcileEvents(active(), instance({ BizStatus: 'Expired' }), NOW, 7)).toEqual([
      { type: 'expire', at: NOW.toISOString(), confirmed: true },
      { type: 'release', at: '2026-02-01T00:00:00.000Z', refund: false },
    ]);
  });

  it('learns a renewal from a later EndTime', () => {
    expect(
      reconcileEvents(active({ state: 'expired' }), instance({ EndTime: '2026-06-01T00:00:00Z' }), NOW, 7),
    ).toEqual([{ type: 'renew', at: NOW.toISOString(), expiresAt: '2026-06-01T00:00:00.000Z' }]);
  });

  it('records an instance deleted outside the hook, and repairs a missed deployment watch', () => {
    expect(reconcileEvents(active(), instance({ Status: 'Deleted' }), NOW, 7)).toEqual([
      { type: 'deleted', at: NOW.toISOString(), outside: true },
    ]);
    expect(
      reconcileEvents(
        active({ state: 'provisioning', serviceInstanceId: undefined, outputs: undefined }),
        instance({ EndTime: undefined }),
        NOW,
        7,
        { detail: { Outputs: '{}' } },
      ).map((e) => e.type),
    ).toEqual(['instanceCreated', 'deployed']);
  });

  it('reads outputs only from GetServiceInstance: without the detail a deployed record waits', () => {
    const unwatched = active({ state: 'provisioning', outputs: undefined });
    expect(needsDetail(unwatched, instance())).toBe(true);
    expect(needsDetail(active(), instance())).toBe(false);
    expect(needsDetail(undefined, instance({ Source: 'Market' }))).toBe(true);
    expect(needsDetail(undefined, instance({ Source: 'Supplier' }))).toBe(false);
    expect(reconcileEvents(unwatched, instance({ EndTime: undefined }), NOW, 7)).toEqual([]);
    expect(
      reconcileEvents(unwatched, instance({ EndTime: undefined }), NOW, 7, {
        detail: { Outputs: '{"FrontendUrl":"http://y"}' },
      }),
    ).toEqual([{ type: 'deployed', at: NOW.toISOString(), outputs: { FrontendUrl: 'http://y' } }]);
  });

  it('adopts a Compute Nest-mode order with the edition of its plan and the modules of its parameters', () => {
    const basic = SAMPLE_MODEL.editions[0];
    const [module] = SAMPLE_MODEL.modules;
    const parameters = JSON.stringify({ ZoneId: 'cn-hangzhou-k', [module.parameter]: true });
    const [event] = reconcileEvents(
      undefined,
      instance({ Source: 'Market', Parameters: parameters }),
      NOW,
      7,
      { detail: { PredefinedParameterName: basic.name, Parameters: parameters }, model: SAMPLE_MODEL },
    );
    expect(event).toMatchObject({
      type: 'adopt',
      skuId: basic.specificationCode,
      billingItems: { [module.billingItem]: '1' },
    });
    expect(modulesOf(SAMPLE_MODEL, JSON.stringify({ [module.parameter]: false }))).toEqual({
      [module.billingItem]: '0',
    });
    expect(modulesOf(SAMPLE_MODEL, 'not json')).toEqual({});
    // a bundle plan (`basic+backup`) is its edition, with the bundle's modules in its parameters
    const bundled = {
      ...SAMPLE_MODEL,
      editions: [{ ...basic, bundles: [{ modules: [module.name], specificationCode: 'yuncode-bundle' }] }],
    };
    expect(
      reconcileEvents(undefined, instance({ Source: 'Market' }), NOW, 7, {
        detail: { PredefinedParameterName: `${basic.name}+${module.name}`, Parameters: parameters },
        model: bundled,
      })[0],
    ).toMatchObject({
      type: 'adopt',
      skuId: basic.specificationCode,
      billingItems: { [module.billingItem]: '1' },
    });
    // a plan the service does not have: no SKU rather than a wrong one
    expect(
      reconcileEvents(undefined, instance({ Source: 'Market' }), NOW, 7, {
        detail: { PredefinedParameterName: 'Gold' },
        model: SAMPLE_MODEL,
      })[0],
    ).toMatchObject({ type: 'adopt', skuId: undefined });
  });
});

describe('teardown guard', () => {
  it('lets a normal pass through', () => {
    expect(checkTeardownPass(3, 4, DEFAULT_TEARDOWN_LIMITS)).toEqual({ allowed: true });
    expect(checkTeardownPass(20, 100, DEFAULT_TEARDOWN_LIMITS)).toEqual({ allowed: true });
  });

  it('stops a pass over the count or the share', () => {
    expect(checkTeardownPass(101, 10000, DEFAULT_TEARDOWN_LIMITS)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('limit is 100'),
    });
    expect(checkTeardownPass(30, 100, DEFAULT_TEARDOWN_LIMITS)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('30%'),
    });
  });
});
