/**
 * The brake on teardown: a pass that would delete more instances than an operator would expect stops
 * and reports instead of deleting. Pure, so the limits are tested without a store.
 */
export interface TeardownLimits {
  /** Most teardowns one pass may start. */
  maxPerPass: number;
  /** Largest share of the live instances one pass may tear down... */
  maxShare: number;
  /** ...once a pass holds more than this many (a share of a handful is normal). */
  shareAppliesAbove: number;
}

export const DEFAULT_TEARDOWN_LIMITS: TeardownLimits = {
  maxPerPass: 100,
  maxShare: 0.25,
  shareAppliesAbove: 10,
};

export type GuardVerdict = { allowed: true } | { allowed: false; reason: string };

export function checkTeardownPass(due: number, live: number, limits: TeardownLimits): GuardVerdict {
  if (due > limits.maxPerPass) {
    return {
      allowed: false,
      reason: `${due} teardowns are due in one pass; the limit is ${limits.maxPerPass}`,
    };
  }
  const share = live === 0 ? 1 : due / live;
  if (due > limits.shareAppliesAbove && share > limits.maxShare) {
    return {
      allowed: false,
      reason: `${due} of ${live} live instances (${Math.round(share * 100)}%) would be torn down in one pass; the limit is ${Math.round(limits.maxShare * 100)}%`,
    };
  }
  return { allowed: true };
}
