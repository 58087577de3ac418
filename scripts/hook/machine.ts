/**
 * The lifecycle of one Marketplace order's instance, as a pure function:
 * `transition(record, event, policy) → { record, effects }`. No clock, no I/O: events carry their time,
 * effects are data that the worker runs from the durable job table. Out-of-order, duplicate and late
 * events are answered from this table and never undo a release.
 */
import type { Effect, InstanceRecord, LifecycleEvent, Policy, Source, State, Transition } from './lifecycle';
import { lapseHolds, staleReason } from './stale-events';

export { STATES } from './lifecycle';
export type {
  Effect,
  EffectKind,
  InstanceRecord,
  LifecycleEvent,
  Policy,
  Source,
  State,
  Transition,
} from './lifecycle';

export const DAY_MS = 24 * 60 * 60 * 1000;
// The sets of states other parts ask about, each named once here and imported.
/** The order is over (released, being torn down, gone): renewals, upgrades and a second release no longer apply. */
export const ENDED_STATES: readonly State[] = ['released', 'deleting', 'deleted'];
/** The subscription is in force: what the licence pass re-reads. */
export const IN_FORCE_STATES: readonly State[] = ['provisioning', 'active', 'failed', 'expired'];
/** An instance is there (or on its way) and not being deleted: the teardown guard's fleet. */
export const LIVE_STATES: readonly State[] = [...IN_FORCE_STATES, 'released'];
/** Records whose instance the reconciler watches: the live ones and those being deleted. */
export const WATCHED_STATES: readonly State[] = [...LIVE_STATES, 'deleting'];
/** Being torn down or gone: news of a deployment no longer applies. */
export const TEARDOWN_STATES: readonly State[] = ['deleting', 'deleted'];

