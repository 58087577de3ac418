import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type Credential from '@alicloud/credentials';
import { createMarketApi, createSupplierApi, TokenBucket, type RetryOptions } from '../cloud';
import { loadServiceConfig } from '../../service-config/load';
import { marketRegionOf } from '../../service-config/model';
import { UserError } from '../errors';
import { resolveCredential } from '../publish/credentials';
import { PublishError } from '../publish/errors';
import { findServiceId } from './find-service';
import { LicenseActivator } from './license/activator';
import { licensePass } from './license/license-pass';
import { createLogger, type HookLogger } from './logger';
import type { Policy } from './machine';
import { HookMetrics } from './metrics';
import { reconcilePass, type ReconcileResult } from './reconciler';
import { failedNotificationPass, type FailedNotificationResult } from './notifications/failed-notifications';
import type { SpiDeps } from './spi/handler';
import { ssoKeyFrom } from './sso/sso-token';
import { teardownPass, type TeardownPassResult } from './scheduler';
import { createHookServer } from './server';
import { SqliteStore, DEFAULT_DB } from './store/sqlite-store';
import type { HookStore } from './store/store';
import { DEFAULT_TEARDOWN_LIMITS, type TeardownLimits } from './teardown-guard';
import { DEFAULT_WORKER_OPTIONS, Worker, type WorkerOptions } from './worker';

export interface HookOptions {
  configPath?: string;
  dbPath?: string;
  port?: number;
  host?: string;
  /** The ISV key of the SPI (NESTKIT_SPI_KEY); the hook refuses to start without one. */
  spiKey: string;
  /** Bearer token of `POST /license/activate` (NESTKIT_LICENSE_TOKEN); without it licence activation is off. */
  licenseToken?: string;
  endpoint?: string;
  credential?: Credential;
  /**
   * The credential of the Market licence calls (NESTKIT_MARKET_ACCESS_KEY_ID/_SECRET), which may refuse
   * RAM users and STS tokens; default `credential`.
   */
  marketCredential?: Credential;
  /** The hook's clock; the demo passes the sandbox's virtual clock. */
  now?: () => Date;
  /** Calls per second to the Compute Nest API. */
  rateLimit?: number;
  /** The cloud client's own retries of safe calls (tests shorten the waits). */
  clientRetry?: RetryOptions;
  worker?: Partial<WorkerOptions>;
  limits?: Partial<TeardownLimits>;
  /** Loop periods in ms; 0 turns a loop off (tests and the demo run passes themselves). */
  intervals?: { workerMs?: number; teardownMs?: number; reconcileMs?: number };
  ssoWindowSeconds?: number;
  /** NESTKIT_SSO_KEY (at least 32 bytes): signs the sign-in token `verify` hands the application. */
  ssoKey?: string;
  /** NESTKIT_PUBLIC_URL: the hook's address as the Marketplace reaches it; `appInfo.authUrl` is it + `/spi`. */
  publicUrl?: string;
  /** How long to wait between looks at a deployment or deletion in progress. Default 5000. */
  pollMs?: number;
  log?: HookLogger;
}

export interface RunningHook {
  url: string;
  port: number;
  store: HookStore;
  worker: Worker;
  metrics: HookMetrics;
  serviceId: string;
  teardownPass(): Promise<TeardownPassResult>;
  /** Compute Nest instances, then the licences of licence-mode orders. */
  reconcilePass(): Promise<
    ReconcileResult & { licenceEvents: number; missedNotifications?: FailedNotificationResult }
  >;
  /** Runs every runnable job to its end (tests, benchmarks, the demo). */
  drain(): Promise<void>;
  /** Graceful shutdown: stop the loops, finish in-flight jobs, release leases, close. */
  close(): Promise<void>;
}

