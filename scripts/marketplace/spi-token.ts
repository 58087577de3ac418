import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The Marketplace SPI token: every parameter but `token`, sorted by name (UTF-16 order, so `Count`
 * before `action`), joined as name=value with `&`, then `&key=<ISV key>`, MD5, lower-case hex.
 */
export function spiTokenBase(params: Record<string, string>, key: string): string {
  const pairs = Object.keys(params)
    .filter((name) => name !== 'token')
    .sort()
    .map((name) => `${name}=${params[name]}`);
  return `${pairs.join('&')}&key=${key}`;
}

export function spiToken(params: Record<string, string>, key: string): string {
  return createHash('md5').update(spiTokenBase(params, key), 'utf8').digest('hex');
}

export function spiTokenValid(params: Record<string, string>, key: string): boolean {
  const expected = Buffer.from(spiToken(params, key));
  const given = Buffer.from((params.token ?? '').toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time. [I] The SPI pages show no zone; Marketplace runs on UTC+8. */
export function spiTime(ms: number): string {
  return new Date(ms + 8 * 3600_000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '');
}

/**
 * Parses `yyyy-MM-dd HH:mm:ss` in Beijing time (also with a `T`) to epoch ms; undefined when it is not
 * such a time or names a day that does not exist (`02-31`).
 */
export function parseSpiTime(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4] - 8, +m[5], +m[6]);
  const back = new Date(ms + 8 * 3600_000);
  const exact =
    back.getUTCMonth() === +m[2] - 1 && back.getUTCDate() === +m[3] && back.getUTCHours() === +m[4];
  return exact ? ms : undefined;
}
