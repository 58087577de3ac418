import {
  newRecord,
  transition,
  type InstanceRecord,
  type LifecycleEvent,
  type Policy,
} from '../../../scripts/hook/machine';

const policy: Policy = { onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true };
const create: LifecycleEvent = {
  type: 'create',
  at: '2026-01-01T00:00:00.000Z',
  skuId: 'yuncode1',
  billingItems: { BackupStorage: '0' },
  expiresAt: '2026-02-01T00:00:00.000Z',
  orderId: 'o1',
};
const deployedEvents: LifecycleEvent[] = [
  { type: 'instanceCreated', at: '2026-01-01T00:01:00.000Z', serviceInstanceId: 'si-1' },
  { type: 'deployed', at: '2026-01-01T00:10:00.000Z', outputs: { FrontendUrl: 'http://x' } },
];
const renewal: LifecycleEvent = {
  type: 'renew',
  at: '2026-01-25T00:00:00.000Z',
  expiresAt: '2027-02-01T00:00:00.000Z',
  orderId: 'o2',
};
const lapse = (at: string): LifecycleEvent => ({ type: 'expire', at });

function run(events: LifecycleEvent[], start: InstanceRecord = newRecord('40017', 'spi', create.at)) {
  let record = start;
  const effects: string[] = [];
  const stale: string[] = [];
  for (const event of events) {
    const t = transition(record, event, policy);
    record = t.record;
    effects.push(...t.effects.map((e) => e.kind));
    if (t.stale) stale.push(t.stale);
  }
  return { record, effects, stale };
}

describe('events judged by what they say (issue 14.2)', () => {
  const live = run([create, ...deployedEvents]).record;

  it('crash storm: an expiry retried after the renewal leaves the renewed, paid instance running', () => {
    const { record, effects, stale } = run([renewal, lapse('2026-02-01T00:00:05.000Z')], live);
    expect(record).toMatchObject({ state: 'active', stopped: false, expiresAt: renewal.expiresAt });
    expect(effects).toEqual(['extendEndTime']);
    expect(stale).toEqual([expect.stringMatching(/before the paid end 2027-02-01/)]);
  });

  it('a captured expiry replayed after the buyer renewed stops nothing', () => {
    const expired = run([lapse('2026-02-01T00:00:00.000Z')], live).record;
    const renewed = run([{ ...renewal, at: '2026-02-03T00:00:00.000Z' }], expired);
    expect(renewed.record).toMatchObject({ state: 'active', stopped: false });
    const replay = run([lapse('2026-02-05T00:00:00.000Z')], renewed.record);
    expect(replay.record).toEqual(renewed.record);
    expect(replay.effects).toEqual([]);
  });

  it('a captured renewal replayed after an expiry starts nothing (once per orderId)', () => {
    const renewed = run([renewal], live).record;
    const expired = run([lapse('2027-02-01T00:00:00.000Z')], renewed).record;
    expect(expired).toMatchObject({ state: 'expired', stopped: true });
    const replay = run([{ ...renewal, at: '2027-02-02T00:00:00.000Z' }], expired);
    expect(replay.record).toEqual(expired);
    expect(replay.stale).toEqual([expect.stringMatching(/o2 already applied/)]);
  });

  it('a renewal whose end is in the past reactivates nothing', () => {
    const expired = run([lapse('2026-02-01T00:00:00.000Z')], live).record;
    const past = run(
      [
        {
          type: 'renew',
          at: '2026-03-01T00:00:00.000Z',
          expiresAt: '2026-02-15T00:00:00.000Z',
          orderId: 'o9',
        },
      ],
      expired,
    );
    expect(past.record).toEqual(expired);
    expect(past.effects).toEqual([]);
    expect(past.stale).toEqual([expect.stringMatching(/before it was sent/)]);
  });

  it('a renewal that does not move the end later changes nothing, even with a new orderId', () => {
    const older = run(
      [
        {
          type: 'renew',
          at: '2026-01-20T00:00:00.000Z',
          expiresAt: '2026-01-31T00:00:00.000Z',
          orderId: 'o3',
        },
      ],
      live,
    );
    expect(older.record).toEqual(live);
  });

  it('crash storm: an expiry before the retried create leaves the order expired, deploying nothing', () => {
    const { record } = run([lapse('2026-02-01T00:00:00.000Z'), create]);
    expect(record.state).toBe('expired');
    // The create job finds the order expired and does nothing (effects.ts); a renewal deploys it.
    const renewed = run([{ ...renewal, at: '2026-02-02T00:00:00.000Z' }], record);
    expect(renewed.record.state).toBe('provisioning');
    expect(renewed.effects).toEqual(['createInstance']);
  });

  it('crash storm: an upgrade before the retried create is deployed as the upgraded plan', () => {
    const upgrade: LifecycleEvent = {
      type: 'upgrade',
      at: '2026-01-10T00:00:00.000Z',
      skuId: 'yuncode2',
      billingItems: { BackupStorage: '1' },
      orderId: 'o5',
    };
    const { record, effects } = run([upgrade, create]);
    expect(record).toMatchObject({
      state: 'provisioning',
      skuId: 'yuncode2',
      billingItems: { BackupStorage: '1' },
    });
    expect(effects).toEqual(['createInstance']);
  });

  it('an upgrade older than the one the record holds changes nothing', () => {
    const newer: LifecycleEvent = {
      type: 'upgrade',
      at: '2026-01-20T00:00:00.000Z',
      skuId: 'yuncode3',
      billingItems: {},
      orderId: 'o7',
    };
    const older: LifecycleEvent = {
      type: 'upgrade',
      at: '2026-01-10T00:00:00.000Z',
      skuId: 'yuncode2',
      billingItems: {},
      orderId: 'o6',
    };
    const { record, effects } = run([newer, older], live);
    expect(record.skuId).toBe('yuncode3');
    expect(effects).toEqual(['applyUpgrade']);
  });
});
