import { randomBytes } from 'node:crypto';
import { VirtualClock } from './clock';
import { CallLog } from './calls';
import { Faults } from './faults';
import { emptyState, type SandboxState, type Timer } from './state';
import { StateStore } from './store';

/** How long things take on the virtual clock. [I] Real durations vary; these only need to be ordered. */
export interface Timings {
  /** Created → Deploying. */
  deployStartSeconds: number;
  /** Deploying → Deployed. */
  deploySeconds: number;
  /** Deleting → Deleted. */
  deleteSeconds: number;
  /** Starting/Stopping → Deployed/Stopped. */
  operationSeconds: number;
  /** RegisterService → Approved. */
  approvalSeconds: number;
}

export const DEFAULT_TIMINGS: Timings = {
  deployStartSeconds: 5,
  deploySeconds: 60,
  deleteSeconds: 30,
  operationSeconds: 10,
  approvalSeconds: 60,
};

export type TimerHandler = (timer: Timer, core: SandboxCore) => void;

/**
 * The sandbox's memory and time: state, virtual clock, timers, faults and the call log. The HTTP layer
 * and the API handlers work through it; it knows nothing about HTTP.
 */
export class SandboxCore {
  state: SandboxState;
  readonly calls = new CallLog();
  readonly faults = new Faults();
  private readonly handlers = new Map<string, TimerHandler>();
  private readonly pending = new Set<Promise<unknown>>();
  private eventTime?: number;

  constructor(
    readonly clock: VirtualClock,
    private readonly store: StateStore,
    readonly timings: Timings = DEFAULT_TIMINGS,
  ) {
    this.state = store.load();
    clock.restore(this.state.clock);
  }

  /** While a timer runs, "now" is its due time, so what it schedules is timed from then. */
  now(): number {
    return this.eventTime ?? this.clock.now();
  }

  iso(at = this.now()): string {
    return this.clock.iso(at);
  }

  /** An id like `si-1a2b...`: random, so ids never repeat across resets and restarts. */
  newId(prefix: string, bytes = 10): string {
    return `${prefix}${randomBytes(bytes).toString('hex')}`;
  }

  nextNumber(): number {
    this.state.sequence += 1;
    return this.state.sequence;
  }

  onTimer(kind: string, handler: TimerHandler): void {
    this.handlers.set(kind, handler);
  }

  schedule(kind: string, ref: string, atMs: number): void {
    this.state.timers.push({ id: this.nextNumber(), atMs, kind, ref });
  }

  cancel(kind: string, ref: string): void {
    this.state.timers = this.state.timers.filter((t) => !(t.kind === kind && t.ref === ref));
  }

  /** Runs every timer that is due, earliest first, including timers that due timers schedule. */
  runDue(): number {
    let ran = 0;
    for (;;) {
      const now = this.clock.now();
      let next: Timer | undefined;
      for (const timer of this.state.timers) {
        if (
          timer.atMs <= now &&
          (!next || timer.atMs < next.atMs || (timer.atMs === next.atMs && timer.id < next.id))
        )
          next = timer;
      }
      if (!next) break;
      const due = next;
      this.state.timers = this.state.timers.filter((t) => t !== due);
      this.eventTime = due.atMs;
      try {
        this.handlers.get(due.kind)?.(due, this);
      } finally {
        this.eventTime = undefined;
      }
      ran += 1;
    }
    if (ran > 0) this.persist();
    return ran;
  }

  advance(seconds: number): number {
    this.clock.advance(seconds);
    this.runDue();
    this.persist();
    return this.now();
  }

  persist(): void {
    this.state.clock = this.clock.snapshot();
    this.store.save(this.state);
  }

  reset(): void {
    this.state = emptyState();
    this.clock.reset();
    this.calls.clear();
    this.faults.remove();
    this.persist();
  }

  /** Tracks background work (SPI deliveries) so tests can wait for it with `settle()`. */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = () => this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
