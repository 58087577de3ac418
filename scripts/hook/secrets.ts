import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { EXIT, UserError } from '../errors';

/** The shortest key or token the hook accepts (the Marketplace's ISV keys are longer [I]). */
export const MIN_SECRET_LENGTH = 16;
/** The password-derivation secret: every order's admin password comes from it. */
export const MIN_PASSWORD_SECRET_LENGTH = 32;
export const PASSWORD_SECRET_VARIABLE = 'NESTKIT_PASSWORD_SECRET';

/**
 * Refuses a key or token that is too short, or made of so few characters, that it can be guessed:
 * `NESTKIT_SPI_KEY`, `NESTKIT_LICENSE_TOKEN`, `NESTKIT_CONSOLE_TOKEN`, `NESTKIT_PASSWORD_SECRET`.
 * Spaces around the value do not count. Absent or empty is the caller's business (some are optional).
 */
export function assertSecretLength(
  variable: string,
  value: string | undefined,
  minLength: number = MIN_SECRET_LENGTH,
): void {
  if (value === undefined || value === '') return;
  const length = value.trim().length;
  const distinct = new Set(value.trim()).size;
  if (length < minLength || distinct < 4)
    throw new UserError(
      'WeakSecret',
      `${variable} is ${length} characters long${length >= minLength ? ` but uses only ${distinct} different characters` : ''}; ` +
        `it must be at least ${minLength} characters that cannot be guessed (the key the Marketplace issued, or: openssl rand -hex 24)`,
      variable,
      EXIT.usage,
    );
}

/** The settings the password secret leaves in the database: a fingerprint, never the secret. */
export const LEGACY_SECRET_SETTING = 'instance-secret';
export const SECRET_FINGERPRINT_SETTING = 'password-secret-fingerprint';
/** What replaces a legacy secret in the database once it moved to the environment. */
export const MOVED_MARKER = `moved to ${PASSWORD_SECRET_VARIABLE}`;

export interface SecretSettings {
  setting(key: string, value?: string): Promise<string | undefined>;
}

/**
 * The password-derivation secret for this start, from `given` (NESTKIT_PASSWORD_SECRET) or, for
 * library callers that give none (tests, the demo's sandbox run), one made for this process. The
 * database keeps only its fingerprint (an HMAC of a constant under the secret), so:
 * - a first start records the fingerprint;
 * - a start with another secret is refused: it would change every customer's admin password;
 * - a database of an earlier version that holds the secret itself (`instance-secret`) is refused until
 *   NESTKIT_PASSWORD_SECRET is set to that value; then the value is overwritten in the database.
 */
export async function passwordSecretFor(
  store: SecretSettings,
  given: string | undefined,
  where: string,
): Promise<{ secret: string; migrated: boolean; first: boolean }> {
  assertSecretLength(PASSWORD_SECRET_VARIABLE, given, MIN_PASSWORD_SECRET_LENGTH);
  const secret = given ? given.trim() : PROCESS_SECRET;
  const legacy = await store.setting(LEGACY_SECRET_SETTING);
  const recorded = await store.setting(SECRET_FINGERPRINT_SETTING);
  const mine = fingerprint(secret);
  let migrated = false;
  if (legacy && legacy !== MOVED_MARKER) {
    if (!given || !sameText(legacy, secret))
      throw new UserError(
        'PasswordSecretInDatabase',
        `${where} holds the password secret of an earlier nestkit (setting "${LEGACY_SECRET_SETTING}"), from which every ` +
          `order's admin password is derived. Set ${PASSWORD_SECRET_VARIABLE} to that value (SELECT value FROM settings ` +
          `WHERE key = '${LEGACY_SECRET_SETTING}') and start again: the hook then removes it from the database. ` +
          "Starting with another secret would change every customer's password.",
        PASSWORD_SECRET_VARIABLE,
        EXIT.usage,
      );
    await store.setting(SECRET_FINGERPRINT_SETTING, mine);
    await store.setting(LEGACY_SECRET_SETTING, MOVED_MARKER);
    migrated = true;
  } else if (recorded && !sameText(recorded, mine)) {
    throw new UserError(
      'PasswordSecretChanged',
      `${given ? PASSWORD_SECRET_VARIABLE : 'no ' + PASSWORD_SECRET_VARIABLE + ' is set, and a new secret'} is not the ` +
        `password secret ${where} was used with: every customer's admin password would change. Set ` +
        `${PASSWORD_SECRET_VARIABLE} to the secret this database's orders were deployed with.`,
      PASSWORD_SECRET_VARIABLE,
      EXIT.usage,
    );
  }
  if (!recorded) await store.setting(SECRET_FINGERPRINT_SETTING, mine);
  return { secret, migrated, first: !recorded && !migrated };
}

/**
 * The secret of library callers that give none: one per process, so a hook restarted in the same
 * process (tests) derives the same passwords. `nestkit hook` never uses it: it requires the variable.
 */
const PROCESS_SECRET = randomBytes(32).toString('hex');

/** Proves a secret without revealing it: HMAC-SHA256 of a fixed text under the secret. */
export function fingerprint(secret: string): string {
  return createHmac('sha256', secret).update('nestkit-password-secret-fingerprint').digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