export async function startHook(options: HookOptions): Promise<RunningHook> {
  if (!options.spiKey)
    throw new UserError(
      'MissingSpiKey',
      'set NESTKIT_SPI_KEY to the ISV key of the Marketplace SPI; the hook does not run without it',
    );
  const model = loadServiceConfig(options.configPath);
  const now = options.now ?? (() => new Date());
  const log = options.log ?? createLogger();
  const credential = await hookCredential(options.credential);
  const supplier = createSupplierApi({
    regionId: model.service.regionId,
    endpoint: options.endpoint,
    credential,
    rateLimit: new TokenBucket({ ratePerSecond: options.rateLimit ?? 20, burst: options.rateLimit ?? 20 }),
    retry: options.clientRetry,
  });
  const market = createMarketApi({
    regionId: marketRegionOf(model.service),
    endpoint: options.endpoint,
    credential: options.marketCredential ?? credential,
    rateLimit: { ratePerSecond: options.rateLimit ?? 20 },
    retry: options.clientRetry,
  });
  const serviceId = await findServiceId(supplier, model);
  if (!serviceId)
    throw new UserError(
      'ServiceNotFound',
      `no Compute Nest service named "${model.service.name['en-US']}"; publish it first (nestkit publish) or set service.id in service.yaml`,
    );
  const store = new SqliteStore(options.dbPath ?? DEFAULT_DB);
  const policy: Policy = model.lifecycle;
  const passwordSecret = await store.instanceSecret();
  const metrics = new HookMetrics(store);
  const limits = { ...DEFAULT_TEARDOWN_LIMITS, ...options.limits };
  const worker = new Worker(
    store,
    { supplier, model, serviceId, now, pollMs: options.pollMs ?? 5000, secret: passwordSecret },
    policy,
    { ...DEFAULT_WORKER_OPTIONS, ...options.worker },
    log,
    metrics,
  );
  const activator = new LicenseActivator({
    market,
    store,
    model,
    policy,
    now,
    log,
    token: options.licenseToken,
  });
  let closing = false;
  let authUrl: string | undefined;
  const spi: SpiDeps = {
    store,
    model,
    policy,
    key: options.spiKey,
    now,
    log,
    metrics,
    ssoWindowMs: (options.ssoWindowSeconds ?? 300) * 1000,
    passwordSecret,
    ssoKey: hookSsoKey(options.ssoKey),
    authUrl: () => authUrl,
  };
  const server = createHookServer({
    spi,
    registry: metrics.registry,
    log,
    ready: () => !closing,
    post: {
      '/license/activate': (body, authorization) => activator.handle(body, authorization),
    },
  });
  await listen(server, options.port ?? 8080, options.host ?? '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  authUrl = `${(options.publicUrl ?? `http://${options.host ?? '127.0.0.1'}:${port}`).replace(/\/+$/, '')}/spi`;
  const passes = {
    teardownPass: () => teardownPass(store, now(), policy, limits, log, metrics),
    reconcilePass: async () => {
      const result = await reconcilePass(supplier, store, { serviceId, model, policy, now, log, metrics });
      const licenceEvents = await licensePass(market, store, { policy, now, log });
      const missedNotifications = await failedNotificationPass(market, spi).catch((error: unknown) => {
        log.warn({ error: (error as Error).message }, 'failed-notification pass failed');
        return undefined;
      });
      return { ...result, licenceEvents, missedNotifications };
    },
  };
  const loops = startLoops(options.intervals ?? {}, worker, passes, log);
  // With the loops on, the first reconcile runs at once: notifications missed while the hook was down
  // are repaired now, not one interval later.
  if ((options.intervals?.reconcileMs ?? 1) > 0) {
    passes
      .reconcilePass()
      .catch((error: unknown) =>
        log.warn({ error: (error as Error).message }, 'first reconcile pass failed'),
      );
  }
  worker.continuous = (options.intervals?.workerMs ?? 200) > 0 && options.worker?.dryRun !== true;
  log.info(
    {
      port,
      serviceId,
      market: market.client.endpoint.endpoint,
      marketCredential: options.marketCredential ? 'separate' : 'shared',
      db: options.dbPath ?? DEFAULT_DB,
      dryRun: options.worker?.dryRun === true,
    },
    'hook started',
  );
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    store,
    worker,
    metrics,
    serviceId,
    ...passes,
    drain: () => worker.drain(),
    async close() {
      closing = true;
      loops.forEach(clearInterval);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker.stop();
      await store.close();
      log.info('hook stopped');
    },
  };
}

function startLoops(
  intervals: NonNullable<HookOptions['intervals']>,
  worker: Worker,
  passes: { teardownPass(): Promise<unknown>; reconcilePass(): Promise<unknown> },
  log: HookLogger,
): NodeJS.Timeout[] {
  const every = (ms: number | undefined, fallback: number, work: () => Promise<unknown>) => {
    const period = ms ?? fallback;
    if (period <= 0) return undefined;
    let running = false;
    return setInterval(() => {
      if (running) return;
      running = true;
      work()
        .catch((error: unknown) => log.error({ error: (error as Error).message }, 'background pass failed'))
        .finally(() => (running = false));
    }, period);
  };
  return [
    every(intervals.workerMs, 200, () => worker.tick()),
    every(intervals.teardownMs, 60_000, passes.teardownPass),
    every(intervals.reconcileMs, 300_000, passes.reconcilePass),
  ].filter((t): t is NodeJS.Timeout => t !== undefined);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

/** The credential chain resolved before the first call, so a missing setup is named as such. */
async function hookCredential(given: Credential | undefined): Promise<Credential> {
  try {
    return await resolveCredential(given);
  } catch (error) {
    if (!(error instanceof PublishError)) throw error;
    throw new UserError(error.code, `${error.message}; ${error.hint}`);
  }
}

/** NESTKIT_SSO_KEY as a key, refused at start-up when too short. */
function hookSsoKey(value: string | undefined): Buffer | undefined {
  try {
    return ssoKeyFrom(value);
  } catch (error) {
    throw new UserError('InvalidSsoKey', (error as Error).message);
  }
}
