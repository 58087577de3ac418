/**
 * Pure: the `nestkit orders list` options as a store query. No clock of its own: `now` is given, so
 * `--older-than 7d` means the same on the wall clock and on a sandbox's virtual one.
 */
import { EXIT, UserError } from '../errors';
import { STATES, type State } from '../hook/machine';
import { MAX_PAGE } from '../hook/store/record-query';
import type { RecordQuery } from '../hook/store/store';

export interface ListOptions {
  state?: string;
  sku?: string;
  olderThan?: string;
  newerThan?: string;
  search?: string;
  dead?: boolean;
  limit?: string;
  offset?: string;
}

export const DEFAULT_LIMIT = 50;

const UNIT_MS = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** `90s`, `30m`, `12h`, `7d`, `2w` → milliseconds; a usage error naming the flag otherwise. */
export function parseAge(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(text.trim());
  if (!match)
    throw usage(flag, `must be a duration such as 90s, 30m, 12h, 7d or 2w, not ${JSON.stringify(text)}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** `active,failed` → states, each checked against the machine's list. */
export function parseStates(text: string): State[] {
  const states = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = states.filter((s) => !(STATES as readonly string[]).includes(s));
  if (states.length === 0 || unknown.length > 0)
    throw usage(
      '--state',
      `unknown state ${JSON.stringify(unknown[0] ?? text)}; states: ${STATES.join(', ')}`,
    );
  return states as State[];
}

function wholeNumber(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw usage(flag, `must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`);
  return n;
}

export function listQuery(options: ListOptions, now: Date): RecordQuery {
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
  return {
    ...(options.state ? { states: parseStates(options.state) } : {}),
    ...(options.sku ? { skuId: options.sku } : {}),
    ...(options.search ? { text: options.search } : {}),
    ...(options.olderThan ? { createdBefore: ago(parseAge(options.olderThan, '--older-than')) } : {}),
    ...(options.newerThan ? { createdAfter: ago(parseAge(options.newerThan, '--newer-than')) } : {}),
    ...(options.dead ? { hasDeadLetter: true } : {}),
    limit: options.limit === undefined ? DEFAULT_LIMIT : wholeNumber(options.limit, '--limit', 1, MAX_PAGE),
    offset:
      options.offset === undefined ? 0 : wholeNumber(options.offset, '--offset', 0, Number.MAX_SAFE_INTEGER),
  };
}

function usage(flag: string, message: string): UserError {
  return new UserError('UsageError', `${flag} ${message}`, flag, EXIT.usage);
}
