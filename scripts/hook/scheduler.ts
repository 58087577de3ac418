import { transition, type Policy } from './machine';
import type { HookLogger } from './logger';
import type { HookMetrics } from './metrics';
import type { HookStore } from './store/store';
import { checkTeardownPass, type TeardownLimits } from './teardown-guard';

const LIVE_STATES = ['provisioning', 'active', 'failed', 'expired', 'released'] as const;

export interface TeardownPassResult {
  due: number;
  started: number;
  refused?: string;
}

/**
 * One teardown pass: every released instance whose retention has run out moves to `deleting` (the
 * worker then deletes it), unless the pass as a whole trips the guard, in which case nothing is torn
 * down and the pass reports why.
 */
export async function teardownPass(
  store: HookStore,
  now: Date,
  policy: Policy,
  limits: TeardownLimits,
  log: HookLogger,
  metrics: HookMetrics,
): Promise<TeardownPassResult> {
  const due = await store.dueForTeardown(now.toISOString());
  if (due.length === 0) return { due: 0, started: 0 };
  const live = (await store.list([...LIVE_STATES])).length;
  const verdict = checkTeardownPass(due.length, live, limits);
  if (!verdict.allowed) {
    metrics.guardTripped();
    log.error(
      { due: due.length, live, reason: verdict.reason },
      'teardown pass stopped by the guard; nothing deleted',
    );
    return { due: due.length, started: 0, refused: verdict.reason };
  }
  const at = now.toISOString();
  let started = 0;
  for (const record of due) {
    const event = { type: 'teardownDue', at } as const;
    const applied = await store.applyEvent(record.id, record.source, event, (r) =>
      transition(r, event, policy),
    );
    if (applied.transition.changed) started += 1;
  }
  log.info({ due: due.length, started }, 'teardown pass');
  return { due: due.length, started };
}
