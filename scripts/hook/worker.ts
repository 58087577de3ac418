import { randomUUID } from 'node:crypto';
import { CloudError } from '../cloud';
import { isThrottling, isTransient, retryHintMs } from '../cloud/retry';
import { runEffect, PermanentEffectError, type EffectContext } from './effects';
import { errorFields } from './log-fields';
import { transition, type LifecycleEvent, type Policy } from './machine';
import type { HookLogger } from './logger';
import type { HookMetrics } from './metrics';
import type { HookStore, Job } from './store/store';

export interface WorkerOptions {
  /** Jobs run at once. */
  concurrency: number;
  /** How long a lease lasts; a crashed worker's jobs come back after it. */
  leaseMs: number;
  /**
   * How long an effect keeps being retried through transient failures (throttling, 5xx, timeouts,
   * connection errors), from its first failure in a row, before it is dead-lettered. Permanent errors
   * dead-letter at once. Measured on the hook's clock. Default 24 h.
   */
  retryBudgetMs: number;
  /** Backoff after a failed attempt: base * 2^(attempt-1), capped, with jitter (half fixed, half random). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Jitter source (tests pin it). */
  random: () => number;
  /** Log effects instead of calling the cloud. */
  dryRun: boolean;
}

const DRY_RUN_RECHECK_MS = 60_000;

/** The effects a rollout's hold postpones: a teardown, an edition change, a stop. */
const HELD_KINDS: readonly Job['kind'][] = ['deleteInstance', 'applyUpgrade', 'stopInstance'];

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  concurrency: 8,
  leaseMs: 60_000,
  retryBudgetMs: 24 * 3600_000,
  backoffBaseMs: 1000,
  backoffMaxMs: 300_000,
  random: Math.random,
  dryRun: false,
};

/**
 * Runs effects from the durable job table: leases runnable jobs, runs each through the cloud client,
 * feeds what it learnt back to the state machine, and retries, polls or dead-letters.
 */
export class Worker {
  readonly owner = `worker-${randomUUID()}`;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;
  /** Dry run: the jobs already logged, so each is logged once. */
  private readonly announced = new Set<number>();
  /** Jobs started and not finished in this process, so that a poll is not logged as a new start. */
  private readonly running = new Set<number>();
  /** Jobs whose run is in progress in this process right now. */
  private readonly executing = new Set<number>();
  /** Set by the running hook: keep the slots full between ticks. Off in drain-driven tests. */
  continuous = false;
  /**
   * The shared backoff: after a throttled call no job starts before this time (hook clock, ms), so one
   * effect's throttling slows all of them down instead of each burning its own retries against the limit.
   */
  private throttledUntil = 0;
  private throttleStreak = 0;

  constructor(
    private readonly store: HookStore,
    private readonly ctx: EffectContext,
    private readonly policy: Policy,
    private readonly options: WorkerOptions,
    private readonly log: HookLogger,
    private readonly metrics: HookMetrics,
  ) {}

  /** Leases and starts as many jobs as there is room for; returns how many it started. */
  async tick(): Promise<number> {
    if (this.stopping) return 0;
    const room = this.options.concurrency - this.inFlight.size;
    if (room <= 0) return 0;
    const now = this.ctx.now().getTime();
    if (now < this.throttledUntil) return 0;
    const leased = await this.store.leaseJobs(this.owner, now, room, this.options.leaseMs);
    // A job whose lease ran out while it still runs here comes back leased to us again: that renews its
    // lease; starting it a second time would let the next job of its instance overtake it (a delete
    // listing before its create landed).
    const jobs = leased.filter((job) => !this.executing.has(job.id));
    for (const job of jobs) {
      this.executing.add(job.id);
      // A store that cannot commit (full or read-only disk) leaves the job leased; it comes back after
      // its lease. Never an unhandled rejection: the hook stays up.
      const guarded = this.run(job).catch((error: unknown) => this.storeFailed(job, error));
      const running = guarded.finally(() => {
        this.executing.delete(job.id);
        this.inFlight.delete(running);
        // A finished job frees a slot: look for the next one at once rather than at the next tick.
        if (this.continuous && !this.stopping) void this.tick().catch(() => undefined);
      });
      this.inFlight.add(running);
    }
    return jobs.length;
  }

