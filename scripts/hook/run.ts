import { EXIT, UserError } from '../errors';
import { startHook } from './hook';
import { marketCredentialFromEnv } from './license/market-credential';

export interface HookCommandOptions {
  config: string;
  port: string;
  host: string;
  /** Unset: NESTKIT_DATABASE_URL, then the default SQLite file. */
  db?: string;
  endpoint?: string;
  dryRun?: boolean;
  sandboxClock?: boolean;
  retryHours: string;
  rateLimit: string;
  reconcileInterval: string;
  teardownInterval: string;
  maxTeardowns: string;
  maxTeardownShare: string;
  teardownShareAbove: string;
  pollInterval: string;
  leaseSeconds: string;
  maxConnections?: string;
  maxConnectionsPerSource: string;
}

/** Runs until SIGTERM or SIGINT, then shuts down gracefully (in-flight work finished, leases released). */
export async function runHook(options: HookCommandOptions): Promise<number> {
  const spiKey = process.env.NESTKIT_SPI_KEY ?? '';
  if (!spiKey) {
    throw new UserError(
      'MissingSpiKey',
      'set NESTKIT_SPI_KEY to the ISV key of the Marketplace SPI; the hook does not run without it',
      undefined,
      EXIT.usage,
    );
  }
  const passwordSecret = process.env.NESTKIT_PASSWORD_SECRET ?? '';
  if (!passwordSecret)
    throw new UserError(
      'MissingPasswordSecret',
      'set NESTKIT_PASSWORD_SECRET (at least 32 characters, e.g. openssl rand -hex 32) to the secret every ' +
        "order's admin password is derived from; keep it with the database's backups, never in them",
      'NESTKIT_PASSWORD_SECRET',
      EXIT.usage,
    );
  if (options.sandboxClock && !(options.endpoint ?? process.env.NESTKIT_ENDPOINT))
    throw new UserError('UsageError', '--sandbox-clock needs --endpoint (a sandbox)', undefined, EXIT.usage);
  const hook = await startHook({
    passwordSecret,
    configPath: options.config,
    dbPath: options.db,
    port: number(options.port, '--port', { min: 0, max: 65535, integer: true }),
    host: options.host,
    spiKey,
    licenseToken: process.env.NESTKIT_LICENSE_TOKEN,
    consoleToken: process.env.NESTKIT_CONSOLE_TOKEN,
    ssoKey: process.env.NESTKIT_SSO_KEY,
    publicUrl: process.env.NESTKIT_PUBLIC_URL,
    marketCredential: marketCredentialFromEnv(),
    endpoint: options.endpoint ?? process.env.NESTKIT_ENDPOINT,
    sandboxClock: options.sandboxClock === true,
    rateLimit: number(options.rateLimit, '--rate-limit', { min: 0.01 }),
    worker: {
      dryRun: options.dryRun === true,
      retryBudgetMs: number(options.retryHours, '--retry-hours', { min: 0.001 }) * 3600_000,
      leaseMs: number(options.leaseSeconds, '--lease-seconds', { min: 1 }) * 1000,
    },
    pollMs: number(options.pollInterval, '--poll-interval', { min: 10 }),
    server: {
      ...(options.maxConnections === undefined
        ? {}
        : { maxConnections: number(options.maxConnections, '--max-connections', { min: 1, integer: true }) }),
      maxConnectionsPerSource: number(options.maxConnectionsPerSource, '--max-connections-per-source', {
        min: 1,
        integer: true,
      }),
    },
    limits: {
      maxPerPass: number(options.maxTeardowns, '--max-teardowns', { min: 1, integer: true }),
      maxShare: number(options.maxTeardownShare, '--max-teardown-share', { min: 0.0001, max: 1 }),
      shareAppliesAbove: number(options.teardownShareAbove, '--teardown-share-above', {
        min: 0,
        integer: true,
      }),
    },
    intervals: {
      reconcileMs: number(options.reconcileInterval, '--reconcile-interval', { min: 0.05 }) * 1000,
      teardownMs: number(options.teardownInterval, '--teardown-interval', { min: 0.05 }) * 1000,
    },
  });
  process.stderr.write(
    `nestkit hook listening on ${hook.url} (service ${hook.serviceId}); SPI at ${hook.url}/spi\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await hook.close();
  return EXIT.ok;
}

/** A numeric option within its range, or a usage error naming the flag (exit 2). */
function number(
  value: string,
  flag: string,
  range: { min: number; max?: number; integer?: boolean },
): number {
  const n = Number(value);
  const ok =
    value.trim() !== '' &&
    Number.isFinite(n) &&
    n >= range.min &&
    (range.max === undefined || n <= range.max) &&
    (!range.integer || Number.isInteger(n));
  if (!ok) {
    const kind = range.integer ? 'a whole number' : 'a number';
    const bounds = range.max === undefined ? `>= ${range.min}` : `from ${range.min} to ${range.max}`;
    throw new UserError(
      'UsageError',
      `${flag} must be ${kind} ${bounds}, not "${value}"`,
      undefined,
      EXIT.usage,
    );
  }
  return n;
}
