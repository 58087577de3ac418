import type { CloudError } from './errors';

/**
 * Which calls may be repeated, which failures are worth repeating, and how long to wait: pure policy,
 * no I/O, so it is tested without a network.
 */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** First backoff in ms, doubled each attempt, capped by maxDelayMs. Defaults 200 and 5000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected for tests. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const READ_ACTION = /^(Get|List|Describe|Check|Query)/;

/** A call is safe to repeat when it only reads, or when it carries a ClientToken the server deduplicates on. */
export function isSafeToRepeat(action: string, params: Record<string, unknown>): boolean {
  if (READ_ACTION.test(action)) return true;
  const token = params.ClientToken;
  return typeof token === 'string' && token !== '';
}

/** Throttling, server errors and transport failures (no HTTP status) are transient; 4xx are not. */
export function isTransient(error: CloudError): boolean {
  if (error.code.startsWith('Throttling') || error.status === 429) return true;
  if (error.status === undefined) return true;
  return error.status >= 500;
}

/** "Full jitter" exponential backoff: a uniform wait in [0, min(max, base * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 200;
  const cap = options.maxDelayMs ?? 5000;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor((options.random ?? Math.random)() * ceiling);
}

/** Throttling (flow control): the caller should slow down as a whole, not only this call. */
export function isThrottling(error: CloudError): boolean {
  return error.code.startsWith('Throttling') || error.status === 429;
}

/**
 * How long the service asked the caller to wait, when it said so: a `Retry-After`-style hint in the
 * message ("retry after 30 seconds", "Retry-After: 30"). [I] The Compute Nest and Market models document
 * no such field and the SDK keeps no response headers on an error, so the message is all there is.
 */
/** The longest wait a hint may impose: a garbled or hostile "retry after 10^9 s" must not park every job. */
export const MAX_RETRY_HINT_MS = 15 * 60_000;

export function retryHintMs(error: CloudError): number | undefined {
  const match =
    /retry[- ]after[:\s]+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|minutes?|min|s|sec|seconds?)?\b/i.exec(
      error.message,
    );
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase();
  // A number without a unit is seconds, as in the HTTP Retry-After header.
  const ms =
    unit === 'ms' || unit.startsWith('milli')
      ? value
      : unit.startsWith('min')
        ? value * 60_000
        : value * 1000;
  return Math.min(ms, MAX_RETRY_HINT_MS);
}
