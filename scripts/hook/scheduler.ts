import { LIVE_STATES, transition, type Policy, type Source } from './machine';
import { idList } from './log-fields';
import type { HookLogger } from './logger';
import type { HookMetrics } from './metrics';
import type { AppliedEvent, HookStore } from './store/store';
import {
  checkTeardownPass,
  DEFAULT_TEARDOWN_LIMITS,
  type GuardVerdict,
  type TeardownLimits,
} from './teardown-guard';

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
  const { live, ...verdict } = await teardownVerdict(store, due.length, limits);
  if (!verdict.allowed) {
    metrics.guardTripped();
    log.error(
      { due: due.length, live, reason: verdict.reason, ...idList(due.map((r) => r.id)) },
      'teardown pass stopped by the guard; nothing deleted',
    );
    return { due: due.length, started: 0, refused: verdict.reason };
  }
  const applied = await startTeardowns(store, due, now, policy);
  const touched = applied.filter((a) => a.transition.changed).map((a) => a.record.id);
  log.info({ due: due.length, started: touched.length, ...idList(touched) }, 'teardown pass');
  return { due: due.length, started: touched.length };
}

/**
 * The guard's verdict on `due` teardowns at once, against the whole fleet's live instances (counted by
 * the database: one query, no records loaded). The pass asks it for all it found due; an operator's
 * resume (operator-actions.ts) for the one order.
 */
export async function teardownVerdict(
  store: Pick<HookStore, 'countsBy'>,
  due: number,
  limits: TeardownLimits,
): Promise<GuardVerdict & { live: number }> {
  const byState = await store.countsBy('state');
  const live = LIVE_STATES.reduce((sum, state) => sum + (byState[state] ?? 0), 0);
  return { ...checkTeardownPass(due, live, limits), live };
}

/**
 * Starts the teardown of records the guard let through: `teardownDue` through the machine, which moves
 * each one still due to `deleting` and queues its `deleteInstance` job, in batches of one transaction
 * each (one durable commit per batch rather than per instance). A record no longer due is left as it is
 * (`changed` false), so two callers racing start one teardown.
 */
export async function startTeardowns(
  store: Pick<HookStore, 'applyEvents'>,
  due: { id: string; source: Source }[],
  now: Date,
  policy: Policy,
): Promise<AppliedEvent[]> {
  const event = { type: 'teardownDue', at: now.toISOString() } as const;
  const applied: AppliedEvent[] = [];
  for (let i = 0; i < due.length; i += BATCH) {
    const batch = due.slice(i, i + BATCH).map((r) => ({ id: r.id, source: r.source, event }));
    applied.push(...(await store.applyEvents(batch, (r, e) => transition(r, e, policy))));
  }
  return applied;
}

/** The setting under which a hook keeps the teardown limits it runs with (see `keepTeardownLimits`). */
export const TEARDOWN_LIMITS_SETTING = 'teardown-limits';

/**
 * Kept at start by each hook in its database, so that `nestkit orders resume` (another process) guards
 * a teardown with the limits the hook's passes use, not with defaults that may be looser. With several
 * replicas the last one started is kept [I]: replicas of one fleet are meant to run with one set.
 */
export async function keepTeardownLimits(
  store: Pick<HookStore, 'setting'>,
  limits: TeardownLimits,
): Promise<void> {
  await store.setting(TEARDOWN_LIMITS_SETTING, JSON.stringify(limits));
}

/**
 * The limits a hook kept in this database, or `DEFAULT_TEARDOWN_LIMITS` (the hook's own defaults) when
 * none did (a database no hook of this version has opened) or the value is not three numbers in range.
 */
export async function keptTeardownLimits(store: Pick<HookStore, 'setting'>): Promise<TeardownLimits> {
  return parseTeardownLimits(await store.setting(TEARDOWN_LIMITS_SETTING)) ?? DEFAULT_TEARDOWN_LIMITS;
}

/** Pure: the kept JSON as limits, or undefined when it is missing or not limits. */
export function parseTeardownLimits(text: string | undefined): TeardownLimits | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const v = value as Partial<Record<keyof TeardownLimits, unknown>>;
  const count = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (
    typeof value !== 'object' ||
    value === null ||
    !count(v.maxPerPass) ||
    !count(v.shareAppliesAbove) ||
    typeof v.maxShare !== 'number' ||
    !(v.maxShare > 0 && v.maxShare <= 1)
  )
    return undefined;
  return { maxPerPass: v.maxPerPass, maxShare: v.maxShare, shareAppliesAbove: v.shareAppliesAbove };
}
