/** What the two crash storms (one hook; three replicas on PostgreSQL) share. */

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small seeded generator (mulberry32): the kill points and victims are the same in every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Polls until `check` holds (a condition, not a time: the bound only stops a hung run). */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms: number,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * The built hook's options in a storm: the sandbox's clock, passes often, a guard that lets the whole
 * storm through, short leases (so a killed hook's jobs come back soon) and a generous rate limit.
 */
export const STORM_HOOK_ARGS = [
  '--sandbox-clock',
  '--teardown-interval',
  '0.2',
  '--reconcile-interval',
  '3',
  '--max-teardowns',
  '100000',
  '--max-teardown-share',
  '1',
  '--poll-interval',
  '200',
  '--lease-seconds',
  '1',
  '--rate-limit',
  '400',
];
