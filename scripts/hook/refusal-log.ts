import type { HookLogger } from './logger';

/** What one refusal says in the log: the reason code and what identifies the order, each truncated. */
export interface Refusal {
  /** The code answered (`InvalidToken`, `InvalidParameter`, `UnknownSku`, …): a closed set. */
  reason: string;
  /** The route: `spi` or `license`. */
  route: 'spi' | 'license';
  action?: string;
  instanceId?: string;
  orderId?: string;
  parameter?: string;
  message?: string;
}

export interface RefusalLogOptions {
  /** Lines written per window; the rest are counted and summed up in one line when the window ends. */
  perWindow: number;
  windowMs: number;
  /** Characters kept of each field (a hostile request chooses them). */
  fieldLength: number;
}

export const DEFAULT_REFUSAL_LOG: RefusalLogOptions = { perWindow: 20, windowMs: 60_000, fieldLength: 80 };

/**
 * Every refused request is logged with its reason and order, at most `perWindow` lines a window: an
 * attacker sending 50,000 wrong tokens writes 20 lines and a count, not 100 MB. Memory is one counter
 * per reason code (a closed set) whatever the traffic.
 */
export class RefusalLog {
  private windowStart = Number.NEGATIVE_INFINITY;
  private written = 0;
  private suppressed = new Map<string, number>();

  constructor(
    private readonly log: HookLogger,
    private readonly now: () => number,
    private readonly options: RefusalLogOptions = DEFAULT_REFUSAL_LOG,
  ) {}

  refused(refusal: Refusal): void {
    const t = this.now();
    if (t - this.windowStart >= this.options.windowMs) this.roll(t);
    if (this.written < this.options.perWindow) {
      this.written++;
      this.log.warn(this.fields(refusal), `${refusal.route} request refused: ${refusal.reason}`);
      return;
    }
    const reason = refusal.reason.slice(0, 40);
    if (this.suppressed.has(reason) || this.suppressed.size < 64)
      this.suppressed.set(reason, (this.suppressed.get(reason) ?? 0) + 1);
  }

  /** Writes the count of what the window did not log, and starts the next one. */
  flush(): void {
    if (this.suppressed.size === 0) return;
    const byReason = Object.fromEntries(this.suppressed);
    const total = [...this.suppressed.values()].reduce((a, b) => a + b, 0);
    this.log.warn({ suppressed: total, byReason }, `${total} more refused requests not logged one by one`);
    this.suppressed = new Map();
  }

  private roll(t: number): void {
    this.flush();
    this.windowStart = t;
    this.written = 0;
  }

  private fields(refusal: Refusal): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(refusal))
      if (typeof value === 'string' && name !== 'route') fields[name] = this.cut(value);
    return fields;
  }

  private cut(value: string): string {
    const n = this.options.fieldLength;
    return value.length > n ? `${value.slice(0, n)}…(${value.length} chars)` : value;
  }
}
