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
