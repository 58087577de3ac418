import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type Credential from '@alicloud/credentials';
import {
  CloudError,
  createMarketApi,
  createSupplierApi,
  isTransient,
  TokenBucket,
  type RetryOptions,
} from '../cloud';
import { loadServiceConfig } from '../../service-config/load';
import { marketRegionOf } from '../../service-config/model';
import { assertConsoleToken, consoleFor } from '../console/mount';
import {
  describeLicence,
  describeNotifications,
  describeReconcile,
  describeTeardown,
  PassLog,
  replicaLabel,
} from '../console/pass-log';
import { UserError } from '../errors';
import { CredentialsMissing, resolveCredential } from '../cloud/credentials';
import { sandboxClock, wallClock, type HookClock } from './clock';
import { findServiceId } from './find-service';
import { LicenseActivator } from './license/activator';
import { licensePass } from './license/license-pass';
import { createLogger, type HookLogger } from './logger';
import type { Policy } from './machine';
import { HookMetrics } from './metrics';
import { attachRollout } from '../rollout/hook-link';
import { reconcilePass, type ReconcileResult } from './reconciler';
import { failedNotificationPass, type FailedNotificationResult } from './notifications/failed-notifications';
import type { SpiDeps } from './spi/handler';
import { ssoKeyFrom } from './sso/sso-token';
import { keepTeardownLimits, teardownPass, type TeardownPassResult } from './scheduler';
import { assertSecretLength, passwordSecretFor } from './secrets';
import { logStateChanges } from './state-log';
import { createHookServer, type HookServerLimits } from './server';
import { guardStore, StoreHealth } from './store/guarded-store';
import { describeTarget, openStore, storeTarget } from './store/open-store';
import { PassLeases } from './pass-lease';
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
  /**
   * NESTKIT_PASSWORD_SECRET: every order's admin password is derived from it; the database keeps only
   * its fingerprint (secrets.ts). `nestkit hook` requires it; a library caller without one (tests, the
   * demo's sandbox run) gets one made for the process.
   */
  passwordSecret?: string;
  /** NESTKIT_CONSOLE_TOKEN: signs operators in to the web console at `/console`; without it the console is off. */
  consoleToken?: string;
  endpoint?: string;
  credential?: Credential;
  /**
   * The credential of the Market licence calls (NESTKIT_MARKET_ACCESS_KEY_ID/_SECRET), which may refuse
   * RAM users and STS tokens; default `credential`.
   */
  marketCredential?: Credential;
  /** The hook's clock; the demo passes the sandbox's virtual clock. */
  now?: () => Date;
  /**
   * Follow the virtual clock of the sandbox at `endpoint` (`GET /_sandbox/clock`), as `nestkit publish
   * --sandbox-clock` does: passes, timers, retention and retry waits run on it. Else the wall clock.
   */
  sandboxClock?: boolean;
  /** Calls per second to the Compute Nest API. */
  rateLimit?: number;
  /** The cloud client's own retries of safe calls (tests shorten the waits). */
  clientRetry?: RetryOptions;
  worker?: Partial<WorkerOptions>;
  limits?: Partial<TeardownLimits>;
  /**
   * Loop periods in ms; 0 turns a loop off (tests and the demo run passes themselves). `workerMs` is the
   * real time between scheduler ticks (0: no timer; `step()` ticks by hand); `teardownMs` and
   * `reconcileMs` are periods on the hook's clock (the sandbox's with `sandboxClock`).
   */
  intervals?: { workerMs?: number; teardownMs?: number; reconcileMs?: number };
  ssoWindowSeconds?: number;
  /** NESTKIT_SSO_KEY (at least 32 bytes): signs the sign-in token `verify` hands the application. */
  ssoKey?: string;
  /** NESTKIT_PUBLIC_URL: the hook's address as the Marketplace reaches it; `appInfo.authUrl` is it + `/spi`. */
  publicUrl?: string;
  /** How long to wait between looks at a deployment or deletion in progress. Default 5000. */
  pollMs?: number;
  /** Timeouts, body size and connection caps of the HTTP surface (server.ts has the defaults). */
  server?: Partial<HookServerLimits>;
  log?: HookLogger;
}

