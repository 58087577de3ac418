import { LIVE_STATES, transition, type Policy } from './machine';
import { idList } from './log-fields';
import type { HookLogger } from './logger';
import type { HookMetrics } from './metrics';
import type { HookStore } from './store/store';
import { checkTeardownPass, type TeardownLimits } from './teardown-guard';

const BATCH = 500;

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
  // Counted by the database (one query, no records loaded): the whole fleet's live instances.
  const byState = await store.countsBy('state');
  const live = LIVE_STATES.reduce((sum, state) => sum + (byState[state] ?? 0), 0);
  const verdict = checkTeardownPass(due.length, live, limits);
  if (!verdict.allowed) {
    metrics.guardTripped();
    log.error(
      { due: due.length, live, reason: verdict.reason, ...idList(due.map((r) => r.id)) },
      'teardown pass stopped by the guard; nothing deleted',
    );
    return { due: due.length, started: 0, refused: verdict.reason };
  }
  const event = { type: 'teardownDue', at: now.toISOString() } as const;
  const touched: string[] = [];
  // Batches of one transaction each: one durable commit per batch rather than per instance.
  for (let i = 0; i < due.length; i += BATCH) {
    const batch = due.slice(i, i + BATCH).map((r) => ({ id: r.id, source: r.source, event }));
    const applied = await store.applyEvents(batch, (r, e) => transition(r, e, policy));
    touched.push(...applied.filter((a) => a.transition.changed).map((a) => a.record.id));
  }
  log.info({ due: due.length, started: touched.length, ...idList(touched) }, 'teardown pass');
  return { due: due.length, started: touched.length };
}
