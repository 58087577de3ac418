import type { HookLogger } from './logger';
import type { InstanceRecord, LifecycleEvent, State, Transition } from './machine';
import type { AppliedEvent, HookStore } from './store/store';

/** Told of every committed state change (metrics count failed deployments from it). */
export type StateChangeListener = (change: StateChange) => void;

export interface StateChange {
  instanceId: string;
  from: State;
  to: State;
  event: LifecycleEvent['type'];
  record: InstanceRecord;
}

/**
 * The store with every committed state change logged, whoever caused it (SPI, reconciler, worker,
 * teardown pass, operator): one line per change with the order, both states and the event. A failed
 * deployment is an error with its reason. Wrapping the store's three write paths is the one place all
 * changes pass through.
 */
export function logStateChanges<S extends HookStore>(
  store: S,
  log: HookLogger,
  listener: StateChangeListener = () => undefined,
): S {
  const watch =
    (decide: (r: InstanceRecord) => Transition, seen: Map<string, State>) => (r: InstanceRecord) => {
      seen.set(r.id, r.state);
      return decide(r);
    };
  const report = (applied: AppliedEvent, from: State | undefined, event: LifecycleEvent) => {
    const { record, transition } = applied;
    if (!transition.changed || from === undefined || from === record.state) return;
    const change = { instanceId: record.id, from, to: record.state, event: event.type, record };
    listener(change);
    const fields = {
      instanceId: record.id,
      from,
      to: record.state,
      event: event.type,
      ...(record.serviceInstanceId ? { serviceInstanceId: record.serviceInstanceId } : {}),
      effects: transition.effects.map((e) => e.kind),
    };
    if (record.state === 'failed')
      log.error(
        { ...fields, reason: record.failure },
        'deployment failed; `nestkit orders retry` once the cause is fixed',
      );
    else log.info(fields, 'state changed');
  };
  return new Proxy(store, {
    get(target, name, receiver) {
      const original = Reflect.get(target, name, receiver) as unknown;
      if (name === 'applyEvent')
        return async (
          id: string,
          source: never,
          event: LifecycleEvent,
          decide: (r: InstanceRecord) => Transition,
        ) => {
          const seen = new Map<string, State>();
          const applied = await target.applyEvent(id, source, event, watch(decide, seen));
          report(applied, seen.get(id), event);
          return applied;
        };
      if (name === 'applyNotification')
        return async (
          notificationId: string,
          id: string,
          source: never,
          event: LifecycleEvent,
          decide: (r: InstanceRecord) => Transition,
        ) => {
          const seen = new Map<string, State>();
          const applied = await target.applyNotification(
            notificationId,
            id,
            source,
            event,
            watch(decide, seen),
          );
          if (applied) report(applied, seen.get(id), event);
          return applied;
        };
      if (name === 'applyEvents')
        return async (
          entries: Parameters<HookStore['applyEvents']>[0],
          decide: Parameters<HookStore['applyEvents']>[1],
        ) => {
          const before = new Map<string, State>();
          const applied = await target.applyEvents(entries, (r, e) => {
            before.set(r.id, r.state);
            return decide(r, e);
          });
          applied.forEach((a, i) => report(a, before.get(a.record.id), entries[i].event));
          return applied;
        };
      return typeof original === 'function'
        ? (original as (...a: unknown[]) => unknown).bind(target)
        : original;
    },
  });
}