  /** Until when (hook clock, ms) the shared throttling backoff holds new jobs back; 0 when it does not. */
  get pausedUntil(): number {
    return this.throttledUntil;
  }

  /** Runs until every runnable job is done (tests, benchmarks, the demo). */
  async drain(): Promise<void> {
    while ((await this.tick()) > 0 || this.inFlight.size > 0) await Promise.race([...this.inFlight, idle()]);
  }

  /** Graceful shutdown: no new leases, wait for in-flight jobs, give back the leases left. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.inFlight]);
    await this.store.releaseLeases(this.owner);
  }

  private async run(job: Job): Promise<void> {
    const record = await this.store.get(job.instanceId);
    if (!record) return this.store.completeJob(job.id, this.owner);
    if (this.options.dryRun) {
      if (!this.announced.has(job.id)) {
        this.announced.add(job.id);
        this.log.info({ instanceId: job.instanceId, effect: job.kind, dryRun: true }, 'would run effect');
      }
      // Left pending (looked at again in a minute), so a later run without --dry-run performs it.
      return this.store.retryJob(
        job.id,
        this.owner,
        this.ctx.now().getTime() + DRY_RUN_RECHECK_MS,
        undefined,
        false,
      );
    }
    const about = { instanceId: job.instanceId, effect: job.kind, job: job.id, attempt: job.attempts + 1 };
    // A poll of an effect in progress is not a new start: info once per job and process, debug after.
    const first = !this.running.has(job.id);
    this.running.add(job.id);
    this.log[first ? 'info' : 'debug']({ ...about, state: record.state }, 'effect started');
    // A rollout acting on the instance holds it: no teardown, upgrade or stop until it lets go.
    if (
      record.serviceInstanceId &&
      HELD_KINDS.includes(job.kind) &&
      (await this.held(record.serviceInstanceId))
    )
      return this.store.retryJob(
        job.id,
        this.owner,
        this.ctx.now().getTime() + this.ctx.pollMs,
        undefined,
        false,
      );
    try {
      const outcome = await runEffect(record, job, this.ctx);
      if (outcome.pollAfterMs === undefined) this.running.delete(job.id);
      this.log[outcome.pollAfterMs === undefined || outcome.events?.length ? 'info' : 'debug'](
        {
          ...about,
          events: (outcome.events ?? []).map((e) => e.type),
          ...learnt(outcome.events),
          ...(outcome.pollAfterMs === undefined ? { done: true } : { pollAfterMs: outcome.pollAfterMs }),
        },
        outcome.pollAfterMs === undefined ? 'effect finished' : 'effect in progress; looking again later',
      );
      for (const event of outcome.events ?? []) {
        await this.store.applyEvent(record.id, record.source, event, (r) =>
          transition(r, event, this.policy),
        );
        if (event.type === 'deleted' && record.teardownAt)
          this.metrics.teardownDone(record.teardownAt, this.ctx.now());
      }
      if (outcome.pollAfterMs !== undefined) {
        await this.store.retryJob(
          job.id,
          this.owner,
          this.ctx.now().getTime() + outcome.pollAfterMs,
          undefined,
          false,
        );
      } else {
        await this.store.completeJob(job.id, this.owner);
        this.metrics.jobFinished(job.kind, 'done');
      }
      this.throttleStreak = 0;
    } catch (error) {
      if (isStoreError(error)) throw error;
      await this.failed(job, error);
    }
  }

  /**
   * Whether a rollout holds the instance, read from the rollout's tables in the hook's database (SQLite
   * or PostgreSQL) right before the effect, never cached: the view is as old as that one read, the
   * milliseconds between it and the effect's cloud call. Safe because the executor commits a step
   * `upgrading` before it calls UpgradeServiceInstance, and before that commit it reads the hook's
   * records (released and expired orders are skipped) and the instance's status: a hold committed
   * before this read is seen here, and one committed after it comes from a rollout that looked at the
   * instance moments before and found nothing of the hook's under way. A teardown runs at the end of
   * the release's retention, far outside that gap; for a stop or an edition change inside it, Compute Nest refuses an
   * operation on an instance that has another in progress [I]. A read that fails counts as held: the
   * job is tried again at the next poll, never run blind.
   */
  private async held(serviceInstanceId: string): Promise<boolean> {
    const rollout = this.ctx.rollout;
    if (!rollout) return false;
    try {
      return await rollout.isHeld(serviceInstanceId);
    } catch (error) {
      this.log.warn(
        { serviceInstanceId, error: describe(error) },
        'could not read whether a rollout holds the instance; the effect waits',
      );
      return true;
    }
  }

