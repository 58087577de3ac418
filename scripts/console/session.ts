import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a sign-in lasts, on the hook's clock. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
export const SESSION_COOKIE = 'nestkit_console';

/** Compares two secrets in time that depends on neither: both are hashed to the same length first. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export interface Session {
  id: string;
  expiresAt: number;
  /** The per-session token every form of an action must carry. */
  csrf: string;
}

/**
 * Sessions as signed cookies (`<id>.<expiry>.<mac>`), keyed by the console token: any replica of the
 * hook that has the same token accepts them, and changing the token signs everyone out. Signing out
 * forgets the id in this process (a replica that did not see it accepts the cookie until it expires).
 */
export class Sessions {
  private readonly key: Buffer;
  private readonly revoked = new Map<string, number>();

  constructor(
    private readonly token: string,
    private readonly now: () => number,
    private readonly ttlMs = SESSION_TTL_MS,
  ) {
    this.key = createHmac('sha256', token).update('nestkit-console-session').digest();
  }

  /** A new session when `given` is the console token, else undefined. */
  signIn(given: string): { session: Session; cookie: string } | undefined {
    if (!sameSecret(given, this.token)) return undefined;
    const id = randomBytes(18).toString('base64url');
    const expiresAt = this.now() + this.ttlMs;
    const cookie = `${id}.${expiresAt}.${this.mac(`${id}.${expiresAt}`)}`;
    return { session: this.session(id, expiresAt), cookie };
  }

  /** The session a cookie value proves, or undefined (forged, expired, signed out). */
  verify(cookie: string | undefined): Session | undefined {
    if (!cookie) return undefined;
    const parts = cookie.split('.');
    if (parts.length !== 3) return undefined;
    const [id, expiry, mac] = parts;
    if (!sameSecret(mac, this.mac(`${id}.${expiry}`))) return undefined;
    const expiresAt = Number(expiry);
    if (!Number.isSafeInteger(expiresAt) || expiresAt <= this.now() || this.revoked.has(id)) return undefined;
    return this.session(id, expiresAt);
  }

  signOut(session: Session): void {
    const now = this.now();
    for (const [id, until] of this.revoked) if (until <= now) this.revoked.delete(id);
    this.revoked.set(session.id, session.expiresAt);
  }

  /** Whether a form's token is this session's. */
  checkCsrf(session: Session, given: string | undefined): boolean {
    return given !== undefined && sameSecret(given, session.csrf);
  }

  private session(id: string, expiresAt: number): Session {
    return { id, expiresAt, csrf: this.mac(`csrf:${id}`) };
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }
}
