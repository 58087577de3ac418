import { Sessions, sameSecret } from '../../../scripts/console/session';

const TOKEN = 'a-console-token-of-some-length';

describe('console sessions', () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const sessions = new Sessions(TOKEN, () => now, 60_000);

  it('signs in with the token only', () => {
    expect(sessions.signIn('wrong')).toBeUndefined();
    expect(sessions.signIn(`${TOKEN}x`)).toBeUndefined();
    expect(sessions.signIn('')).toBeUndefined();
    expect(sessions.signIn(TOKEN)?.cookie).toMatch(/^[\w-]+\.\d+\.[\w-]+$/);
  });

  it('accepts its own cookie until it expires on the given clock', () => {
    const { cookie, session } = sessions.signIn(TOKEN)!;
    expect(sessions.verify(cookie)).toEqual(session);
    now += 59_999;
    expect(sessions.verify(cookie)).toBeDefined();
    now += 1;
    expect(sessions.verify(cookie)).toBeUndefined();
  });

  it('refuses a cookie whose expiry or id was changed, or that another token signed', () => {
    const { cookie } = sessions.signIn(TOKEN)!;
    const [id, expiry, mac] = cookie.split('.');
    expect(sessions.verify(`${id}.${Number(expiry) + 1e9}.${mac}`)).toBeUndefined();
    expect(sessions.verify(`x${id}.${expiry}.${mac}`)).toBeUndefined();
    const other = new Sessions('another-console-token-entirely', () => now, 60_000);
    expect(other.verify(cookie)).toBeUndefined();
    expect(sessions.verify(undefined)).toBeUndefined();
    expect(sessions.verify('a.b')).toBeUndefined();
  });

  it('forgets a signed-out session', () => {
    const { cookie, session } = sessions.signIn(TOKEN)!;
    sessions.signOut(session);
    expect(sessions.verify(cookie)).toBeUndefined();
  });

  it("checks a form's CSRF token against its own session only", () => {
    const a = sessions.signIn(TOKEN)!.session;
    const b = sessions.signIn(TOKEN)!.session;
    expect(sessions.checkCsrf(a, a.csrf)).toBe(true);
    expect(sessions.checkCsrf(a, b.csrf)).toBe(false);
    expect(sessions.checkCsrf(a, undefined)).toBe(false);
    expect(sessions.checkCsrf(a, '')).toBe(false);
  });

  it('compares secrets of different lengths without throwing', () => {
    expect(sameSecret('short', 'a much longer secret')).toBe(false);
    expect(sameSecret('same', 'same')).toBe(true);
  });
});
