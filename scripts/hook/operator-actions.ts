/**
 * What an operator may do to one order, for `nestkit orders` and the web console alike: retry it,
 * release it by hand, and resume a teardown the guard holds. All go through the same paths as the
 * hook's own work: a retry re-runs an effect through the durable job table (or moves a failed order on
 * through the state machine), a release is a machine event whose teardown the scheduler's guarded pass
 * starts, a resume is that pass's own step for one order (the guard, then `teardownDue`). Nothing here
 * calls the cloud: a running hook (this database's) does the work.
 */
import { EXIT, UserError } from '../errors';
import type { HookLogger } from './logger';
import { transition, type EffectKind, type InstanceRecord, type Policy } from './machine';
import { startTeardowns, teardownVerdict } from './scheduler';
import type { HookStore, Job } from './store/store';
import type { TeardownLimits } from './teardown-guard';

export interface OperatorDeps {
  store: HookStore;
  /** The service's lifecycle policy (`service.yaml`), as the hook runs it. */
  policy: Policy;
  /** The hook's clock: the wall clock, or the sandbox's with `--sandbox-clock`. */
  now: () => Date;
  /** The teardown guard's limits, as the hook's passes run with them: a resume is guarded by them too. */
  limits: TeardownLimits;
  /** Where the action is logged (warn level, with who/what/why); none in a quiet caller. */
  log?: HookLogger;
}

export interface OperatorActionResult {
  action: 'retry' | 'release' | 'resume';
  id: string;
  /** One sentence for a person: what was done and what happens next. */
  summary: string;
  /** The effect queued again, when the retry was of a dead-lettered or finished job. */
  redriven?: EffectKind;
  /** The record after the action. */
  record: InstanceRecord;
}

export type OperatorRefusalCode =
  | 'UnknownOrder'
  | 'NothingToRetry'
  | 'AlreadyQueued'
  | 'NothingToRelease'
  | 'TeardownNotDue'
  | 'AlreadyTearingDown'
  | 'GuardRefused';

/** Why an action was not taken: the CLI prints it (exit 1), the console shows it. */
export class OperatorRefusal extends UserError {
  constructor(code: OperatorRefusalCode, message: string) {
    super(code, message);
    this.name = 'OperatorRefusal';
  }
}

/** A release reason: said by a person, kept in the record and the event log. */
export const MAX_REASON_LENGTH = 500;

export type RetryPlan =
  | { kind: 'event' }
  | { kind: 'redrive'; job: Job }
  | { kind: 'refuse'; code: 'NothingToRetry' | 'AlreadyQueued'; message: string };

/**
 * Pure: what a retry of this record means. A failed order moves on through the machine (`retry`); else
 * the newest effect whose last job is dead is queued again; an effect already queued is left to run.
 */
export function planRetry(record: InstanceRecord, jobs: Job[]): RetryPlan {
  const open = jobs.find((j) => j.state === 'pending' || j.state === 'leased');
  if (open)
    return {
      kind: 'refuse',
      code: 'AlreadyQueued',
      message: `order ${record.id} has ${open.kind} queued already (job ${open.id}, ${open.state}, ${open.attempts} attempts): the hook runs it`,
    };
  if (record.state === 'failed') return { kind: 'event' };
  const dead = lastJobOfEachKind(jobs)
    .filter((j) => j.state === 'dead')
    .sort((a, b) => b.id - a.id)[0];
  if (dead) return { kind: 'redrive', job: dead };
  return {
    kind: 'refuse',
    code: 'NothingToRetry',
    message: `order ${record.id} is ${record.state} with no dead-lettered effect: nothing to retry`,
  };
}

/** Re-runs a dead-lettered effect (fresh retry budget) or retries a failed order. */
export async function retryOrder(deps: OperatorDeps, id: string): Promise<OperatorActionResult> {
  const record = await known(deps.store, id);
  const plan = planRetry(record, await deps.store.jobsOf(id));
  const at = deps.now();
  if (plan.kind === 'refuse') throw new OperatorRefusal(plan.code, plan.message);
  if (plan.kind === 'redrive') {
    const { job } = plan;
    if (!(await deps.store.redriveJob(id, job.kind, job.revision, at.getTime())))
      throw new OperatorRefusal('AlreadyQueued', `order ${id} has ${job.kind} queued already`);
    deps.log?.warn(
      { instanceId: id, effect: job.kind, by: 'operator', lastError: job.lastError },
      'operator re-runs a dead-lettered effect',
    );
    return {
      action: 'retry',
      id,
      redriven: job.kind,
      record,
      summary: `${job.kind} of order ${id} queued again with a fresh retry budget; the hook runs it`,
    };
  }
  const event = { type: 'retry', at: at.toISOString() } as const;
  const applied = await deps.store.applyEvent(id, record.source, event, (r) =>
    transition(r, event, deps.policy),
  );
  const effect = applied.transition.effects[0]?.kind;
  deps.log?.warn(
    {
      instanceId: id,
      by: 'operator',
      from: record.state,
      to: applied.record.state,
      effect,
      failure: record.failure,
    },
    'operator retries a failed order',
  );
  return {
    action: 'retry',
    id,
    record: applied.record,
    summary: `order ${id} is ${applied.record.state} again (${effect ?? 'no effect'}); the hook runs it`,
  };
}

/**
 * An operator's teardown: the order is released with its teardown due now, whatever the retention, and
 * the scheduler's next pass deletes it, behind the same guard and ownership checks as every teardown.
 */
