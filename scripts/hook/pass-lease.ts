import type { HookStore } from './store/store';

/**
 * How long a pass's lease lasts on the hook's clock without a renewal. The replica running the pass
 * renews it every RENEW_EVERY_MS of real time, so a replica that dies during a pass holds the pass off
 * the others for at most this long.
 */
export const PASS_LEASE_MS = 60_000;
export const RENEW_EVERY_MS = 5_000;

/**
 * Runs each background pass (reconcile with its licence and failed-notification parts, teardown) on
 * one replica at a time: the pass's lease in the database is taken first; a replica that cannot take
 * it skips the pass. When done, the lease is kept until one period after the start, so that the fleet
 * runs a pass about once a period, whichever replica's timer fires first.
 */
export class PassLeases {
  constructor(
    private readonly store: Pick<HookStore, 'tryLeasePass' | 'releasePass'>,
    readonly owner: string,
    private readonly now: () => number,
    private readonly renewEveryMs = RENEW_EVERY_MS,
  ) {}

  /** The pass's result, or undefined when another replica holds its lease. */
  async run<T>(name: string, periodMs: number, work: () => Promise<T>): Promise<T | undefined> {
    const start = this.now();
    if (!(await this.store.tryLeasePass(name, this.owner, start, PASS_LEASE_MS))) return undefined;
    const renewal = setInterval(() => {
      this.store.tryLeasePass(name, this.owner, this.now(), PASS_LEASE_MS).catch(() => undefined);
    }, this.renewEveryMs);
    renewal.unref?.();
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await this.store.releasePass(name, this.owner, start + periodMs).catch(() => undefined);
    }
  }
}
