import { invalid } from '../errors';

/**
 * NextToken paging over a stable ordering. [I] The token is an opaque offset; the real tokens are
 * opaque too, and a client must only pass back what it was given.
 */
export function page<T>(
  items: T[],
  maxResults: number,
  nextToken: string | undefined,
): { items: T[]; nextToken?: string } {
  const start = nextToken === undefined ? 0 : decode(nextToken);
  const end = start + maxResults;
  return { items: items.slice(start, end), nextToken: end < items.length ? encode(end) : undefined };
}

function encode(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decode(token: string): number {
  try {
    const offset = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown }).o;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw invalid('NextToken', 'The token is not one this service issued.');
}
