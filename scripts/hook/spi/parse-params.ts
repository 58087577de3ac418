/**
 * Parses SPI parameters from a query string or an `application/x-www-form-urlencoded` body.
 * Hand-written rather than URLSearchParams because that one silently turns a malformed escape into
 * U+FFFD and keeps the last of repeated keys; the SPI token needs decoded values, the first of a
 * repeated key, and a clear error for anything garbled.
 */
export const SPI_LIMITS = {
  maxParameters: 64,
  maxValueLength: 2048,
  maxNameLength: 64,
  maxQueryLength: 16384,
} as const;

export class SpiParseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

export function parseSpiParams(raw: string): Record<string, string> {
  if (raw.length > SPI_LIMITS.maxQueryLength) {
    throw new SpiParseError(
      'RequestTooLarge',
      `the request carries ${raw.length} characters of parameters; at most ${SPI_LIMITS.maxQueryLength}`,
    );
  }
  const params: Record<string, string> = Object.create(null);
  const pairs = raw.split('&').filter((pair) => pair !== '');
  if (pairs.length > SPI_LIMITS.maxParameters) {
    throw new SpiParseError(
      'TooManyParameters',
      `${pairs.length} parameters; at most ${SPI_LIMITS.maxParameters}`,
    );
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq), 'a parameter name');
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1), `parameter "${name}"`, name);
    checkSize(name, value);
    if (!(name in params)) params[name] = value; // [I] the first of a repeated name counts, as in the token rule
  }
  return { ...params };
}

/**
 * A POST's parameters: public integrations send `action` in the query string and the rest in the form
 * body. Both are parsed with the rules above and merged, and the token is checked over the merged set.
 * A name in both with the same value counts once; with different values the request is refused, as
 * neither value can be trusted to be the one signed.
 */
export function mergeSpiParams(query: string, body: string): Record<string, string> {
  if (query.length + body.length > SPI_LIMITS.maxQueryLength) {
    throw new SpiParseError(
      'RequestTooLarge',
      `the request carries ${query.length + body.length} characters of parameters; at most ${SPI_LIMITS.maxQueryLength}`,
    );
  }
  const fromQuery = parseSpiParams(query);
  const merged: Record<string, string> = Object.assign(Object.create(null), parseSpiParams(body));
  for (const [name, value] of Object.entries(fromQuery)) {
    if (name in merged && merged[name] !== value) {
      throw new SpiParseError(
        'ConflictingParameter',
        `parameter "${name}" is given in the query and the body with different values`,
        name,
      );
    }
    merged[name] = value;
  }
  if (Object.keys(merged).length > SPI_LIMITS.maxParameters) {
    throw new SpiParseError(
      'TooManyParameters',
      `${Object.keys(merged).length} parameters; at most ${SPI_LIMITS.maxParameters}`,
    );
  }
  return { ...merged };
}

function decode(text: string, what: string, parameter?: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new SpiParseError('MalformedEncoding', `malformed percent-encoding in ${what}`, parameter);
  }
}

function checkSize(name: string, value: string): void {
  if (name === '' || name.length > SPI_LIMITS.maxNameLength || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new SpiParseError(
      'InvalidParameterName',
      `"${name.slice(0, 40)}" is not a valid parameter name`,
      name.slice(0, 40),
    );
  }
  if (value.length > SPI_LIMITS.maxValueLength) {
    throw new SpiParseError(
      'ValueTooLong',
      `parameter "${name}" is ${value.length} characters long; at most ${SPI_LIMITS.maxValueLength}`,
      name,
    );
  }
}
