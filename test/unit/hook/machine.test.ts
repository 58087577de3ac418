import {
  newRecord,
  transition,
  type InstanceRecord,
  type LifecycleEvent,
  type Policy,
} from '../../../scripts/hook/machine';

const policy: Policy = { onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true };
const T0 = '2026-01-01T00:00:00.000Z';

/** Applies events in order; returns the final record and every effect started. */
function run(
  events: LifecycleEvent[],
  p: Policy = policy,
  start: InstanceRecord = newRecord('40017', 'spi', T0),
) {
  let record = start;
  const effects: string[] = [];
  for (const event of events) {
    const result = transition(record, event, p);
    record = result.record;
    effects.push(...result.effects.map((e) => e.kind));
  }
  return { record, effects };
}

const create: LifecycleEvent = {
  type: 'create',
  at: T0,
  skuId: 'yuncode1',
  billingItems: { BackupStorage: '1' },
  expiresAt: '2026-02-01T00:00:00.000Z',
  orderId: 'o1',
};
/** The expiry the Marketplace sends once the paid end has come (an earlier one is ignored). */
const lapse: LifecycleEvent = { type: 'expire', at: '2026-02-01T00:00:00.000Z' };
const created: LifecycleEvent = { type: 'instanceCreated', at: T0, serviceInstanceId: 'si-1' };
const deployed: LifecycleEvent = { type: 'deployed', at: T0, outputs: { FrontendUrl: 'http://x' } };
const release = (at = '2026-02-10T00:00:00.000Z', refund = false): LifecycleEvent => ({
  type: 'release',
  at,
  refund,
});
const due = (at: string): LifecycleEvent => ({ type: 'teardownDue', at });

