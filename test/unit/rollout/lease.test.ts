import { UserError } from '../../../scripts/errors';
import type { RolloutClock } from '../../../scripts/rollout/clock';
import { RolloutLease, ROLLOUT_LEASE_MS } from '../../../scripts/rollout/lease';
import { SqliteRolloutStore } from '../../../scripts/rollout/sqlite-rollout-store';

/** A clock that moves only when waited on (the rollout's sandbox clock, in small). */
function virtualClock(start = 1_000_000): RolloutClock & { t: number } {
  const clock = {
    t: start,
    now: () => clock.t,
    sleep: async (ms: number) => void (clock.t += ms),
  };
  return clock;
}

describe('the rollout lease', () => {
  let store: SqliteRolloutStore;
  beforeEach(() => {
    store = new SqliteRolloutStore(':memory:');
  });
  afterEach(() => store.close());

  it("refuses a second process, naming the holder and the lease's end on the rollout's clock", async () => {
    const clock = virtualClock();
    const first = await RolloutLease.take(store, clock, { holder: 'pid 1 on a' });
    const refusal = RolloutLease.take(store, clock, { rolloutId: 'abc', holder: 'pid 2 on b' });
    await expect(refusal).rejects.toBeInstanceOf(UserError);
    await expect(refusal).rejects.toMatchObject({
      code: 'RolloutLeaseHeld',
      message: expect.stringMatching(
        new RegExp(
          `^rollout abc is being run by another nestkit rollout \\(pid 1 on a\\); its lease ends at ${new Date(
            clock.t + ROLLOUT_LEASE_MS,
          ).toISOString()}`,
        ),
      ),
    });
    await first.release();
    await (await RolloutLease.take(store, clock, { holder: 'pid 2 on b' })).release();
  });

  it('is renewed through a wait far longer than it lasts, so no other process takes it meanwhile', async () => {
    const clock = virtualClock();
    const answers: boolean[] = [];
    // While the rollout waits, every 30 s of its clock another process asks for the lease.
    const base: RolloutClock = {
      now: clock.now,
      sleep: async (ms) => {
        for (const end = clock.t + ms; clock.t < end;) {
          clock.t = Math.min(end, clock.t + 1000);
          if (clock.t % 30_000 === 0)
            answers.push((await store.tryLease('other', 'pid 2 on b', clock.t, ROLLOUT_LEASE_MS)).taken);
        }
      },
    };
    const lease = await RolloutLease.take(store, base, { holder: 'pid 1 on a' });
    await lease.clock().sleep(600_000); // a soak of ten minutes
    expect(answers).toEqual(Array.from({ length: 20 }, () => false));
    await lease.release();
    expect(await store.tryLease('other', 'pid 2 on b', clock.now(), ROLLOUT_LEASE_MS)).toEqual({
      taken: true,
    });
  });

  it('ends the run at its next wait once another process has taken a lease that ran out', async () => {
    const clock = virtualClock();
    const lease = await RolloutLease.take(store, clock, { holder: 'pid 1 on a' });
    // This process stalled past the lease (its clock moved without a renewal): the other takes it.
    clock.t += ROLLOUT_LEASE_MS;
    expect(await store.tryLease('other', 'pid 2 on b', clock.now(), ROLLOUT_LEASE_MS)).toEqual({
      taken: true,
    });
    await expect(lease.clock().sleep(10_000)).rejects.toMatchObject({
      code: 'RolloutLeaseLost',
      message: expect.stringContaining('pid 2 on b'),
    });
    // Giving back what it no longer holds leaves the other's lease alone.
    await lease.release();
    expect(await store.tryLease('third', 'pid 3 on c', clock.now(), ROLLOUT_LEASE_MS)).toMatchObject({
      taken: false,
      holder: 'pid 2 on b',
    });
  });
});
