import { createHash } from 'node:crypto';

/**
 * A ClientToken that names one intent: this content, this step, on this service version as it was read.
 * A re-run after a lost answer sends the same token, so the server answers again instead of acting again;
 * the version's UpdateTime in the basis keeps a later, different intent with the same content (publishing
 * A, then B, then A again) from being mistaken for the first one.
 * [I] Alibaba Cloud accepts ClientTokens of up to 64 ASCII characters.
 */
export function clientToken(contentHash: string, step: string, ...basis: (string | undefined)[]): string {
  const digest = createHash('sha256')
    .update([contentHash, step, ...basis.map((b) => b ?? '')].join('\0'))
    .digest('hex');
  return `nestkit-${digest.slice(0, 32)}`;
}
