import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pino from 'pino';
import { startHook, type HookOptions, type RunningHook } from '../../scripts/hook/hook';
import { createLogger } from '../../scripts/hook/logger';
import { transition } from '../../scripts/hook/machine';
import { hookTags } from '../../scripts/hook/tags';
import { spiTime, spiToken } from '../../scripts/marketplace/spi-token';
import { publishService } from '../../scripts/publish';
import { startSandbox, DEFAULT_ACCESS_KEY, type Sandbox } from '../../scripts/sandbox';
import { createInstance } from '../../scripts/sandbox/deploy/engine';
import { loadServiceConfig } from '../../service-config/load';
import { OPEN_LOOP_SOCKETS, REPO_ROOT, sandboxCredential as credential, round, type Figure } from './measure';

const CONFIG = join(REPO_ROOT, 'service-config', 'service.yaml');
const SPI_KEY = 'bench-isv-key-0123';
const SKU = 'yuncode5012300001';
const UPGRADE_SKU = 'yuncode5012300002';
const START = Date.parse('2026-01-01T00:00:00Z');

export interface HookBenchOptions {
  /** Requests in flight in the closed loop. */
  concurrency?: number;
  closedSeconds?: number;
  openRate?: number;
  openSeconds?: number;
  /** Released instances to tear down. */
  instances?: number;
  /** The hook's client-side limit on Compute Nest calls, calls/s (the sandbox limits no rate). */
  rateLimit?: number;
  /** The drain is cut off here and reported as far as it got. */
  maxDrainSeconds?: number;
}

/**
 * The lifecycle hook: SPI notifications per second and latency at a fixed rate, each answered after
 * its durable commit, beside a bare node:http handler; and how close a teardown of many released
 * instances runs to the Compute Nest rate limit. The load generator and the sandbox run in worker
 * threads so the hook's event loop has its core to itself, as it would in production.
 */