describe('lifecycle state machine', () => {
  it('provisions on create and becomes active once deployed', () => {
    const { record, effects } = run([create, created, deployed]);
    expect(record).toMatchObject({
      state: 'active',
      serviceInstanceId: 'si-1',
      outputs: { FrontendUrl: 'http://x' },
      orderIds: ['o1'],
    });
    expect(effects).toEqual(['createInstance', 'watchDeployment']);
  });

  it('treats a repeated create as a duplicate', () => {
    const first = run([create]);
    const again = transition(first.record, create, policy);
    expect(again.changed).toBe(false);
    expect(again.effects).toEqual([]);
  });

  it('tears down once, after the retention days', () => {
    const { record, effects } = run([create, created, deployed, release('2026-02-10T00:00:00.000Z')]);
    expect(record).toMatchObject({ state: 'released', teardownAt: '2026-02-17T00:00:00.000Z' });
    expect(transition(record, due('2026-02-16T23:59:59.000Z'), policy).changed).toBe(false);
    const teardown = run(
      [due('2026-02-17T00:00:00.000Z'), due('2026-02-18T00:00:00.000Z'), { type: 'deleted', at: T0 }],
      policy,
      record,
    );
    expect(teardown.record.state).toBe('deleted');
    expect([...effects, ...teardown.effects].filter((e) => e === 'deleteInstance')).toHaveLength(1);
  });

  it('tears down at once on a refund', () => {
    const { record } = run([create, created, deployed, release('2026-01-05T00:00:00.000Z', true)]);
    expect(record.teardownAt).toBe('2026-01-05T00:00:00.000Z');
  });

  it('only records a release when the policy keeps released instances', () => {
    const { record, effects } = run([create, created, deployed, release()], {
      ...policy,
      deleteOnRelease: false,
    });
    expect(record).toMatchObject({ state: 'released', teardownAt: undefined });
    expect(effects).toEqual(['createInstance', 'watchDeployment']);
    expect(transition(record, due('2099-01-01T00:00:00.000Z'), policy).changed).toBe(false);
  });

  it('stops on expiry and starts again on renewal', () => {
    const expired = run([create, created, deployed, lapse]);
    expect(expired.record).toMatchObject({ state: 'expired', stopped: true });
    expect(expired.effects).toContain('stopInstance');
    const renewed = run(
      [{ type: 'renew', at: T0, expiresAt: '2026-03-01T00:00:00.000Z', orderId: 'o2' }],
      policy,
      expired.record,
    );
    expect(renewed.record).toMatchObject({
      state: 'active',
      stopped: false,
      expiresAt: '2026-03-01T00:00:00.000Z',
    });
    expect(renewed.effects).toEqual(['extendEndTime', 'startInstance']);
  });

  it('keeps an expired instance running when the policy says keep', () => {
    const { record, effects } = run([create, created, deployed, lapse], {
      ...policy,
      onExpiry: 'keep',
    });
    expect(record).toMatchObject({ state: 'expired', stopped: false });
    expect(effects).not.toContain('stopInstance');
  });

  it('never moves an expiry date backwards', () => {
    const { record } = run([
      create,
      { type: 'renew', at: T0, expiresAt: '2025-01-01T00:00:00.000Z', orderId: 'old' },
    ]);
    expect(record.expiresAt).toBe('2026-02-01T00:00:00.000Z');
  });

  it('ignores a renewal after release', () => {
    const { record } = run([create, created, deployed, release()]);
    const late = transition(
      record,
      { type: 'renew', at: T0, expiresAt: '2027-01-01T00:00:00.000Z', orderId: 'o9' },
      policy,
    );
    expect(late.changed).toBe(false);
  });

  it('answers a release before create, and never deploys for it', () => {
    const { record, effects } = run([release('2026-01-02T00:00:00.000Z'), create]);
    expect(record.state).toBe('released');
    expect(effects).not.toContain('createInstance');
    const teardown = run([due('2026-01-09T00:00:00.000Z')], policy, record);
    expect(teardown.record.state).toBe('deleted');
    expect(teardown.effects).toEqual([]);
  });

  it('remembers a renewal that arrives before create', () => {
    const { record } = run([
      { type: 'renew', at: T0, expiresAt: '2026-06-01T00:00:00.000Z', orderId: 'o2' },
      create,
    ]);
    expect(record).toMatchObject({
      state: 'provisioning',
      expiresAt: '2026-06-01T00:00:00.000Z',
      orderIds: ['o2', 'o1'],
    });
  });

  it('applies an upgrade once deployed when it arrives while provisioning', () => {
    const upgrade: LifecycleEvent = {
      type: 'upgrade',
      at: T0,
      skuId: 'yuncode2',
      billingItems: { PublicEndpoint: '1' },
      orderId: 'u1',
    };
    const { record, effects } = run([create, upgrade, created, deployed]);
    expect(record).toMatchObject({
      state: 'active',
      skuId: 'yuncode2',
      billingItems: { BackupStorage: '1', PublicEndpoint: '1' },
    });
    expect(effects).toEqual(['createInstance', 'watchDeployment', 'applyUpgrade']);
    expect(transition(record, upgrade, policy).changed).toBe(false);
  });

  it('stops an instance that finishes deploying after its subscription lapsed', () => {
    const { record, effects } = run([create, created, lapse, deployed]);
    expect(record).toMatchObject({ state: 'expired', stopped: true });
    expect(effects).toEqual(['createInstance', 'watchDeployment', 'stopInstance']);
  });

  it('provisions again on renewal when the subscription lapsed before anything was created', () => {
    const { record, effects } = run([
      create,
      lapse,
      { type: 'renew', at: T0, expiresAt: '2026-05-01T00:00:00.000Z' },
    ]);
    expect(record.state).toBe('provisioning');
    expect(effects).toEqual(['createInstance', 'createInstance']);
  });

  it('holds an upgrade of a stopped instance until the renewal that starts it', () => {
    const upgrade: LifecycleEvent = {
      type: 'upgrade',
      at: T0,
      skuId: 'yuncode3',
      billingItems: {},
      orderId: 'u2',
    };
    const renew: LifecycleEvent = {
      type: 'renew',
      at: T0,
      expiresAt: '2026-04-01T00:00:00.000Z',
      orderId: 'r2',
    };
    const { record, effects } = run([create, created, deployed, lapse, upgrade, renew]);
    expect(record).toMatchObject({ state: 'active', skuId: 'yuncode3', pendingUpgrade: false });
    expect(effects).toEqual([
      'createInstance',
      'watchDeployment',
      'stopInstance',
      'extendEndTime',
      'startInstance',
      'applyUpgrade',
    ]);
  });

  it('records an instance deleted outside the hook', () => {
    const { record } = run([create, created, deployed, { type: 'deleted', at: T0, outside: true }]);
    expect(record).toMatchObject({ state: 'deleted', deletedOutside: true });
  });

  it('adopts an instance created by Compute Nest', () => {
    const { record, effects } = run(
      [
        {
          type: 'adopt',
          at: T0,
          serviceInstanceId: 'si-9',
          deployed: true,
          expiresAt: '2026-03-01T00:00:00.000Z',
        },
      ],
      policy,
      newRecord('si-9', 'computenest', T0),
    );
    expect(record).toMatchObject({ state: 'active', serviceInstanceId: 'si-9', source: 'computenest' });
    expect(effects).toEqual([]);
  });

  it('increments the revision on every change only', () => {
    const { record } = run([create, create, created]);
    expect(record.revision).toBe(2);
  });
});

describe('lifecycle state machine: creates that land late', () => {
  const start = newRecord('70001', 'spi', T0);
  it('deletes by name when a release overtakes a create whose id is not known yet', () => {
    const { record, effects } = run(
      [create, release('2026-01-01T00:00:01.000Z', true), due('2026-01-01T00:00:01.000Z')],
      policy,
      start,
    );
    expect(record.state).toBe('deleting');
    expect(effects).toEqual(['createInstance', 'deleteInstance']);
  });

  it('tears down an instance found after its record was closed', () => {
    const closed = run(
      [release('2026-01-01T00:00:00.000Z', true), due('2026-01-01T00:00:00.000Z')],
      policy,
      start,
    ).record;
    expect(closed.state).toBe('deleted');
    const found = transition(
      closed,
      { type: 'instanceCreated', at: '2026-01-02T00:00:00.000Z', serviceInstanceId: 'si-9' },
      policy,
    );
    expect(found.record).toMatchObject({
      state: 'released',
      serviceInstanceId: 'si-9',
      teardownAt: '2026-01-02T00:00:00.000Z',
    });
  });
});
