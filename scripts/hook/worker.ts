import { randomUUID } from 'node:crypto';
import { CloudError } from '../cloud';
import { isTransient } from '../cloud/retry';
import { runEffect, PermanentEffectError, type EffectContext } from './effects';
import { transition, type Policy } from './machine';
import type { HookLogger } from './logger';
import type { HookMetrics } from './metrics';
import type { HookStore, Job } from './store/store';

export interface WorkerOptions {
  /** Jobs run at once. */
  concurrency: number;
  /** How long a lease lasts; a crashed worker's jobs come back after it. */
  leaseMs: number;
  /** Attempts before a job is dead-lettered and reported. */
  maxAttempts: number;
  /** Backoff after a failed attempt: base * 2^(attempt-1), capped. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Log effects instead of calling the cloud. */
  dryRun: boolean;
}

const DRY_RUN_RECHECK_MS = 60_000;

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  concurrency: 8,
  leaseMs: 60_000,
  maxAttempts: 8,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
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
  /** Set by the running hook: keep the slots full between ticks. Off in drain-driven tests. */
  continuous = false;

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
    const jobs = await this.store.leaseJobs(this.owner, this.ctx.now().getTime(), room, this.options.leaseMs);
    for (const job of jobs) {
      const running = this.run(job).finally(() => {
        this.inFlight.delete(running);
        // A finished job frees a slot: look for the next one at once rather than at the next tick.
        if (this.continuous && !this.stopping) void this.tick().catch(() => undefined);
      });
      this.inFlight.add(running);
    }
    return jobs.length;
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
    try {
      const outcome = await runEffect(record, job, this.ctx);
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
    } catch (error) {
      await this.failed(job, error);
    }
  }

  private async failed(job: Job, error: unknown): Promise<void> {
    const message = describe(error);
    const attempts = job.attempts + 1;
    const retryable =
      !(error instanceof PermanentEffectError) && (!(error instanceof CloudError) || isTransient(error));
    if (!retryable || attempts >= this.options.maxAttempts) {
      await this.store.deadJob(job.id, this.owner, message);
      this.metrics.jobFinished(job.kind, 'dead');
      this.log.error(
        { instanceId: job.instanceId, effect: job.kind, attempts, error: message },
        'effect dead-lettered; needs an operator',
      );
      return;
    }
    const delay = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** (attempts - 1));
    await this.store.retryJob(job.id, this.owner, this.ctx.now().getTime() + delay, message, true);
    this.log.warn(
      { instanceId: job.instanceId, effect: job.kind, attempts, retryInMs: delay, error: message },
      'effect failed; will retry',
    );
  }
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
