/**
 * What an operator may do to one order, for `nestkit orders` and the web console alike: retry it and
 * release it by hand. Both go through the same paths as the hook's own work: a retry re-runs an effect
 * through the durable job table (or moves a failed order on through the state machine), a release is a
 * machine event whose teardown the scheduler's guarded pass starts. Nothing here calls the cloud: a
 * running hook (this database's) does the work.
 */
import { EXIT, UserError } from '../errors';
import type { HookLogger } from './logger';
import { transition, type EffectKind, type InstanceRecord, type Policy } from './machine';
import type { HookStore, Job } from './store/store';

export interface OperatorDeps {
  store: HookStore;
  /** The service's lifecycle policy (`service.yaml`), as the hook runs it. */
  policy: Policy;
  /** The hook's clock: the wall clock, or the sandbox's with `--sandbox-clock`. */
  now: () => Date;
  /** Where the action is logged (warn level, with who/what/why); none in a quiet caller. */
  log?: HookLogger;
}

export interface OperatorActionResult {
  action: 'retry' | 'release';
  id: string;
  /** One sentence for a person: what was done and what happens next. */
  summary: string;
  /** The effect queued again, when the retry was of a dead-lettered or finished job. */
  redriven?: EffectKind;
  /** The record after the action. */
  record: InstanceRecord;
}

/** Why an action was not taken: the CLI prints it (exit 1), the console shows it. */
export class OperatorRefusal extends UserError {
  constructor(
    code: 'UnknownOrder' | 'NothingToRetry' | 'AlreadyQueued' | 'NothingToRelease',
    message: string,
  ) {
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
