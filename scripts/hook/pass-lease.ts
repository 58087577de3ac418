import type { HookStore } from './store/store';

/**
 * A pass is leased for at least this long on the hook's clock: a replica that dies during a pass
 * holds it off the others for at most this long (or the period, when longer).
 */
export const MIN_PASS_LEASE_MS = 10 * 60_000;

/**
 * Runs each background pass (reconcile, teardown, licence, failed notifications) on one replica at a
 * time: the pass's lease in the database is taken first; a replica that cannot take it skips the pass.
 * When done, the lease is kept until one period after the start, so that the fleet runs a pass about
 * once a period, whichever replica's timer fires first.
 */
export class PassLeases {
  constructor(
    private readonly store: Pick<HookStore, 'tryLeasePass' | 'releasePass'>,
    readonly owner: string,
    private readonly now: () => number,
  ) {}

  /** The pass's result, or undefined when another replica holds its lease. */
  async run<T>(name: string, periodMs: number, work: () => Promise<T>): Promise<T | undefined> {
    const start = this.now();
    if (!(await this.store.tryLeasePass(name, this.owner, start, Math.max(periodMs, MIN_PASS_LEASE_MS))))
      return undefined;
    try {
      return await work();
    } finally {
      await this.store.releasePass(name, this.owner, start + periodMs).catch(() => undefined);
    }
  }
}
