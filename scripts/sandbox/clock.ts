/**
 * The sandbox's virtual clock. `manual` stands still until advanced (tests); `real` follows the wall
 * clock plus every advance (an interactive sandbox). Deployments, approvals, expiries and
 * Marketplace retries all run on it.
 */
export type ClockMode = 'manual' | 'real';

export interface ClockSnapshot {
  mode: ClockMode;
  /** manual: the current virtual time; real: the offset added to the wall clock. */
  valueMs: number;
}

export class VirtualClock {
  private valueMs: number;
  private readonly initial: ClockSnapshot;

  constructor(
    readonly mode: ClockMode = 'manual',
    startMs: number = Date.now(),
    private readonly wall: () => number = Date.now,
  ) {
    this.valueMs = mode === 'manual' ? startMs : startMs - wall();
    this.initial = this.snapshot();
  }

  now(): number {
    return this.mode === 'manual' ? this.valueMs : this.wall() + this.valueMs;
  }

  iso(at = this.now()): string {
    return isoSeconds(at);
  }

  /** Moves time forward; returns the new time. */
  advance(seconds: number): number {
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new RangeError('advanceSeconds must be a number >= 0');
    this.valueMs += seconds * 1000;
    return this.now();
  }

  snapshot(): ClockSnapshot {
    return { mode: this.mode, valueMs: this.valueMs };
  }

  restore(snapshot: ClockSnapshot | undefined): void {
    if (snapshot && snapshot.mode === this.mode) this.valueMs = snapshot.valueMs;
  }

  reset(): void {
    this.valueMs = this.initial.valueMs;
  }
}

/** `2025-01-15T08:00:00Z`: the form Compute Nest uses for times. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