export async function benchHook(options: HookBenchOptions = {}): Promise<Figure[]> {
  const concurrency = options.concurrency ?? 64;
  const closedSeconds = options.closedSeconds ?? 5;
  const openRate = options.openRate ?? 500;
  const openSeconds = options.openSeconds ?? 8;
  const instances = options.instances ?? 10_000;
  const rateLimit = options.rateLimit ?? 600;
  const maxDrainSeconds = options.maxDrainSeconds ?? 90;

  const dir = mkdtempSync(join(tmpdir(), 'nestkit-hook-bench-'));
  const sandbox = await SandboxThread.start();
  const log = createLogger({ level: 'info', destination: pino.destination({ dest: devNull, sync: false }) });
  const hooks: RunningHook[] = [];
  const base = (db: string): HookOptions => ({
    configPath: CONFIG,
    dbPath: join(dir, db),
    port: 0,
    spiKey: SPI_KEY,
    endpoint: sandbox.url,
    credential: credential(),
    now: () => new Date(sandbox.nowMs),
    clientRetry: { sleep: async () => undefined },
    log,
  });
  try {
    await publishService({
      config: CONFIG,
      goal: 'launch',
      endpoint: sandbox.url,
      credential: credential(),
      approval: { advance: (seconds) => sandbox.advance(seconds) },
    });

    const spiHook = await startHook({
      ...base('spi.db'),
      intervals: { workerMs: 0, teardownMs: 0, reconcileMs: 0 },
    });
    hooks.push(spiHook);
    const spiUrl = `${spiHook.url}/spi`;
    await runLoad({ kind: 'closed', url: spiUrl, prefix: 'warm', concurrency: 16, seconds: 1 });
    const hookMax = await runLoad({
      kind: 'closed',
      url: spiUrl,
      prefix: 'max',
      concurrency,
      seconds: closedSeconds,
    });
    const hookFixed = await runLoad({
      kind: 'open',
      url: spiUrl,
      prefix: 'fixed',
      rate: openRate,
      seconds: openSeconds,
    });
    if (!(await spiHook.store.get('max-0'))?.skuId)
      throw new Error('the closed-loop orders are not in the store');

    const bare = await bareServer();
    let bareMax: LoadResult;
    let bareFixed: LoadResult;
    try {
      const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/spi`;
      await runLoad({ kind: 'closed', url: bareUrl, prefix: 'warm', concurrency: 16, seconds: 1 });
      bareMax = await runLoad({
        kind: 'closed',
        url: bareUrl,
        prefix: 'max',
        concurrency,
        seconds: closedSeconds,
      });
      bareFixed = await runLoad({
        kind: 'open',
        url: bareUrl,
        prefix: 'fixed',
        rate: openRate,
        seconds: openSeconds,
      });
    } finally {
      await new Promise((resolve) => bare.close(resolve));
    }

    const teardown = await benchTeardown(
      sandbox,
      base('teardown.db'),
      hooks,
      instances,
      rateLimit,
      maxDrainSeconds,
    );

    const spi = 'each committed (WAL, synchronous=FULL) before its answer; worker and passes off';
    return [
      {
        name: `SPI notifications/s, closed loop of ${concurrency} keep-alive, create/renew/upgrade/release; ${spi}`,
        value: Math.round(hookMax.perSecond),
        unit: 'req/s',
        target: '>= 1500',
        ok: hookMax.perSecond >= 1500,
      },
      {
        name: 'ceiling: bare node:http answering a fixed JSON, same closed loop',
        value: Math.round(bareMax.perSecond),
        unit: 'req/s',
      },
      {
        name: `SPI p50 latency at ${openRate}/s, open loop ${openSeconds} s; ${spi}`,
        value: round(hookFixed.p50, 2),
        unit: 'ms',
      },
      {
        name: `SPI p99 latency at ${openRate}/s, open loop ${openSeconds} s; ${spi}`,
        value: round(hookFixed.p99, 2),
        unit: 'ms',
        target: '<= 25',
        ok: hookFixed.p99 <= 25,
      },
      {
        name: `ceiling: bare node:http p50 latency at ${openRate}/s`,
        value: round(bareFixed.p50, 2),
        unit: 'ms',
      },
      {
        name: `ceiling: bare node:http p99 latency at ${openRate}/s`,
        value: round(bareFixed.p99, 2),
        unit: 'ms',
      },
      ...teardown,
    ];
  } finally {
    for (const hook of hooks) await hook.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * 10,000 deployed instances in the sandbox and their records in the hook's store, released and due;
 * then one teardown pass and the worker running until every record is deleted. The sandbox limits no
 * rate, so the limit is the hook's own client-side one, which every Compute Nest call passes through.
 */
async function benchTeardown(
  sandbox: SandboxThread,
  base: HookOptions,
  hooks: RunningHook[],
  instances: number,
  rateLimit: number,
  maxDrainSeconds: number,
): Promise<Figure[]> {
  const pollMs = 1000;
  // Each step moves the clock past a whole deletion (30 s) plus pollMs, so the look after a delete
  // finds it Deleted the first time: three calls an instance (Get, Delete, Get), no wasted polls.
  const stepSeconds = 60;
  const hook = await startHook({
    ...base,
    rateLimit,
    pollMs,
    intervals: { workerMs: 50, teardownMs: 0, reconcileMs: 0 },
    limits: { maxPerPass: 100_000, maxShare: 1 },
    // Leases are on the virtual clock, which this benchmark runs ~1,000 times faster than the wall.
    worker: { leaseMs: 86_400_000 },
  });
  hooks.push(hook);
  const ids = await sandbox.seed(hook.serviceId, hook.installationId, instances);
  const releasedAt = new Date(sandbox.nowMs - 3600_000).toISOString();
  const policy = loadServiceConfig(CONFIG).lifecycle;
  for (let i = 0; i < ids.length; i++) {
    const adopt = {
      type: 'adopt',
      at: releasedAt,
      serviceInstanceId: ids[i],
      deployed: true,
      outputs: {},
    } as const;
    const release = { type: 'release', at: releasedAt, refund: true } as const;
    await hook.store.applyEvent(`td-${i}`, 'spi', adopt, (r) => transition(r, adopt, policy));
    await hook.store.applyEvent(`td-${i}`, 'spi', release, (r) => transition(r, release, policy));
  }
  await sandbox.clearCalls();

  const started = performance.now();
  const hookLoop = performance.eventLoopUtilization();
  const sandboxLoop = sandbox.loopUtilization();
  const pass = await hook.teardownPass();
  const passSeconds = (performance.now() - started) / 1000;
  if (pass.started !== instances)
    throw new Error(`the teardown pass started ${pass.started} of ${instances}`);
  const deadline = started + maxDrainSeconds * 1000;
  let done = 0;
  while (done < instances && performance.now() < deadline) {
    await sandbox.advance(stepSeconds);
    const counts = await hook.store.jobCounts();
    if (counts.dead > 0) throw new Error(`${counts.dead} teardowns were dead-lettered`);
    done = counts.done;
    if (done < instances) await sleep(50);
  }
  const drainSeconds = (performance.now() - started) / 1000;
  const hookBusy = performance.eventLoopUtilization(hookLoop).utilization * 100;
  const sandboxBusy = sandbox.loopUtilization(sandboxLoop).utilization * 100;
  // A cut-off drain counts the records, which run a step ahead of their jobs.
  const deleted = (await hook.store.list(['deleted'])).length;
  const calls = await sandbox.callCounts();
  const totalCalls = Object.values(calls).reduce((a, b) => a + b, 0);
  // Only finished deletions count, at the three calls each needs; the token bucket starts full, so
  // its first `rateLimit` calls are free of the limit.
  const paceSeconds = Math.max(0, 3 * deleted - rateLimit) / rateLimit;
  const share = (paceSeconds / drainSeconds) * 100;
  const n = instances.toLocaleString('en');
  const setting = `client limit ${rateLimit} calls/s, worker concurrency 8`;
  const drained = done === instances;
  if (drained && deleted !== instances)
    throw new Error(`every delete job is done but ${deleted} of ${instances} records are deleted`);
  return [
    { name: `teardown pass (${n} released → deleting)`, value: round(passSeconds, 2), unit: 's' },
    {
      name: drained
        ? `teardown drain of ${n} released instances, pass start to all deleted (${setting})`
        : `teardown NOT drained within ${maxDrainSeconds} s: ${deleted} of ${n} deleted (${setting})`,
      value: round(drainSeconds, 2),
      unit: 's',
    },
    {
      name: 'teardown deletions per second',
      value: Math.round(deleted / drainSeconds),
      unit: 'deletes/s',
    },
    {
      name: `teardown Compute Nest calls per deletion (${Object.entries(calls)
        .map(([action, count]) => `${action} ${count}`)
        .join(', ')})`,
      value: round(totalCalls / Math.max(1, deleted), 2),
      unit: 'calls',
      target: '3',
      ok: drained && totalCalls === 3 * instances,
    },
    {
      name: 'teardown pace as a share of the rate limit (3 calls per deletion at the limit ÷ drain)',
      value: round(share, 1),
      unit: '%',
      target: '>= 90',
      ok: share >= 90,
    },
    {
      name: 'teardown: hook event loop busy during the drain',
      value: round(hookBusy, 1),
      unit: '%',
    },
    {
      name: 'teardown: sandbox thread busy during the drain',
      value: round(sandboxBusy, 1),
      unit: '%',
    },
  ];
}

function bareServer(): Promise<Server> {
  const body = JSON.stringify({ success: true });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- the sandbox, in a thread of its own -----------------------------------------------------------

type SandboxRequest =
  | { op: 'advance'; seconds: number }
  | { op: 'seed'; serviceId: string; installationId: string; count: number }
  | { op: 'clearCalls' }
  | { op: 'callCounts' }
  | { op: 'close' };

class SandboxThread {
  private next = 0;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  /** The sandbox's virtual time as of its last answer; the hook's clock, never ahead of the sandbox. */
  nowMs = START;

  private constructor(
    private readonly thread: Worker,
    readonly url: string,
  ) {
    thread.on('message', (message: { id: number; value: unknown; nowMs: number }) => {
      this.nowMs = message.nowMs;
      this.waiting.get(message.id)?.resolve(message.value);
      this.waiting.delete(message.id);
    });
    thread.on('error', (error) => {
      for (const { reject } of this.waiting.values()) reject(error);
      this.waiting.clear();
    });
  }

  static async start(): Promise<SandboxThread> {
    const thread = new Worker(__filename, { workerData: { role: 'sandbox' } });
    const url = await new Promise<string>((resolve, reject) => {
      thread.once('message', resolve);
      thread.once('error', reject);
    });
    return new SandboxThread(thread, url);
  }

  private ask<T>(request: SandboxRequest): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.thread.postMessage({ id, request });
    });
  }

  loopUtilization = (since?: EventLoopUtilization) => this.thread.performance.eventLoopUtilization(since);
  advance = (seconds: number) => this.ask<void>({ op: 'advance', seconds });
  seed = (serviceId: string, installationId: string, count: number) =>
    this.ask<string[]>({ op: 'seed', serviceId, installationId, count });
  clearCalls = () => this.ask<void>({ op: 'clearCalls' });
  callCounts = () => this.ask<Record<string, number>>({ op: 'callCounts' });

  async close(): Promise<void> {
    await this.ask<void>({ op: 'close' });
    await this.thread.terminate();
  }
}

async function sandboxThread(): Promise<void> {
  const box = await startSandbox({ port: 0, startTime: START });
  parentPort!.on('message', ({ id, request }: { id: number; request: SandboxRequest }) => {
    const value = serveSandbox(box, request);
    void Promise.resolve(value).then((v) =>
      parentPort!.postMessage({ id, value: v, nowMs: box.clock.now() }),
    );
  });
  parentPort!.postMessage(box.url);
}

function serveSandbox(box: Sandbox, request: SandboxRequest): unknown {
  switch (request.op) {
    case 'advance':
      box.advance(request.seconds);
      return undefined;
    case 'seed':
      return seedInstances(box, request.serviceId, request.installationId, request.count);
    case 'clearCalls':
      box.core.calls.clear();
      return undefined;
    case 'callCounts': {
      const counts: Record<string, number> = {};
      for (const call of box.core.calls.list()) counts[call.action] = (counts[call.action] ?? 0) + 1;
      return counts;
    }
    case 'close':
      return box.close();
  }
}

/**
 * Deployed instances of the service, made by the sandbox's own engine and moved straight to Deployed,
 * tagged as the hook tags what it creates (order `td-<i>`, the service, the installation): the hook
 * deletes only instances that prove to be its own.
 */
function seedInstances(box: Sandbox, serviceId: string, installationId: string, count: number): string[] {
  const core = box.core;
  const service = core.state.services[serviceId];
  const ids = new Set<string>();
  for (let i = 0; i < count; i++) {
    const instance = createInstance(core, service, {
      serviceId,
      name: `acme-insight-td-${i}`,
      parameters: {},
      tags: hookTags(serviceId, `td-${i}`, installationId).map((t) => ({ Key: t.Key!, Value: t.Value! })),
      userId: DEFAULT_ACCESS_KEY.accountId,
      creatorAccountId: DEFAULT_ACCESS_KEY.accountId,
      source: 'Supplier',
    });
    instance.Status = 'Deployed';
    instance.Progress = 100;
    ids.add(instance.ServiceInstanceId);
  }
  core.state.timers = core.state.timers.filter((timer) => !ids.has(timer.ref));
  return [...ids];
}

// ---- the load generator, in a thread of its own ----------------------------------------------------

type LoadSpec =
  | { kind: 'closed'; url: string; prefix: string; concurrency: number; seconds: number }
  | { kind: 'open'; url: string; prefix: string; rate: number; seconds: number };

interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const thread = new Worker(__filename, { workerData: { role: 'load', spec } });
  return new Promise((resolve, reject) => {
    thread.once('message', (result: LoadResult | { error: string }) =>
      'error' in result ? reject(new Error(result.error)) : resolve(result),
    );
    thread.once('error', reject);
  });
}

/** The n-th request of a run: four notifications per order, in the order the Marketplace sends them. */
function spiPath(url: string, prefix: string, n: number): string {
  const order = `${prefix}-${Math.floor(n / 4)}`;
  const expiredOn = spiTime(START + 365 * 86_400_000);
  const params: Record<string, string> = [
    {
      action: 'createInstance',
      aliUid: '1234567890123456',
      orderBizId: order,
      orderId: `o-${order}`,
      productCode: 'cmjj00012345',
      skuId: SKU,
      trial: 'false',
      expiredOn,
    },
    {
      action: 'renewInstance',
      instanceId: order,
      orderId: `r-${order}`,
      expiredOn: spiTime(START + 730 * 86_400_000),
    },
    { action: 'upgradeInstance', instanceId: order, orderId: `u-${order}`, skuId: UPGRADE_SKU },
    { action: 'releaseInstance', instanceId: order, isRefund: 'false' },
  ][n % 4];
  const query = new URLSearchParams({ ...params, token: spiToken(params, SPI_KEY) });
  return `${url}?${query.toString()}`;
}

async function loadThread(spec: LoadSpec): Promise<LoadResult> {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: spec.kind === 'closed' ? spec.concurrency : OPEN_LOOP_SOCKETS,
  });
  const send = (target: string) =>
    new Promise<void>((resolve, reject) => {
      get(target, { agent }, (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode} for ${target}`)),
        );
      }).on('error', reject);
    });
  const latencies: number[] = [];
  const started = performance.now();
  if (spec.kind === 'closed') {
    const deadline = started + spec.seconds * 1000;
    let next = 0;
    await Promise.all(
      Array.from({ length: spec.concurrency }, async () => {
        while (performance.now() < deadline) {
          const path = spiPath(spec.url, spec.prefix, next++);
          const sent = performance.now();
          await send(path);
          latencies.push(performance.now() - sent);
        }
      }),
    );
  } else {
    const total = Math.round(spec.rate * spec.seconds);
    const interval = 1000 / spec.rate;
    const paths = Array.from({ length: total }, (_, n) => spiPath(spec.url, spec.prefix, n));
    const inFlight: Promise<void>[] = [];
    await new Promise<void>((resolve) => {
      let n = 0;
      const fire = () => {
        while (n < total && started + n * interval <= performance.now()) {
          // Latency counts from when the request was due, so a stalled server cannot hide its queue.
          const due = started + n * interval;
          inFlight.push(send(paths[n]).then(() => void latencies.push(performance.now() - due)));
          n += 1;
        }
        if (n < total) setTimeout(fire, Math.max(0, started + n * interval - performance.now()));
        else resolve();
      };
      fire();
    });
    await Promise.all(inFlight);
  }
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { requests: latencies.length, perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

if (!isMainThread && workerData?.role === 'sandbox') {
  void sandboxThread();
} else if (!isMainThread && workerData?.role === 'load') {
  loadThread(workerData.spec as LoadSpec).then(
    (result) => parentPort!.postMessage(result),
    (error: unknown) => parentPort!.postMessage({ error: String((error as Error)?.stack ?? error) }),
  );
} else if (require.main === module) {
  benchHook().then((results) => console.table(results));
}