export async function releaseOrder(
  deps: OperatorDeps,
  id: string,
  reason: string,
): Promise<OperatorActionResult> {
  const why = reason.trim();
  if (!why || why.length > MAX_REASON_LENGTH)
    throw new UserError(
      'UsageError',
      `--reason must say why, in 1 to ${MAX_REASON_LENGTH} characters`,
      '--reason',
      EXIT.usage,
    );
  const record = await known(deps.store, id);
  const event = { type: 'operatorRelease', at: deps.now().toISOString(), reason: why } as const;
  const applied = await deps.store.applyEvent(id, record.source, event, (r) =>
    transition(r, event, deps.policy),
  );
  if (!applied.transition.changed)
    throw new OperatorRefusal(
      'NothingToRelease',
      record.state === 'released'
        ? `order ${id} is due for teardown already (at ${record.teardownAt})`
        : `order ${id} is ${record.state} already`,
    );
  deps.log?.warn(
    {
      instanceId: id,
      by: 'operator',
      from: record.state,
      reason: why,
      serviceInstanceId: record.serviceInstanceId,
    },
    'operator released an order; its teardown is due now',
  );
  return {
    action: 'release',
    id,
    record: applied.record,
    summary: `order ${id} released (was ${record.state}); the hook's next teardown pass deletes its instance, within the teardown guard`,
  };
}

export type ResumePlan =
  { kind: 'resume' } | { kind: 'refuse'; code: 'TeardownNotDue' | 'AlreadyTearingDown'; message: string };

/**
 * Pure: whether this order's teardown may be resumed at `now`. Only a teardown that is due (released,
 * its teardown time come) is one the guard can be holding; one that is not due is made due by
 * `release`, never by a resume.
 */
export function planResume(record: InstanceRecord, now: Date): ResumePlan {
  const id = record.id;
  if (record.state === 'deleting' || record.state === 'deleted')
    return {
      kind: 'refuse',
      code: 'AlreadyTearingDown',
      message: `order ${id} is ${record.state} already: nothing to resume`,
    };
  const release = `a release (\`nestkit orders release ${id} --reason ...\`, or the console's) makes it due now`;
  if (record.state !== 'released')
    return {
      kind: 'refuse',
      code: 'TeardownNotDue',
      message: `order ${id} is ${record.state}: no teardown is due to resume; ${release}`,
    };
  if (!record.teardownAt)
    return {
      kind: 'refuse',
      code: 'TeardownNotDue',
      message: `order ${id} is released and kept (the policy does not delete on release): no teardown is due; ${release}`,
    };
  if (record.teardownAt > now.toISOString())
    return {
      kind: 'refuse',
      code: 'TeardownNotDue',
      message: `order ${id}'s teardown is not due yet: it is due at ${record.teardownAt}, when the next teardown pass starts it; ${release}`,
    };
  return { kind: 'resume' };
}

/**
 * Lets through the teardown of one order the teardown guard is holding: what the scheduler's pass does
 * for every due order, done for this one. The guard is asked about one teardown against the fleet's live
 * count (with the hook's limits: one passes the defaults, `maxPerPass` 0 refuses it), then `teardownDue`
 * goes through the machine and the store, which move the order to `deleting` and queue its
 * `deleteInstance` job (ownership and tag checks, retry budget: the worker's as for any teardown). The
 * event is applied in the store's transaction: resumed twice, or alongside a pass, it starts once.
 */
export async function resumeOrder(deps: OperatorDeps, id: string): Promise<OperatorActionResult> {
  const record = await known(deps.store, id);
  const at = deps.now();
  const plan = planResume(record, at);
  if (plan.kind === 'refuse') throw new OperatorRefusal(plan.code, plan.message);
  const { live, ...verdict } = await teardownVerdict(deps.store, 1, deps.limits);
  if (!verdict.allowed)
    throw new OperatorRefusal(
      'GuardRefused',
      `the teardown guard refuses the teardown of order ${id}: ${verdict.reason}`,
    );
  const [applied] = await startTeardowns(deps.store, [record], at, deps.policy);
  if (!applied?.transition.changed) {
    // Moved on between the read and the transaction (a pass or another resume started it).
    const current = applied?.record ?? record;
    throw new OperatorRefusal(
      current.state === 'deleting' || current.state === 'deleted' ? 'AlreadyTearingDown' : 'TeardownNotDue',
      `order ${id} is ${current.state} already: nothing to resume`,
    );
  }
  deps.log?.warn(
    {
      instanceId: id,
      by: 'operator',
      from: record.state,
      to: applied.record.state,
      live,
      teardownAt: record.teardownAt,
      serviceInstanceId: record.serviceInstanceId,
    },
    'operator resumed a teardown the guard held',
  );
  const next =
    applied.record.state === 'deleting'
      ? 'the hook deletes its instance (deleteInstance, with its ownership checks)'
      : 'nothing was ever created, so nothing is deleted';
  return {
    action: 'resume',
    id,
    record: applied.record,
    summary: `teardown of order ${id} resumed: it is ${applied.record.state}; ${next}`,
  };
}

async function known(store: HookStore, id: string): Promise<InstanceRecord> {
  const record = await store.get(id);
  if (!record) throw new OperatorRefusal('UnknownOrder', `no order ${id} in this database`);
  return record;
}

function lastJobOfEachKind(jobs: Job[]): Job[] {
  const last = new Map<EffectKind, Job>();
  for (const job of [...jobs].sort((a, b) => a.id - b.id)) last.set(job.kind, job);
  return [...last.values()];
}