  private async failed(job: Job, error: unknown): Promise<void> {
    const message = describe(error);
    const attempts = job.attempts + 1;
    const now = this.ctx.now().getTime();
    const transient =
      !(error instanceof PermanentEffectError) && (!(error instanceof CloudError) || isTransient(error));
    const failingFor = now - (job.firstFailedAt ?? now);
    if (!transient || failingFor >= this.options.retryBudgetMs) {
      const reason = transient
        ? `transient failures for ${Math.round(failingFor / 60_000)} min, over the retry budget of ${Math.round(this.options.retryBudgetMs / 60_000)} min; last: ${message}`
        : `permanent: ${message}`;
      await this.store.deadJob(job.id, this.owner, reason);
      this.running.delete(job.id);
      this.metrics.jobFinished(job.kind, 'dead');
      this.log.error(
        {
          ...errorFields(error),
          instanceId: job.instanceId,
          effect: job.kind,
          job: job.id,
          attempts,
          reason,
        },
        'effect dead-lettered; the reconciler re-drives it while the record still needs it, or `nestkit orders retry`',
      );
      return;
    }
    let delay = this.backoff(attempts);
    if (error instanceof CloudError && isThrottling(error)) {
      // Shared: every job waits, and the wait grows while the throttling lasts. A hint from the API wins
      // when it asks for longer.
      this.throttleStreak += 1;
      const hint = retryHintMs(error) ?? 0;
      delay = Math.max(delay, hint, this.backoff(this.throttleStreak));
      this.throttledUntil = Math.max(this.throttledUntil, now + delay);
      this.metrics.throttled();
    }
    await this.store.retryJob(job.id, this.owner, now + delay, message, true, now);
    this.log.warn(
      {
        ...errorFields(error),
        instanceId: job.instanceId,
        effect: job.kind,
        job: job.id,
        attempts,
        retryInMs: delay,
      },
      'effect failed; will retry',
    );
  }

  /** Capped exponential backoff with jitter: a wait in [ceiling/2, ceiling]. */
  private backoff(attempt: number): number {
    const { backoffBaseMs, backoffMaxMs, random } = this.options;
    const ceiling = Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  /** The store could not commit what the job found out: logged by the store's health, not here. */
  private storeFailed(job: Job, error: unknown): void {
    if (isStoreError(error)) return;
    this.log.error(
      { ...errorFields(error), instanceId: job.instanceId, effect: job.kind, job: job.id },
      'effect could not be recorded; its lease runs out and it runs again',
    );
  }
}

/** An error of the database rather than of the effect: better-sqlite3's SqliteError, or the hook's own. */
function isStoreError(error: unknown): boolean {
  // By name, not `instanceof Error`: a SqliteError may come from another realm (see isDiskError).
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'SqliteError' || name === 'StoreUnavailableError';
}

/** What an effect learnt that an operator looks for: the instance it made or found. */
function learnt(events: LifecycleEvent[] | undefined): { serviceInstanceId?: string } {
  const created = events?.find((e) => e.type === 'instanceCreated');
  return created?.type === 'instanceCreated' ? { serviceInstanceId: created.serviceInstanceId } : {};
}

function describe(error: unknown): string {
  if (error instanceof CloudError) {
    const status = error.status === undefined ? 'no HTTP answer' : `HTTP ${error.status}`;
    return `${error.code} (${status}): ${error.message}${error.requestId ? ` (RequestId ${error.requestId})` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function idle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}
