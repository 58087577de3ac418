import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The identity `verify` hands the application: a compact JWS (JWT, HS256) over
 * `{iss, sub, order, iat, exp, jti}`, signed with NESTKIT_SSO_KEY.
 *
 * node:crypto rather than `jose`: jose 6 is ESM-only, which this CommonJS package (and jest's CommonJS
 * runtime) cannot `require`, and jose 5 is its previous line; an HS256 JWT is one HMAC over two
 * base64url segments, written out here in full and checked against the README's verifier in the tests.
 * Applications may verify it with any JWT library (`jose.jwtVerify` with `algorithms: ['HS256']`).
 */
export const SSO_ISSUER = 'nestkit-hook';
/** The token's lifetime: long enough for one redirect, short enough that a leaked URL is soon useless [I]. */
export const SSO_TOKEN_TTL_SECONDS = 60;
/** HS256 keys shorter than the hash are refused (RFC 7518 section 3.2). */
export const SSO_KEY_MIN_BYTES = 32;

export interface SsoClaims {
  iss: string;
  /** The buyer: the Alibaba Cloud account id (`aliUid`) of the order. */
  sub: string;
  /** The Marketplace instance id of the order (`orderBizId`), the hook's record id. */
  order: string;
  iat: number;
  exp: number;
  /** Unique per token: an application that remembers it until `exp` accepts each token once. */
  jti: string;
}

/** The key from the environment, or undefined when unset; throws when it is too short. */
export function ssoKeyFrom(value: string | undefined): Buffer | undefined {
  if (value === undefined || value === '') return undefined;
  const key = Buffer.from(value, 'utf8');
  if (key.length < SSO_KEY_MIN_BYTES)
    throw new RangeError(
      `NESTKIT_SSO_KEY is ${key.length} bytes; at least ${SSO_KEY_MIN_BYTES} (e.g. openssl rand -hex 32)`,
    );
  return key;
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function signSsoToken(
  subject: { buyer: string; order: string },
  key: Buffer,
  nowMs: number,
  ttlSeconds = SSO_TOKEN_TTL_SECONDS,
): string {
  const iat = Math.floor(nowMs / 1000);
  const claims: SsoClaims = {
    iss: SSO_ISSUER,
    sub: subject.buyer,
    order: subject.order,
    iat,
    exp: iat + ttlSeconds,
    jti: randomBytes(16).toString('hex'),
  };
  const signingInput = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify(claims))}`;
  return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`;
}

/** The claims of a valid, unexpired token of this issuer; undefined for anything else. */
export function verifySsoToken(token: string, key: Buffer, nowMs: number): SsoClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts;
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    if (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).alg !== 'HS256') return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SsoClaims;
    const now = nowMs / 1000;
    if (claims.iss !== SSO_ISSUER || typeof claims.exp !== 'number' || claims.exp <= now) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}