export interface RunningHook {
  url: string;
  port: number;
  store: HookStore;
  worker: Worker;
  metrics: HookMetrics;
  serviceId: string;
  /** This installation's identity (kept in its database, tagged on every instance it creates). */
  installationId: string;
  /** Whether the database commits; `/readyz` answers from it. */
  health: StoreHealth;
  /**
   * One scheduler tick, as the loops run it: the worker, then every pass whose period on the hook's
   * clock has come round. Resolves when what it started is done (tests drive the virtual clock with it).
   */
  step(): Promise<void>;
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
  assertSecretLength('NESTKIT_SPI_KEY', options.spiKey);
  assertSecretLength('NESTKIT_LICENSE_TOKEN', options.licenseToken);
  const ssoKey = hookSsoKey(options.ssoKey);
  assertConsoleToken(options.consoleToken);
  const model = loadServiceConfig(options.configPath);
  const log = options.log ?? createLogger();
  if (options.sandboxClock && !options.endpoint)
    throw new UserError('UsageError', '--sandbox-clock needs --endpoint (a sandbox)');
  const clock: HookClock = options.sandboxClock
    ? await sandboxClock(options.endpoint!)
    : options.now
      ? { now: options.now, refresh: async () => undefined }
      : wallClock;
  const now = () => clock.now();
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
  // --db, else NESTKIT_DATABASE_URL, else ./data/nestkit.db; a postgres:// URL picks PostgreSQL (replicas).
  const target = storeTarget(options.dbPath);
  const sqlite = await openStore(target, {
    onIdleError: (error) => log.warn({ error: error.message }, 'an idle database connection failed'),
  });
  // The service found once is kept: a hook restarted during a Compute Nest outage starts with it [I].
  const serviceId = await findServiceId(supplier, model).then(
    async (found) => (found ? sqlite.setting('service-id', found) : undefined),
    async (error: unknown) => {
      const kept = await sqlite.setting('service-id');
      if (kept && error instanceof CloudError && isTransient(error)) {
        log.warn(
          { serviceId: kept, error: error.message },
          'could not look the service up; using the one kept',
        );
        return kept;
      }
      await sqlite.close();
      throw error;
    },
  );
  if (!serviceId) {
    await sqlite.close();
    throw new UserError(
      'ServiceNotFound',
      `no Compute Nest service named "${model.service.name['en-US']}"; publish it first (nestkit publish) or set service.id in service.yaml`,
    );
  }
  const policy: Policy = model.lifecycle;
  const { secret: passwordSecret, migrated } = await passwordSecretFor(
    sqlite,
    options.passwordSecret,
    describeTarget(target),
  ).catch(async (error: unknown) => {
    await sqlite.close();
    throw error;
  });
  if (migrated)
    log.warn(
      { db: describeTarget(target) },
      'the password secret moved out of the database to NESTKIT_PASSWORD_SECRET; old backups still hold it (see README: backups)',
    );
  const installationId = await sqlite.installationId();
  const watchers: { metrics?: HookMetrics } = {};
  const health = new StoreHealth(log, (writable) => watchers.metrics?.storeHealth(writable));
  // Every committed state change is logged, whoever made it; a failed deployment is counted.
  const store = logStateChanges(guardStore(sqlite, health), log, (change) => {
    if (change.to === 'failed') watchers.metrics?.deploymentFailed();
  });
  const metrics = (watchers.metrics = new HookMetrics(store));
  // The fleet upgrade's tables in the same database, SQLite file or PostgreSQL (scripts/rollout).
  const rollout = await attachRollout(target, metrics.registry, {
    onIdleError: (error) => log.warn({ error: error.message }, 'an idle rollout-store connection failed'),
  }).catch(async (error: unknown) => {
    await sqlite.close();
    throw error;
  });
  const limits = { ...DEFAULT_TEARDOWN_LIMITS, ...options.limits };
  const worker = new Worker(
    store,
    {
      supplier,
      model,
      serviceId,
      installationId,
      now,
      pollMs: options.pollMs ?? 5000,
      secret: passwordSecret,
      rollout,
    },
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
  // The fleet's last passes, kept in the store: every replica's console shows them all.
  const passLog = new PassLog(store, replicaLabel(worker.owner), log);
  // The limits this hook guards teardowns with, for `nestkit orders resume` in another process.
  await keepTeardownLimits(store, limits);
  // Known once the server listens (its port may be 0 until then).
  const address: { authUrl?: string } = {};
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
    ssoKey,
    authUrl: () => address.authUrl,
  };
  const server = createHookServer(
    {
      spi,
      registry: metrics.registry,
      log,
      ready: () => !closing && health.writable,
      post: {
        '/license/activate': (body, authorization) => activator.handle(body, authorization),
      },
      console: consoleFor(options.consoleToken, {
        store,
        model,
        policy,
        now,
        log,
        passes: passLog,
        limits,
        rollouts: rollout,
      }),
    },
    options.server,
  );
  await listen(server, options.port ?? 8080, options.host ?? '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  address.authUrl = `${(options.publicUrl ?? `http://${options.host ?? '127.0.0.1'}:${port}`).replace(/\/+$/, '')}/spi`;
  // Each pass recorded as it ends (passLog.track: same functions, same results), each part of a reconcile too.
  const track = <T>(
    name: Parameters<PassLog['track']>[0],
    run: () => Promise<T>,
    describe: (result: T) => { summary: string; problem?: string; held?: boolean },
  ) => passLog.track(name, now, run, describe)();
  const passes = {
    teardownPass: () =>
      track('teardown', () => teardownPass(store, now(), policy, limits, log, metrics), describeTeardown),
    reconcilePass: async () => {
      const result = await track(
        'reconcile',
        () =>
          reconcilePass(supplier, store, {
            serviceId,
            installationId,
            model,
            policy,
            now,
            log,
            metrics,
            limits,
          }),
        describeReconcile,
      );
      const licenceEvents = await track(
        'licence',
        () => licensePass(market, store, { policy, now, log }),
        describeLicence,
      );
      const missedNotifications = await track(
        'notifications',
        () => failedNotificationPass(market, spi),
        describeNotifications,
      ).catch((error: unknown) => {
        log.warn({ error: (error as Error).message }, 'failed-notification pass failed');
        return undefined;
      });
      return { ...result, licenceEvents, missedNotifications };
    },
  };
  // With the loops on, the first reconcile runs at the first tick: notifications missed while the hook was
  // down are repaired now, not one interval later.
  // One replica at a time runs each pass (a lease in the database), the same owner as the worker's leases.
  const leases = new PassLeases(store, worker.owner, () => now().getTime());
  const scheduler = new Scheduler(
    options.intervals ?? {},
    clock,
    worker,
    passes,
    sqlite,
    health,
    log,
    leases,
  );
  worker.continuous = (options.intervals?.workerMs ?? 200) > 0 && options.worker?.dryRun !== true;
  log.info(
    {
      port,
      serviceId,
      installationId,
      clock: options.sandboxClock ? 'sandbox' : options.now ? 'given' : 'wall',
      market: market.client.endpoint.endpoint,
      marketCredential: options.marketCredential ? 'separate' : 'shared',
      db: describeTarget(target),
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
    installationId,
    health,
    step: () => scheduler.step(),
    ...passes,
    drain: () => worker.drain(),
    async close() {
      closing = true;
      await scheduler.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker.stop();
      await store.close();
      await rollout.close();
      log.info('hook stopped');
    },
  };
}

/**
 * The loops: one real-time timer (every `workerMs`) ticks the scheduler; each tick reads the hook's
 * clock, feeds the worker, and starts every pass whose period on that clock has come round (a pass still
 * running is not started twice). While the database cannot commit, a tick only probes it.
 */
class Scheduler {
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly next = { teardown: 0, reconcile: 0 };
  private readonly running = new Map<string, Promise<unknown>>();
  private stopped = false;
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly intervals: NonNullable<HookOptions['intervals']>,
    private readonly clock: HookClock,
    private readonly worker: Worker,
    private readonly passes: { teardownPass(): Promise<unknown>; reconcilePass(): Promise<unknown> },
    private readonly probeStore: { probe(): Promise<void> },
    private readonly health: StoreHealth,
    private readonly log: HookLogger,
    private readonly leases: PassLeases,
  ) {
    const tickMs = intervals.workerMs ?? 200;
    if (tickMs > 0) {
      this.timer = setInterval(() => {
        if (!this.ticking) this.ticking = this.step(false).finally(() => (this.ticking = undefined));
      }, tickMs);
      this.timer.unref?.();
      // The first tick at once: the first reconcile repairs what was missed while the hook was down.
      setImmediate(() => {
        if (!this.ticking && !this.stopped)
          this.ticking = this.step(false).finally(() => (this.ticking = undefined));
      });
    }
  }

  /** `wait` false (the timer's ticks): only the worker is waited for, so a long pass never holds it up. */
  async step(wait = true): Promise<void> {
    if (this.stopped) return;
    await this.clock.refresh();
    if (!this.health.writable) {
      try {
        await this.probeStore.probe();
        this.health.ok();
      } catch {
        return; // still cannot commit: logged once by the health, tried again next tick
      }
    }
    const started: Promise<unknown>[] = [this.quietly('worker', () => this.worker.tick())];
    const t = this.clock.now().getTime();
    const due = (name: 'teardown' | 'reconcile', period: number | undefined, fallback: number) => {
      const ms = period ?? fallback;
      if (ms <= 0 || t < this.next[name] || this.running.has(name)) return false;
      this.next[name] = t + ms;
      return true;
    };
    if (due('reconcile', this.intervals.reconcileMs, 300_000))
      started.push(this.quietly('reconcile', this.leased('reconcile', this.passes.reconcilePass)));
    if (due('teardown', this.intervals.teardownMs, 60_000))
      started.push(this.quietly('teardown', this.leased('teardown', this.passes.teardownPass)));
    await (wait ? Promise.all(started) : started[0]);
  }

  /** The pass under its lease: skipped while another replica runs it (reconcile covers licences and notifications). */
  private leased(name: 'teardown' | 'reconcile', pass: () => Promise<unknown>): () => Promise<unknown> {
    const period =
      name === 'teardown' ? (this.intervals.teardownMs ?? 60_000) : (this.intervals.reconcileMs ?? 300_000);
    return () => this.leases.run(name, period, pass);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.running.values(), this.ticking]);
  }

  /** Runs one pass, logging a failure once per pass (a database that cannot commit is logged by its health). */
  private quietly(name: string, work: () => Promise<unknown>): Promise<unknown> {
    const running = work()
      .catch((error: unknown) => {
        if ((error as Error)?.name !== 'StoreUnavailableError')
          this.log.error({ pass: name, error: (error as Error).message }, 'background pass failed');
      })
      .finally(() => this.running.delete(name));
    this.running.set(name, running);
    return running;
  }
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
    if (!(error instanceof CredentialsMissing)) throw error;
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
