import { EXIT, UserError } from '../errors';
import { startHook } from './hook';

export interface HookCommandOptions {
  config: string;
  port: string;
  host: string;
  db: string;
  endpoint?: string;
  dryRun?: boolean;
  rateLimit: string;
  reconcileInterval: string;
  teardownInterval: string;
  maxTeardowns: string;
  maxTeardownShare: string;
  pollInterval: string;
  leaseSeconds: string;
}

/** Runs until SIGTERM or SIGINT, then shuts down gracefully (in-flight work finished, leases released). */
export async function runHook(options: HookCommandOptions): Promise<number> {
  const hook = await startHook({
    configPath: options.config,
    dbPath: options.db,
    port: number(options.port, '--port'),
    host: options.host,
    spiKey: process.env.NESTKIT_SPI_KEY ?? '',
    licenseToken: process.env.NESTKIT_LICENSE_TOKEN,
    endpoint: options.endpoint,
    rateLimit: number(options.rateLimit, '--rate-limit'),
    worker: {
      dryRun: options.dryRun === true,
      leaseMs: number(options.leaseSeconds, '--lease-seconds') * 1000,
    },
    pollMs: number(options.pollInterval, '--poll-interval'),
    limits: {
      maxPerPass: number(options.maxTeardowns, '--max-teardowns'),
      maxShare: number(options.maxTeardownShare, '--max-teardown-share'),
    },
    intervals: {
      reconcileMs: number(options.reconcileInterval, '--reconcile-interval') * 1000,
      teardownMs: number(options.teardownInterval, '--teardown-interval') * 1000,
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

function number(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new UserError('UsageError', `${flag} must be a number >= 0, not "${value}"`, undefined, EXIT.usage);
  return n;
}
