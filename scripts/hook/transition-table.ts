import {
  newRecord,
  STATES,
  transition,
  type EffectKind,
  type InstanceRecord,
  type LifecycleEvent,
  type Policy,
  type State,
} from './machine';

/** Representative events, one per type, for the documented table. */
const SAMPLE_EVENTS: LifecycleEvent[] = [
  { type: 'create', at: '2026-01-01T00:00:00Z', skuId: 'sku', billingItems: {} },
  { type: 'instanceCreated', at: '2026-01-01T00:00:00Z', serviceInstanceId: 'si-1' },
  { type: 'deployed', at: '2026-01-01T00:00:00Z', outputs: {} },
  { type: 'deployFailed', at: '2026-01-01T00:00:00Z', reason: 'x' },
  { type: 'renew', at: '2026-01-01T00:00:00Z', expiresAt: '2027-01-01T00:00:00Z', orderId: 'renewal' },
  { type: 'upgrade', at: '2026-01-01T00:00:00Z', skuId: 'sku2', billingItems: {}, orderId: 'upgrade' },
  { type: 'expire', at: '2026-01-01T00:00:00Z' },
  { type: 'release', at: '2026-01-01T00:00:00Z', refund: false },
  { type: 'teardownDue', at: '2030-01-01T00:00:00Z' },
  { type: 'deleted', at: '2030-01-01T00:00:00Z' },
  { type: 'retry', at: '2026-01-01T00:00:00Z' },
  { type: 'operatorRelease', at: '2026-01-01T00:00:00Z', reason: 'operator' },
];

/** A record in a state, with a deployed instance wherever the state implies one. */
function recordIn(state: State): InstanceRecord {
  const record = { ...newRecord('demo', 'spi', '2026-01-01T00:00:00Z'), state };
  if (state === 'announced' || state === 'provisioning') return record;
  return {
    ...record,
    serviceInstanceId: 'si-1',
    outputs: {},
    teardownAt: state === 'released' ? '2026-01-08T00:00:00Z' : undefined,
  };
}

/**
 * The state table as the README shows it, computed from `transition` itself so it cannot drift:
 * each cell is the next state (`·` when the event changes nothing) and the effects it starts.
 */
export function transitionTable(policy: Policy): string {
  const header = `| state \\ event | ${SAMPLE_EVENTS.map((e) => e.type).join(' | ')} |`;
  const rule = `| --- | ${SAMPLE_EVENTS.map(() => '---').join(' | ')} |`;
  const rows = STATES.map((state) => {
    const cells = SAMPLE_EVENTS.map((event) => {
      const result = transition(recordIn(state), event, policy);
      if (!result.changed) return '·';
      const effects = result.effects.map((e) => e.kind as EffectKind);
      const target = result.record.state === state ? '=' : result.record.state;
      return effects.length ? `${target} [${effects.join(', ')}]` : target;
    });
    return `| ${state} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}
