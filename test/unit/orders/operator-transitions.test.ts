import { newRecord, transition, type InstanceRecord, type Policy } from '../../../scripts/hook/machine';

const policy: Policy = { onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true };
const T0 = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-02T00:00:00.000Z';

function record(patch: Partial<InstanceRecord>): InstanceRecord {
  return { ...newRecord('40017', 'spi', T0), skuId: 'yuncode1', ...patch };
}

describe('an operator retries a failed order', () => {
  it('creates the instance again when none was made (e.g. a SKU fixed in service.yaml)', () => {
    const failed = record({ state: 'failed', failure: 'SKU x maps to no edition' });
    const result = transition(failed, { type: 'retry', at: LATER }, policy);
    expect(result.record).toMatchObject({ state: 'provisioning', createRequested: true });
    expect(result.record.failure).toBeUndefined();
    expect(result.effects.map((e) => e.kind)).toEqual(['createInstance']);
  });

  it("continues a DeployedFailed instance's deployment and watches it, rather than creating a second one", () => {
    const failed = record({ state: 'failed', serviceInstanceId: 'si-1', failure: 'stack failed' });
    const result = transition(failed, { type: 'retry', at: LATER }, policy);
    expect(result.record).toMatchObject({ state: 'provisioning', serviceInstanceId: 'si-1' });
    expect(result.effects.map((e) => e.kind)).toEqual(['continueDeployment', 'watchDeployment']);
  });

  it.each(['active', 'provisioning', 'released', 'deleting', 'deleted'] as const)(
    'changes nothing in state %s',
    (state) => {
      const result = transition(
        record({ state, serviceInstanceId: 'si-1' }),
        { type: 'retry', at: LATER },
        policy,
      );
      expect(result.changed).toBe(false);
      expect(result.effects).toEqual([]);
    },
  );
});

describe('an operator releases an order by hand', () => {
  const release = { type: 'operatorRelease', at: LATER, reason: 'customer asked by ticket 42' } as const;

  it.each(['announced', 'provisioning', 'active', 'failed', 'expired'] as const)(
    'makes a %s order due for teardown now, keeping the reason',
    (state) => {
      const result = transition(record({ state, serviceInstanceId: 'si-1' }), release, policy);
      expect(result.record).toMatchObject({
        state: 'released',
        teardownAt: LATER,
        operatorReleaseReason: 'customer asked by ticket 42',
      });
      // The teardown itself is the scheduler's pass, behind the guard: no effect from the event.
      expect(result.effects).toEqual([]);
    },
  );

  it('brings a retained release forward, and ignores policies that keep released instances', () => {
    const retained = record({
      state: 'released',
      serviceInstanceId: 'si-1',
      teardownAt: '2026-01-08T00:00:00.000Z',
    });
    expect(transition(retained, release, policy).record.teardownAt).toBe(LATER);
    const kept = record({ state: 'released', serviceInstanceId: 'si-1' });
    expect(transition(kept, release, { ...policy, deleteOnRelease: false }).record.teardownAt).toBe(LATER);
  });

  it('then tears the instance down on the next teardownDue', () => {
    const released = transition(
      record({ state: 'active', serviceInstanceId: 'si-1' }),
      release,
      policy,
    ).record;
    const due = transition(released, { type: 'teardownDue', at: LATER }, policy);
    expect(due.record.state).toBe('deleting');
    expect(due.effects.map((e) => e.kind)).toEqual(['deleteInstance']);
  });

  it.each(['deleting', 'deleted'] as const)('changes nothing once %s', (state) => {
    expect(transition(record({ state, serviceInstanceId: 'si-1' }), release, policy).changed).toBe(false);
  });

  it('changes nothing for a release already due', () => {
    const due = record({ state: 'released', serviceInstanceId: 'si-1', teardownAt: T0 });
    expect(transition(due, release, policy).changed).toBe(false);
  });
});
