import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSupplierApi } from '../../../scripts/cloud/supplier';
import { toCloudError } from '../../../scripts/cloud/errors';
import { UserError } from '../../../scripts/errors';
import {
  assertSecretLength,
  fingerprint,
  LEGACY_SECRET_SETTING,
  MOVED_MARKER,
  passwordSecretFor,
  SECRET_FINGERPRINT_SETTING,
} from '../../../scripts/hook/secrets';
import { SqliteStore } from '../../../scripts/hook/store/sqlite-store';

const PASSWORD = 'Nkx1y2z3SecretAdmin7!';

describe('weak keys refused at start (issue 14.6)', () => {
  it.each([
    ' ',
    'k',
    'short-key',
    ' '.repeat(20),
    'a'.repeat(16),
    'abababababababab',
    `  ${'x'.repeat(14)}  `,
  ])('refuses %j with a message naming the variable and the minimum', (key) => {
    let error: unknown;
    try {
      assertSecretLength('NESTKIT_SPI_KEY', key);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: 'WeakSecret', location: 'NESTKIT_SPI_KEY', exitCode: 2 });
    expect((error as Error).message).toMatch(/NESTKIT_SPI_KEY is \d+ characters long.*at least 16/);
  });

  it('accepts a key of 16 characters and more, and leaves an absent optional one to the caller', () => {
    expect(() => assertSecretLength('NESTKIT_SPI_KEY', 'test-isv-key-0123')).not.toThrow();
    expect(() => assertSecretLength('NESTKIT_LICENSE_TOKEN', undefined)).not.toThrow();
    expect(() => assertSecretLength('NESTKIT_PASSWORD_SECRET', 'x1'.repeat(10), 32)).toThrow(/at least 32/);
  });
});

describe('the password secret out of the database (issue 14.9)', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestkit-secret-'));
    store = new SqliteStore(join(dir, 'nestkit.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const A = 'first-password-secret-0123456789abcdef';
  const B = 'other-password-secret-0123456789abcdef';

  it('keeps only a fingerprint, and refuses a start with another secret', async () => {
    expect(await passwordSecretFor(store, A, 'db')).toEqual({ secret: A, migrated: false, first: true });
    expect(await store.setting(SECRET_FINGERPRINT_SETTING)).toBe(fingerprint(A));
    expect(await passwordSecretFor(store, A, 'db')).toMatchObject({ first: false });
    await expect(passwordSecretFor(store, B, 'db')).rejects.toMatchObject({
      code: 'PasswordSecretChanged',
      message: expect.stringMatching(/every customer's admin password would change/),
    });
  });

  it('refuses a database that holds the secret of an earlier version until the variable holds it, then moves it out', async () => {
    const legacy = 'a1b2'.repeat(16);
    await store.setting(LEGACY_SECRET_SETTING, legacy);
    await expect(passwordSecretFor(store, undefined, 'db')).rejects.toMatchObject({
      code: 'PasswordSecretInDatabase',
    });
    await expect(passwordSecretFor(store, B, 'db')).rejects.toMatchObject({
      code: 'PasswordSecretInDatabase',
    });
    expect(await store.setting(LEGACY_SECRET_SETTING)).toBe(legacy); // nothing changed by a refused start
    expect(await passwordSecretFor(store, legacy, 'db')).toMatchObject({ secret: legacy, migrated: true });
    expect(await store.setting(LEGACY_SECRET_SETTING)).toBe(MOVED_MARKER);
    expect(await passwordSecretFor(store, legacy, 'db')).toMatchObject({ migrated: false, first: false });
  });
});

describe('a cloud call that times out (issue 14.9)', () => {
  let server: Server;
  let port: number;
  const held: Socket[] = [];
  beforeAll(async () => {
    // Accepts and never answers: the SDK's ReadTimeout, whose message carries the request.
    server = createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => {
    for (const socket of held) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });

  it('leaves the request, AdminPassword included, out of the error', async () => {
    const api = createSupplierApi({
      endpoint: `http://127.0.0.1:${port}`,
      credential: undefined,
      readTimeoutMs: 150,
      connectTimeoutMs: 150,
      retry: { maxAttempts: 1, sleep: async () => undefined },
    });
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID ??= 'sandbox';
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ??= 'sandbox-secret';
    const error = await api
      .createServiceInstance({
        ServiceId: 'service-1',
        Name: 'x',
        Parameters: { AdminPassword: PASSWORD },
        ClientToken: 'nk-create-1',
      } as never)
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toMatch(/timeout/i);
    expect(error?.message).not.toContain(PASSWORD);
    expect(error?.message).not.toMatch(/AdminPassword|Signature=|Parameters/);
  });

  it.each([
    `ConnectTimeout: Connect http://10.0.0.1/?Action=CreateServiceInstance&Parameters=%7B%22AdminPassword%22%3A%22${PASSWORD}%22%7D failed.`,
    `ReadTimeout: 10000. POST /?Action=CreateServiceInstance&Parameters=${encodeURIComponent(JSON.stringify({ AdminPassword: PASSWORD }))} failed.`,
    `POST http://h/?AdminPassword=${PASSWORD} failed.`,
  ])('cuts the query out of %s', (message) => {
    const error = toCloudError(
      Object.assign(new Error(message), { name: 'RequestTimeoutError' }),
      'CreateServiceInstance',
    );
    expect(error.message).not.toContain(PASSWORD);
    expect(error.message).not.toContain(encodeURIComponent(PASSWORD));
    expect(error.code).toBe('RequestTimeout');
  });
});
