import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { UserError } from '../errors';
import type { RolloutClock } from './clock';
import type { RolloutStore } from './store';

/**
 * How long the rollout lease lasts on the rollout's clock without a renewal. The process running the
 * rollout renews it every LEASE_RENEW_MS (of the rollout's clock while it waits, and of real time
 * besides), so a process that dies (SIGKILL, a lost machine) keeps the others off for at most this long.
 */
export const ROLLOUT_LEASE_MS = 60_000;
export const LEASE_RENEW_MS = 5_000;

/** Pure: why a second `nestkit rollout` refuses, naming who holds the lease and when it ends. */
export function leaseHeldMessage(holder: string, untilMs: number, rolloutId?: string): string {
  const what = rolloutId ? `rollout ${rolloutId} is being run` : 'a rollout is being started';
  return (
    `${what} by another nestkit rollout (${holder}); its lease ends at ${new Date(untilMs).toISOString()} ` +
    `on the rollout's clock unless that process renews it. Let it finish or pause it (\`nestkit rollout pause\`); ` +
    'if that process is gone, `nestkit rollout resume` takes over once the lease has run out'
  );
}

/**
 * One rollout process acting on a database at a time: the lease row in the rollout store, taken before
 * the rollout is planned or resumed, renewed while it runs, given back at the end. A lease found
 * taken by another process meanwhile (this one was stalled past ROLLOUT_LEASE_MS) stops this run at
 * its next wait: `RolloutLeaseLost`.
 */
export class RolloutLease {
  /** Why this process no longer holds the lease, once it knows. */
  private lost: string | undefined;
  private renewing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly store: Pick<RolloutStore, 'tryLease' | 'releaseLease'>,
    private readonly base: RolloutClock,
    readonly owner: string,
    private readonly holder: string,
    private readonly ttlMs: number,
    private readonly renewEveryMs: number,
  ) {
    this.timer = setInterval(() => void this.renew(), renewEveryMs);
    this.timer.unref?.();
  }

  /** Takes the lease or refuses (`RolloutLeaseHeld`, exit 1) naming its holder and when it ends. */
  static async take(
    store: Pick<RolloutStore, 'tryLease' | 'releaseLease'>,
    clock: RolloutClock,
    options: { rolloutId?: string; ttlMs?: number; renewEveryMs?: number; holder?: string } = {},
  ): Promise<RolloutLease> {
    const owner = randomBytes(8).toString('hex');
    const holder = options.holder ?? `pid ${process.pid} on ${hostname()}`;
    const ttlMs = options.ttlMs ?? ROLLOUT_LEASE_MS;
    const answer = await store.tryLease(owner, holder, clock.now(), ttlMs);
    if (!answer.taken)
      throw new UserError(
        'RolloutLeaseHeld',
        leaseHeldMessage(answer.holder, answer.untilMs, options.rolloutId),
      );
    return new RolloutLease(store, clock, owner, holder, ttlMs, options.renewEveryMs ?? LEASE_RENEW_MS);
  }

  /**
   * The rollout's clock, renewing the lease while it waits: a wait is cut into pieces of at most
   * `renewEveryMs` with a renewal after each, so a soak of ten minutes on the sandbox's fast clock keeps
   * the lease as one on the wall clock does. A wait ends `RolloutLeaseLost` once the lease is lost.
   */
  clock(): RolloutClock {
    const base = this.base;
    return {
      now: () => base.now(),
      sleep: async (ms) => {
        this.check();
        const until = base.now() + ms;
        for (let left = ms; left > 0; left = until - base.now()) {
          await base.sleep(Math.min(left, this.renewEveryMs));
          await this.renew();
          this.check();
        }
      },
    };
  }

  /** Throws `RolloutLeaseLost` once another process has the lease. */
  check(): void {
    if (this.lost) throw new UserError('RolloutLeaseLost', this.lost);
  }

  /** Stops renewing and gives the lease back (still held only when this process holds it). */
  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
    if (!this.lost) await this.store.releaseLease(this.owner);
  }

  /** One renewal at a time; a failed one (the database away a moment) is tried again at the next. */
  private renew(): Promise<void> {
    this.renewing ??= (async () => {
      try {
        const answer = await this.store.tryLease(this.owner, this.holder, this.base.now(), this.ttlMs);
        if (!answer.taken && !this.lost)
          this.lost =
            `this process lost the rollout lease (renewed too late) to ${answer.holder}, until ` +
            `${new Date(answer.untilMs).toISOString()}: it stops here and leaves the rollout to that process`;
      } catch {
        // The lease lasts ttlMs: the next renewal, a few seconds on, is in time.
      } finally {
        this.renewing = undefined;
      }
    })();
    return this.renewing;
  }
}
