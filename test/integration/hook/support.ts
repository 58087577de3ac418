import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SupplierApi } from '../../../scripts/cloud/supplier';
import { publishService } from '../../../scripts/publish';
import { startHook, type HookOptions, type RunningHook } from '../../../scripts/hook/hook';
import { createLogger } from '../../../scripts/hook/logger';
import { spiToken } from '../../../scripts/marketplace/spi-token';
import type { Sandbox } from '../../../scripts/sandbox';
import { REPO_ROOT, SAMPLE_CONFIG } from '../../support/model';
import { assertDistFresh } from '../../support/cli';
import { credential, sandbox, supplier } from '../sandbox/helpers';

export const SPI_KEY = 'test-isv-key-0123';
/** The password-derivation secret of the built hook's children (the in-process hooks make their own). */
export const PASSWORD_SECRET = 'test-password-secret-0123456789abcdef';

/** The built `nestkit hook` as a child process on the sample service, with the sandbox's keys and SPI_KEY. */
export function spawnBuiltHook(options: {
  db: string;
  port: number;
  endpoint: string;
  args?: string[];
  stdio?: StdioOptions;
}): ChildProcess {
  assertDistFresh();
  const base = ['hook', '--config', SAMPLE_CONFIG, '--db', options.db, '--port', String(options.port)];
  return spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'nestkit.js'), ...base, '--endpoint', options.endpoint, ...(options.args ?? [])],
    {
      env: {
        ...process.env,
        NESTKIT_SPI_KEY: SPI_KEY,
        NESTKIT_PASSWORD_SECRET: PASSWORD_SECRET,
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'sandbox',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'sandbox-secret',
        NESTKIT_LOG_LEVEL: 'error',
      },
      stdio: options.stdio ?? 'ignore',
    },
  );
}

/** The sample service published to the sandbox and Online, by `nestkit publish --launch` itself. */
export async function publishSample(box: Sandbox): Promise<string> {
  const result = await publishService({
    config: SAMPLE_CONFIG,
    goal: 'launch',
    endpoint: box.url,
    credential: credential(),
    approval: { advance: (seconds) => box.advance(seconds) },
  });
  return result.serviceId!;
}

export interface HookWorld {
  box: Sandbox;
  api: SupplierApi;
  hook: RunningHook;
  serviceId: string;
  dir: string;
  close(): Promise<void>;
  /** A signed SPI GET; returns the HTTP status and parsed JSON body. */
  spi(
    params: Record<string, string>,
    key?: string,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Moves both clocks (the hook follows the sandbox's) and runs every job that fell due. */
  advance(seconds: number): Promise<void>;
  /** Runs the worker, then moves the clocks through a deployment and the watch that sees it. */
  settleDeployments(): Promise<void>;
  /** Runs a teardown pass, the worker, and moves the clocks through the deletions it started. */
  settleTeardowns(): Promise<{ started: number }>;
}

/** A sandbox with the sample service Online and a hook on the sandbox's virtual clock, loops off. */
export async function hookWorld(options: Partial<HookOptions> = {}): Promise<HookWorld> {
  const box = await sandbox();
  const api = supplier(box);
  const serviceId = await publishSample(box);
  const dir = mkdtempSync(join(tmpdir(), 'nestkit-hook-'));
  const hook = await startHook({
    configPath: SAMPLE_CONFIG,
    dbPath: join(dir, 'nestkit.db'),
    port: 0,
    spiKey: SPI_KEY,
    endpoint: box.url,
    credential: credential(),
    now: () => new Date(box.clock.now()),
    intervals: { workerMs: 0, teardownMs: 0, reconcileMs: 0 },
    worker: { backoffBaseMs: 1000, backoffMaxMs: 1000 },
    rateLimit: 1000,
    clientRetry: { sleep: async () => undefined },
    log: createLogger({ level: 'silent' }),
    ...options,
  });
  /** Runs the worker, then for each step moves the sandbox's clock (the hook's too) and runs it again. */
  const driveClock = async (steps: number[]) => {
    await hook.drain();
    for (const seconds of steps) {
      box.advance(seconds);
      await hook.drain();
    }
  };
  return {
    box,
    api,
    hook,
    serviceId,
    dir,
    async close() {
      await hook.close();
      await box.close();
      rmSync(dir, { recursive: true, force: true });
    },
    async spi(params, key = SPI_KEY) {
      const url = new URL(`${hook.url}/spi`);
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      url.searchParams.set('token', spiToken(params, key));
      const response = await fetch(url, { redirect: 'manual' });
      const location = response.headers.get('location') ?? undefined;
      return {
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
        ...(location ? { location } : {}),
      };
    },
    async advance(seconds) {
      box.advance(seconds);
      await hook.drain();
    },
    async settleDeployments() {
      const t = box.core.timings;
      await driveClock([t.deployStartSeconds + t.deploySeconds + 5, 5]);
    },
    async settleTeardowns() {
      const pass = await hook.teardownPass();
      await driveClock([box.core.timings.deleteSeconds + 5, 5]);
      return pass;
    },
  };
}

/** A createInstance notification of the sample's basic edition, with optional billing items. */
/**
 * A second hook against the world's sandbox and service, driven by hand like the world's own hook: by
 * default a second installation (its own database, `second.db` in the world's folder); given the
 * world's database, a replica of it.
 */
export function startSecondHook(w: HookWorld, options: Partial<HookOptions> = {}): Promise<RunningHook> {
  return startHook({
    configPath: SAMPLE_CONFIG,
    dbPath: join(w.dir, 'second.db'),
    port: 0,
    spiKey: SPI_KEY,
    endpoint: w.box.url,
    credential: credential(),
    now: () => new Date(w.box.clock.now()),
    intervals: { workerMs: 0, teardownMs: 0, reconcileMs: 0 },
    rateLimit: 1000,
    clientRetry: { sleep: async () => undefined },
    log: createLogger({ level: 'silent' }),
    ...options,
  });
}

export const startSecondInstallation = (w: HookWorld) => startSecondHook(w);

export function createParams(orderBizId: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    action: 'createInstance',
    aliUid: '1234567890123456',
    orderBizId,
    orderId: `o-${orderBizId}`,
    productCode: 'cmjj00012345',
    skuId: 'yuncode5012300001',
    trial: 'false',
    expiredOn: '2026-02-01 08:00:00',
    ...extra,
  };
}
