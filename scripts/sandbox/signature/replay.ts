import { ApiError } from '../errors';

/**
 * Rejects a reused signature nonce and a timestamp far from the wall clock (not the virtual clock:
 * signing happens in real time). [I] The window of 15 minutes and the nonce memory are guesses.
 */
export class ReplayGuard {
  private readonly seen = new Set<string>();
  constructor(
    private readonly windowMs = 15 * 60_000,
    private readonly memory = 200_000,
  ) {}

  check(nonce: string | undefined, timestamp: string | undefined, now = Date.now()): void {
    if (timestamp !== undefined) {
      const at = Date.parse(timestamp);
      if (Number.isNaN(at) || Math.abs(now - at) > this.windowMs) {
        throw new ApiError(
          400,
          'InvalidTimeStamp.Expired',
          `Specified time stamp or date value is expired: ${timestamp}.`,
        );
      }
    }
    if (nonce === undefined) return;
    if (this.seen.has(nonce))
      throw new ApiError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    this.seen.add(nonce);
    if (this.seen.size > this.memory) this.seen.delete(this.seen.values().next().value as string);
  }
}
