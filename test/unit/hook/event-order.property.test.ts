import fc from 'fast-check';
import {
  ENDED_STATES,
  newRecord,
  transition,
  type InstanceRecord,
  type LifecycleEvent,
  type Policy,
} from '../../../scripts/hook/machine';

const policy: Policy = { onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true };
const T0 = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

type Step =
  | { kind: 'renew'; gapHours: number; days: number }
  | { kind: 'upgrade'; gapHours: number; sku: string; backup: boolean; endpoint: boolean }
  | { kind: 'expire'; gapHours: number };

const items = (backup: boolean, endpoint: boolean) => ({
  BackupStorage: backup ? '1' : '0',
  PublicEndpoint: endpoint ? '1' : '0',
});

/**
 * A valid history of one order, as the Marketplace would send it in order: a create (with a paid end,
 * or none for pay-as-you-go), renewals that each move the end later, upgrades, expiries only once the
 * end has passed, and maybe a release.
 */
const history = fc
  .record({
    endDays: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
    steps: fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('renew' as const),
          gapHours: fc.integer({ min: 1, max: 2000 }),
          days: fc.integer({ min: 1, max: 365 }),
        }),
        fc.record({
          kind: fc.constant('upgrade' as const),
          gapHours: fc.integer({ min: 1, max: 2000 }),
          sku: fc.constantFrom('yuncode1', 'yuncode2', 'yuncode3'),
          backup: fc.boolean(),
          endpoint: fc.boolean(),
        }),
        fc.record({ kind: fc.constant('expire' as const), gapHours: fc.integer({ min: 0, max: 2000 }) }),
      ),
      { maxLength: 8 },
    ),
    release: fc.option(fc.record({ gapHours: fc.integer({ min: 1, max: 2000 }), refund: fc.boolean() }), {
      nil: undefined,
    }),
  })
  .map(({ endDays, steps, release }) => {
    let t = T0;
    let end = endDays === undefined ? undefined : T0 + endDays * DAY;
    const events: LifecycleEvent[] = [
      {
        type: 'create',
        at: iso(t),
        skuId: 'yuncode1',
        billingItems: items(false, false),
        expiresAt: end === undefined ? undefined : iso(end),
        orderId: 'o-create',
      },
    ];
    steps.forEach((step: Step, i) => {
      t += step.gapHours * HOUR;
      if (step.kind === 'renew') {
        end = Math.max(t, end ?? t) + step.days * DAY;
        events.push({ type: 'renew', at: iso(t), expiresAt: iso(end), orderId: `o-renew-${i}` });
      } else if (step.kind === 'upgrade') {
        events.push({
          type: 'upgrade',
          at: iso(t),
          skuId: step.sku,
          billingItems: items(step.backup, step.endpoint),
          orderId: `o-upgrade-${i}`,
        });
      } else {
        t = Math.max(t, end ?? t);
        events.push({ type: 'expire', at: iso(t) });
      }
    });
    if (release)
      events.push({ type: 'release', at: iso(t + release.gapHours * HOUR), refund: release.refund });
    return events;
  });

/** A delivery of a history: every event at least once, some again (retries, replays), in any order. */
const delivery = history.chain((events) =>
  fc
    .tuple(
      fc.array(fc.nat(events.length - 1), { maxLength: 2 * events.length }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
        minLength: 3 * events.length,
        maxLength: 3 * events.length,
      }),
    )
    .map(([again, keys]) => {
      const sent = [...events, ...again.map((i) => events[i])];
      const order = sent.map((event, i) => ({ event, key: keys[i] })).sort((a, b) => a.key - b.key);
      return { events, delivered: order.map((o) => o.event) };
    }),
);

function apply(events: LifecycleEvent[]): InstanceRecord {
  return events.reduce((r, event) => transition(r, event, policy).record, newRecord('40017', 'spi', iso(T0)));
}

/** What the order is, as the buyer and the ISV see it (not the revision counter or the times of change). */
function outcome(r: InstanceRecord) {
  if (ENDED_STATES.includes(r.state))
    return { state: r.state, refunded: r.refunded, teardownAt: r.teardownAt };
  return { state: r.state, expiresAt: r.expiresAt, skuId: r.skuId, billingItems: r.billingItems };
}

describe('event order (issue 14.2)', () => {
  it('ends any order, duplication and replay of a valid history in the state of the history itself', () => {
    fc.assert(
      fc.property(delivery, ({ events, delivered }) => {
        expect(outcome(apply(delivered))).toEqual(outcome(apply(events)));
      }),
      { numRuns: 2000 },
    );
  });

  it('applies every event of a valid history delivered in order (none is judged stale)', () => {
    fc.assert(
      fc.property(history, (events) => {
        let r = newRecord('40017', 'spi', iso(T0));
        for (const event of events) {
          const t = transition(r, event, policy);
          expect(t.stale).toBeUndefined();
          r = t.record;
        }
      }),
    );
  });

  it('changes nothing when any event of the history is replayed after the history', () => {
    fc.assert(
      fc.property(
        history.chain((events) => fc.tuple(fc.constant(events), fc.nat(events.length - 1))),
        ([events, i]) => {
          const done = apply(events);
          const replayed = transition(done, events[i], policy);
          expect(outcome(replayed.record)).toEqual(outcome(done));
          expect(replayed.effects.map((e) => e.kind)).not.toContain('startInstance');
          expect(replayed.effects.map((e) => e.kind)).not.toContain('stopInstance');
        },
      ),
    );
  });
});
