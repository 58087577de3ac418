import type { HookClock } from '../hook/clock';

/**
 * The rollout's time: what the soak and the polls are measured on. The wall clock, or with
 * `--sandbox-clock` the sandbox's virtual clock (read as the hook reads it), so a ten-minute soak
 * passes as soon as the sandbox's time does.
 */
export interface RolloutClock {
  now(): number;
  /** Resolves once `ms` have passed on this clock. */
  sleep(ms: number): Promise<void>;
}

export const wallRolloutClock: RolloutClock = {
  now: () => Date.now(),
  sleep: (ms) => realSleep(ms),
};

/** Follows a hook clock (the sandbox's): looks again every `lookMs` of real time until `ms` have passed on it. */
export function followingClock(clock: HookClock, lookMs = 100): RolloutClock {
  return {
    now: () => clock.now().getTime(),
    async sleep(ms) {
      const until = clock.now().getTime() + ms;
      while (clock.now().getTime() < until) {
        await realSleep(Math.min(lookMs, Math.max(1, ms)));
        await clock.refresh();
      }
    },
  };
}

export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
