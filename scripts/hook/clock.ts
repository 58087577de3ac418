/**
 * The hook's clock. The wall clock by default; with `--sandbox-clock` (and a sandbox endpoint) the
 * sandbox's virtual clock, read over its admin API (`GET /_sandbox/clock`), so that passes, timers,
 * retention and retry waits run on it and a day of them can be tried in seconds.
 */
export interface HookClock {
  now(): Date;
  /** Brings the clock up to date; the scheduler calls it before every tick. */
  refresh(): Promise<void>;
}

export const wallClock: HookClock = { now: () => new Date(), refresh: async () => undefined };

interface ClockView {
  nowMs: number;
  mode: 'manual' | 'real';
}

/**
 * Follows a sandbox's virtual clock. Between reads, a `real`-mode sandbox clock runs on with the wall
 * clock and a `manual` one stands still, as the sandbox's own does; it never goes back [I: a sandbox
 * reset would, and the hook's records are not made for that].
 */
export async function sandboxClock(baseUrl: string, fetchImpl: typeof fetch = fetch): Promise<HookClock> {
  const url = `${baseUrl.replace(/\/$/, '')}/_sandbox/clock`;
  const read = async (): Promise<ClockView> => {
    const response = await fetchImpl(url);
    if (!response.ok)
      throw new Error(`the sandbox at ${baseUrl} did not show its clock (HTTP ${response.status})`);
    const view = (await response.json()) as Partial<ClockView>;
    if (typeof view.nowMs !== 'number') throw new Error(`${url} answered no nowMs: is it a sandbox?`);
    return { nowMs: view.nowMs, mode: view.mode === 'real' ? 'real' : 'manual' };
  };
  let last = await read();
  let readAt = Date.now();
  let highest = last.nowMs;
  const current = () => (last.mode === 'real' ? last.nowMs + (Date.now() - readAt) : last.nowMs);
  return {
    now() {
      highest = Math.max(highest, current());
      return new Date(highest);
    },
    async refresh() {
      try {
        last = await read();
        readAt = Date.now();
      } catch {
        // The sandbox is down for a moment (a fault test restarts it): keep the last reading.
      }
    },
  };
}
