import { newRecord, type InstanceRecord } from '../../../scripts/hook/machine';
import { reconcileEvents } from '../../../scripts/hook/reconcile-events';
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
      reconcileEvents(
        undefined,
        instance({ Source: 'Market', Outputs: '{"FrontendUrl":"http://x"}' }),
        NOW,
        7,
      ),
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
      { type: 'expire', at: NOW.toISOString() },
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
      ).map((e) => e.type),
    ).toEqual(['instanceCreated', 'deployed']);
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
