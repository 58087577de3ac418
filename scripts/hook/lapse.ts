import { DAY_MS, type LifecycleEvent } from './machine';

/**
 * A subscription that ended and was not renewed counts as released at its end, so once its retention
 * has passed it is torn down even if no release ever arrived (the reconciler's rule for Compute Nest
 * orders, and for missed SPI and licence notifications).
 */
export function lapsedRelease(
  endIso: string | undefined,
  now: Date,
  retentionDays: number,
): LifecycleEvent | undefined {
  if (!endIso || Date.parse(endIso) + retentionDays * DAY_MS > now.getTime()) return undefined;
  return { type: 'release', at: endIso, refund: false };
}