export function newRecord(id: string, source: Source, at: string): InstanceRecord {
  return {
    id,
    source,
    state: 'announced',
    revision: 0,
    billingItems: {},
    orderIds: [],
    stopped: false,
    pendingUpgrade: false,
    createRequested: false,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * The one transition table. Reading it top to bottom: for each event, which states it moves and what it
 * asks the worker to do. Anything not listed leaves the record as it is (a duplicate or a late event).
 */
export function transition(current: InstanceRecord, event: LifecycleEvent, policy: Policy): Transition {
  const r = current;
  const next = (patch: Partial<InstanceRecord>, effects: Effect[] = []): Transition => ({
    record: { ...r, ...patch, revision: r.revision + 1, updatedAt: event.at },
    effects,
    changed: true,
  });
  const same: Transition = { record: r, effects: [], changed: false };
  const stale = staleReason(r, event);
  if (stale) return { ...same, stale };

  switch (event.type) {
    case 'create':
      if (r.state === 'announced') {
        const expiresAt = laterOf(r.expiresAt, event.expiresAt);
        return next(
          {
            // An expiry that came before the retried create still holds unless a later end is paid.
            state: lapseHolds(r.lapsedAt, expiresAt) ? 'expired' : 'provisioning',
            source: event.source ?? r.source,
            // An upgrade that came first is newer than the create: its plan wins.
            skuId: r.upgradedAt && r.skuId && r.upgradedAt > event.at ? r.skuId : event.skuId,
            billingItems: { ...event.billingItems, ...r.billingItems },
            expiresAt,
            aliUid: event.aliUid,
            orderIds: addOrder(r.orderIds, event.orderId),
            createRequested: true,
            licenseCode: event.licenseCode,
          },
          [{ kind: 'createInstance' }],
        );
      }
      return same; // a repeated create, or a create after release: answered from the record

    case 'adopt':
      if (r.state !== 'announced' || r.serviceInstanceId) return same;
      return next(
        {
          state: event.deployed ? 'active' : 'provisioning',
          serviceInstanceId: event.serviceInstanceId,
          skuId: event.skuId,
          billingItems: event.billingItems ?? r.billingItems,
          expiresAt: event.expiresAt,
          outputs: event.outputs,
        },
        event.deployed ? [] : [{ kind: 'watchDeployment' }],
      );

    case 'instanceCreated':
      if (r.serviceInstanceId) return same;
      // An instance found after its record was closed (a create that landed after a crash): tear it down.
      if (r.state === 'deleted')
        return next({ serviceInstanceId: event.serviceInstanceId, state: 'released', teardownAt: event.at });
      // Watched in any live state: an instance that lapsed or was released while being created must
      // still be seen deployed, to be stopped or torn down.
      return next(
        { serviceInstanceId: event.serviceInstanceId },
        r.state === 'deleting' || r.state === 'released' ? [] : [{ kind: 'watchDeployment' }],
      );

    case 'deployed':
      if (r.state === 'provisioning') {
        return next(
          { state: 'active', outputs: event.outputs, pendingUpgrade: false },
          r.pendingUpgrade ? [{ kind: 'applyUpgrade' }] : [],
        );
      }
      if (r.outputs) return same;
      // Deployed after the subscription lapsed: apply the expiry policy now that there is something to stop.
      if (r.state === 'expired' && policy.onExpiry === 'stop') {
        return next({ outputs: event.outputs, stopped: true }, [{ kind: 'stopInstance' }]);
      }
      return next({ outputs: event.outputs });

    case 'deployFailed':
      return r.state === 'provisioning' ? next({ state: 'failed', failure: event.reason }) : same;

    case 'renew': {
      if (ENDED_STATES.includes(r.state)) return same; // renew after release: success, no effect
      const expiresAt = laterOf(r.expiresAt, event.expiresAt);
      const orderIds = addOrder(r.orderIds, event.orderId);
      // A renewal whose end an expiry already passed (it arrived late): the end is recorded, the lapse holds.
      if (r.state === 'expired' && lapseHolds(r.lapsedAt, expiresAt)) return next({ expiresAt, orderIds });
      const extend: Effect[] = r.serviceInstanceId ? [{ kind: 'extendEndTime' }] : [];
      if (r.state === 'expired' && !r.serviceInstanceId) {
        return next({ state: 'provisioning', expiresAt, orderIds, teardownAt: undefined }, [
          { kind: 'createInstance' },
        ]);
      }
      if (r.state === 'expired') {
        return next(
          {
            state: 'active',
            expiresAt,
            orderIds,
            teardownAt: undefined,
            stopped: false,
            pendingUpgrade: false,
          },
          [
            ...extend,
            ...(r.stopped ? [{ kind: 'startInstance' as const }] : []),
            ...(r.pendingUpgrade ? [{ kind: 'applyUpgrade' as const }] : []),
          ],
        );
      }
      return next({ expiresAt, orderIds }, extend);
    }

    case 'upgrade': {
      if (ENDED_STATES.includes(r.state)) return same;
      if (event.orderId && r.orderIds.includes(event.orderId)) return same;
      const patch = {
        skuId: event.skuId ?? r.skuId,
        billingItems: { ...r.billingItems, ...event.billingItems },
        orderIds: addOrder(r.orderIds, event.orderId),
        upgradedAt: event.at,
      };
      if (r.state === 'active') return next(patch, [{ kind: 'applyUpgrade' }]);
      // A stopped (expired) instance cannot change its plan; the renewal that starts it applies it.
      if (r.state === 'expired' && r.stopped) return next({ ...patch, pendingUpgrade: true });
      if (r.state === 'expired') return next(patch, [{ kind: 'applyUpgrade' }]);
      return next({ ...patch, pendingUpgrade: r.state === 'provisioning' });
    }

    case 'expire': {
      const lapsedAt = laterOf(r.lapsedAt, event.at);
      // Before the create: remembered, so the retried create does not start a lapsed order; once expired,
      // the latest expiry is what a late renewal must pass.
      if (r.state === 'announced' || r.state === 'expired')
        return lapsedAt === r.lapsedAt ? same : next({ lapsedAt });
      if (r.state === 'provisioning') return next({ state: 'expired', lapsedAt }); // stopped once deployed
      if (r.state !== 'active') return same;
      return policy.onExpiry === 'stop'
        ? next({ state: 'expired', stopped: true, lapsedAt }, [{ kind: 'stopInstance' }])
        : next({ state: 'expired', lapsedAt });
    }

    case 'release': {
      if (ENDED_STATES.includes(r.state)) return same;
      if (!policy.deleteOnRelease)
        return next({ state: 'released', refunded: event.refund, teardownAt: undefined });
      // The teardown itself is started by the scheduler's pass once teardownAt has come (see scheduler.ts),
      // so that one guard sees every teardown of a pass.
      const teardownAt = event.refund
        ? event.at
        : new Date(Date.parse(event.at) + policy.retentionDays * DAY_MS).toISOString();
      return next({ state: 'released', refunded: event.refund, teardownAt });
    }

    case 'teardownDue':
      if (r.state !== 'released' || !r.teardownAt || r.teardownAt > event.at) return same;
      // Nothing was ever asked of Compute Nest: nothing to delete.
      if (!r.serviceInstanceId && !r.createRequested) return next({ state: 'deleted' });
      // The delete finds the instance by name when a create may have landed without its id being known.
      return next({ state: 'deleting' }, [{ kind: 'deleteInstance' }]);

    case 'deleted':
      if (r.state === 'deleted') return same;
      return next({ state: 'deleted', deletedOutside: event.outside === true && r.state !== 'deleting' });

    case 'deleteFailed':
      return r.state === 'deleting' ? next({ failure: event.reason }) : same;

    case 'retry':
      if (r.state !== 'failed') return same;
      // No instance: create it (again). A DeployedFailed one: continue its deployment, then watch it;
      // failed again, it comes back here.
      return r.serviceInstanceId
        ? next({ state: 'provisioning', failure: undefined }, [
            { kind: 'continueDeployment' },
            { kind: 'watchDeployment' },
          ])
        : next({ state: 'provisioning', failure: undefined, createRequested: true }, [
            { kind: 'createInstance' },
          ]);

    case 'operatorRelease':
      if (r.state === 'deleting' || r.state === 'deleted') return same;
      if (r.state === 'released' && r.teardownAt && r.teardownAt <= event.at) return same;
      // Due now: the scheduler's next pass starts the teardown, through the one guard of every pass.
      return next({ state: 'released', teardownAt: event.at, operatorReleaseReason: event.reason });
  }
}

function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function addOrder(orderIds: string[], orderId: string | undefined): string[] {
  return orderId && !orderIds.includes(orderId) ? [...orderIds, orderId] : orderIds;
}
