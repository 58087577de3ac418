import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, get } from 'node:http';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Client } from 'pg';
import pino from 'pino';
import { createLogger } from '../../scripts/hook/logger';
import { transition, type LifecycleEvent, type Policy } from '../../scripts/hook/machine';
import { HookMetrics } from '../../scripts/hook/metrics';
import { teardownPass } from '../../scripts/hook/scheduler';
import { PgStore } from '../../scripts/hook/store/pg-store';
import { SqliteStore } from '../../scripts/hook/store/sqlite-store';
import type { HookStore } from '../../scripts/hook/store/store';
import { DEFAULT_TEARDOWN_LIMITS } from '../../scripts/hook/teardown-guard';
import { spiTime, spiToken } from '../../scripts/marketplace/spi-token';
import { publishService } from '../../scripts/publish';
import { startSandbox, DEFAULT_ACCESS_KEY } from '../../scripts/sandbox';
import { OPEN_LOOP_SOCKETS, REPO_ROOT, sandboxCredential as credential, round, type Figure } from './measure';

const CONFIG = join(REPO_ROOT, 'service-config', 'service.yaml');
const SPI_KEY = 'bench-isv-key-0123';
const SKU = 'yuncode5012300001';
const DAY = 86_400_000;

export interface StoreBenchOptions {
  concurrency?: number;
  closedSeconds?: number;
  openRate?: number;
  openSeconds?: number;
  /** Records in the store the teardown pass runs over. */
  records?: number;
}

/**
 * Issue 19: SPI notifications/s with one, two and three hook replicas on PostgreSQL and one on SQLite,
 * side by side, each notification committed before its answer (PostgreSQL: synchronous_commit on;
 * SQLite: WAL, synchronous=FULL); p50/p99 at a fixed rate; and a teardown pass over many records with
 * the process's RSS before and after. The replicas are the built `nestkit hook`, each a process of its
 * own; the load generator is a worker thread spreading requests round robin. PostgreSQL is the server
 * at NESTKIT_TEST_DATABASE_URL (a database of its own), else a throwaway one this bench starts.
 */
export async function benchStore(options: StoreBenchOptions = {}): Promise<Figure[]> {
  // Below the hook's per-source connection limit (64; the load comes from one address).
  const concurrency = options.concurrency ?? Number(process.env.NESTKIT_BENCH_CONCURRENCY ?? 32);
  const closedSeconds = options.closedSeconds ?? 5;
  const openRate = options.openRate ?? 500;
  const openSeconds = options.openSeconds ?? 8;
  const records = options.records ?? 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'nestkit-store-bench-'));
  const postgres = await benchPostgres(dir);
  const box = await startSandbox({ port: 0 });
  const figures: Figure[] = [];
  try {
    await publishService({
      config: CONFIG,
      goal: 'launch',
      endpoint: box.url,
      credential: credential(),
      approval: { advance: (s) => box.advance(s) },
    });
    const setups: { name: string; db: () => Promise<string>; replicas: number }[] = [
      { name: 'SQLite, 1 replica', db: async () => join(dir, 'spi.db'), replicas: 1 },
      { name: 'PostgreSQL, 1 replica', db: () => postgres.database(), replicas: 1 },
      { name: 'PostgreSQL, 2 replicas', db: () => postgres.database(), replicas: 2 },
      { name: 'PostgreSQL, 3 replicas', db: () => postgres.database(), replicas: 3 },
    ];
    for (const setup of setups) {
      process.stderr.write(`  store bench: ${setup.name}\n`);
      const db = await setup.db();
      const replicas = await Promise.all(
        Array.from({ length: setup.replicas }, () => startReplica(db, box.url)),
      );
      try {
        const urls = replicas.map((r) => `${r.url}/spi`);
        await runLoad({ kind: 'closed', urls, prefix: 'warm', concurrency: 16, seconds: 1 });
        const max = await runLoad({
          kind: 'closed',
          urls,
          prefix: 'max',
          concurrency,
          seconds: closedSeconds,
        });
        const fixed = await runLoad({
          kind: 'open',
          urls,
          prefix: 'fixed',
          rate: openRate,
          seconds: openSeconds,
        });
        const twoReplicas = setup.name === 'PostgreSQL, 2 replicas';
        figures.push(
          {
            name: `SPI notifications/s, ${setup.name}, closed loop of ${concurrency}, each committed before its answer`,
            value: Math.round(max.perSecond),
            unit: 'req/s',
            ...(twoReplicas ? { target: '>= 1500', ok: max.perSecond >= 1500 } : {}),
          },
          { name: `SPI p50 at ${openRate}/s, ${setup.name}`, value: round(fixed.p50, 2), unit: 'ms' },
          {
            name: `connections the hook reset (sent again), ${setup.name}`,
            value: max.resets + fixed.resets,
            unit: 'resets',
          },
          {
            name: `SPI p99 at ${openRate}/s, ${setup.name}`,
            value: round(fixed.p99, 2),
            unit: 'ms',
            target: '<= 25',
            ok: fixed.p99 <= 25,
          },
        );
      } finally {
        for (const replica of replicas) await replica.stop();
      }
    }
    process.stderr.write(`  store bench: teardown pass over ${records} records\n`);
    figures.push(
      ...(await benchPass('SQLite', new SqliteStore(join(dir, 'pass.db')), records, seedThroughStore)),
    );
    const passDb = await postgres.database();
    figures.push(
      ...(await benchPass('PostgreSQL', await PgStore.open(passDb), records, seedPostgres(passDb))),
    );
    figures.push({
      name: `PostgreSQL synchronous_commit (${postgres.where})`,
      value: postgres.synchronousCommit === 'on' ? 1 : 0,
      unit: postgres.synchronousCommit,
    });
    return figures;
  } finally {
    await box.close();
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the teardown pass over many records ------------------------------------------------------------

const POLICY: Policy = { onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true };

/**
 * `records` active records, 50 of them released and due; one teardown pass (the guard counts the live
 * records in the database); the RSS before and after, beside what loading every live record (what the
 * guard did before) adds.
 */
async function benchPass(
  engine: string,
  store: HookStore,
  records: number,
  seed: (store: HookStore, records: number, at: string) => Promise<void>,
): Promise<Figure[]> {
  const at = '2026-01-01T00:00:00.000Z';
  try {
    await seed(store, records, at);
    const release: LifecycleEvent = { type: 'release', at, refund: false };
    await store.applyEvents(
      Array.from({ length: 50 }, (_, k) => ({ id: `p-${k * 7}`, source: 'spi' as const, event: release })),
      (r, e) => transition(r, e, POLICY),
    );
    const log = createLogger({
      level: 'silent',
      destination: pino.destination({ dest: devNull, sync: true }),
    });
    const metrics = new HookMetrics(store);
    global.gc?.();
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const pass = await teardownPass(
      store,
      new Date(Date.parse(at) + 8 * DAY),
      POLICY,
      DEFAULT_TEARDOWN_LIMITS,
      log,
      metrics,
    );
    const seconds = (performance.now() - started) / 1000;
    global.gc?.();
    const after = process.memoryUsage().rss;
    if (pass.started !== 50)
      throw new Error(`the teardown pass started ${pass.started}, not 50: ${JSON.stringify(pass)}`);
    const loaded = (await store.list(['provisioning', 'active', 'failed', 'expired', 'released'])).length;
    const afterList = process.memoryUsage().rss;
    const mb = (bytes: number) => round(bytes / 1048576, 1);
    return [
      {
        name: `teardown pass over ${records} records (${engine}), 50 due`,
        value: round(seconds, 3),
        unit: 's',
      },
      { name: `RSS before the pass (${engine})`, value: mb(before), unit: 'MB' },
      { name: `RSS after the pass (${engine})`, value: mb(after), unit: 'MB' },
      {
        name: `for contrast: RSS after loading all ${loaded} live records (${engine}), as the guard did before`,
        value: mb(afterList),
        unit: 'MB',
      },
    ];
  } finally {
    await store.close();
  }
}

/** Active records made through the store itself (create, instance created, deployed): SQLite is fast at it. */
async function seedThroughStore(store: HookStore, records: number, at: string): Promise<void> {
  const steps: ((id: string, i: number) => LifecycleEvent)[] = [
    (_id, i) => ({ type: 'create', at, skuId: SKU, billingItems: {}, orderId: `o-${i}` }),
    (id) => ({ type: 'instanceCreated', at, serviceInstanceId: `si-${id}` }),
    () => ({ type: 'deployed', at, outputs: {} }),
  ];
  for (let i = 0; i < records; i += 500) {
    const ids = Array.from({ length: Math.min(500, records - i) }, (_, k) => i + k);
    for (const step of steps)
      await store.applyEvents(
        ids.map((n) => ({ id: `p-${n}`, source: 'spi' as const, event: step(`p-${n}`, n) })),
        (r, e) => transition(r, e, POLICY),
      );
  }
}

/** The same active records written in one statement: through the store, 100,000 take minutes on PostgreSQL. */
function seedPostgres(url: string) {
  return async (_store: HookStore, records: number, at: string): Promise<void> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO instances (id, state, service_instance_id, record, updated_at, sku_id, created_at)
         SELECT 'p-' || g, 'active', 'si-p-' || g, jsonb_build_object('id', 'p-' || g, 'source', 'spi',
           'state', 'active', 'revision', 3, 'skuId', $2::text, 'billingItems', '{}'::jsonb,
           'orderIds', jsonb_build_array('o-' || g), 'serviceInstanceId', 'si-p-' || g, 'stopped', false,
           'pendingUpgrade', false, 'createRequested', true, 'createdAt', $3::text, 'updatedAt', $3::text),
           $3, $2, $3
         FROM generate_series(0, $1::int - 1) AS g`,
        [records, SKU, at],
      );
    } finally {
      await client.end();
    }
  };
}

// ---- PostgreSQL: the test server, or a throwaway one ----------------------------------------------

interface BenchPostgres {
  where: string;
  synchronousCommit: string;
  /** A new empty database on the server. */
  database(): Promise<string>;
  stop(): Promise<void>;
}

async function benchPostgres(dir: string): Promise<BenchPostgres> {
  const given = process.env.NESTKIT_TEST_DATABASE_URL;
  let url = given;
  let stop = async () => undefined;
  if (!url) ({ url, stop } = await throwawayPostgres(dir));
  const made: string[] = [];
  const admin = async <T extends object>(sql: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const [{ synchronous_commit }] = await admin<{ synchronous_commit: string }>('SHOW synchronous_commit');
  return {
    where: given ? 'NESTKIT_TEST_DATABASE_URL' : 'a throwaway server',
    synchronousCommit: synchronous_commit,
    async database() {
      const name = `nk_bench_${made.length}_${process.pid}`;
      await admin(`DROP DATABASE IF EXISTS ${name}`);
      await admin(`CREATE DATABASE ${name}`);
      made.push(name);
      const u = new URL(url!);
      u.pathname = `/${name}`;
      return u.toString();
    },
    async stop() {
      for (const name of made)
        await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await stop();
    },
  };
}

/** initdb + pg_ctl into `dir`, as the postgres user when run as root (as .ci/postgres.sh does). */
async function throwawayPostgres(dir: string): Promise<{ url: string; stop: () => Promise<undefined> }> {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  if (versions.length === 0)
    throw new Error('no PostgreSQL in /usr/lib/postgresql: set NESTKIT_TEST_DATABASE_URL');
  const bin = `/usr/lib/postgresql/${versions[versions.length - 1]}/bin`;
  const data = join(dir, 'pg');
  const root = process.getuid?.() === 0;
  if (root)
    chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()), 0);
  const run = (command: string, args: string[]) => {
    const [c, a] = root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    const result = spawnSync(c, a, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  };
  const port = await freePort();
  run(`${bin}/initdb`, ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale']);
  run(`${bin}/pg_ctl`, [
    '-D',
    data,
    '-l',
    join(dir, 'pg.log'),
    '-w',
    '-s',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      run(`${bin}/pg_ctl`, ['-D', data, '-m', 'fast', '-w', '-s', 'stop']);
      return undefined;
    },
  };
}

// ---- the replicas: the built hook, each a process -------------------------------------------------

async function startReplica(db: string, endpoint: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'bin', 'nestkit.js'),
      'hook',
      '--config',
      CONFIG,
      '--db',
      db,
      '--port',
      String(port),
      '--endpoint',
      endpoint,
      '--dry-run',
      '--reconcile-interval',
      '86400',
      '--teardown-interval',
      '86400',
    ],
    {
      env: {
        ...process.env,
        NESTKIT_SPI_KEY: SPI_KEY,
        NESTKIT_PASSWORD_SECRET: 'bench-password-secret-0123456789abcdef',
        ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCESS_KEY.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCESS_KEY.accessKeySecret,
        NESTKIT_LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > end || child.exitCode !== null)
      throw new Error(`the hook on ${db.replace(/:[^:@/]*@/, ':***@')} did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`  a replica exited (${code ?? signal}): ${stderr}\n`);
  });
  let stopping = false;
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

// ---- the load generator, in a thread of its own ----------------------------------------------------

type LoadSpec =
  | { kind: 'closed'; urls: string[]; prefix: string; concurrency: number; seconds: number }
  | { kind: 'open'; urls: string[]; prefix: string; rate: number; seconds: number };

interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Connections the hook reset (sent again). */
  resets: number;
}

function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const thread = new Worker(__filename, { workerData: { role: 'store-load', spec } });
  return new Promise((resolve, reject) => {
    thread.once('message', (result: LoadResult | { error: string }) =>
      'error' in result ? reject(new Error(result.error)) : resolve(result),
    );
    thread.once('error', reject);
  });
}

/** The n-th request: a create, then a renewal of the same order, spread round robin over the replicas. */
function spiPath(urls: string[], prefix: string, n: number): string {
  const order = `${prefix}-${Math.floor(n / 2)}`;
  const start = Date.parse('2026-01-01T00:00:00Z');
  const params: Record<string, string> =
    n % 2 === 0
      ? {
          action: 'createInstance',
          aliUid: '1234567890123456',
          orderBizId: order,
          orderId: `o-${order}`,
          productCode: 'cmjj00012345',
          skuId: SKU,
          trial: 'false',
          expiredOn: spiTime(start + 365 * DAY),
        }
      : {
          action: 'renewInstance',
          instanceId: order,
          orderId: `r-${order}`,
          expiredOn: spiTime(start + 730 * DAY),
        };
  const query = new URLSearchParams({ ...params, token: spiToken(params, SPI_KEY) });
  return `${urls[n % urls.length]}?${query.toString()}`;
}

async function loadThread(spec: LoadSpec): Promise<LoadResult> {
  // Sockets per replica below the hook's per-source cap (64; the load comes from one address), as the
  // Marketplace's would be: over the cap the guard rightly resets new connections, and the resets sent
  // again would measure the bench meeting the guard, not the hook. A request waiting for a socket still
  // counts its wait (latency runs from when it was due).
  const agent = new Agent({
    keepAlive: true,
    maxSockets: spec.kind === 'closed' ? spec.concurrency : OPEN_LOOP_SOCKETS,
  });
  let resets = 0;
  const once = (target: string) =>
    new Promise<void>((resolve, reject) => {
      get(target, { agent }, (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode} for ${target}`)),
        );
      }).on('error', reject);
    });
  // A connection the server closed is sent again, as the Marketplace would, and counted.
  const send = async (target: string): Promise<void> => {
    for (;;) {
      try {
        return await once(target);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ECONNRESET' || ++resets > 100_000) throw error;
      }
    }
  };
  const latencies: number[] = [];
  const started = performance.now();
  if (spec.kind === 'closed') {
    const deadline = started + spec.seconds * 1000;
    let next = 0;
    await Promise.all(
      Array.from({ length: spec.concurrency }, async () => {
        while (performance.now() < deadline) {
          // The create and its renewal go in order: the pair is sent by one loop.
          const n = next;
          next += 2;
          for (const path of [spiPath(spec.urls, spec.prefix, n), spiPath(spec.urls, spec.prefix, n + 1)]) {
            const sent = performance.now();
            await send(path);
            latencies.push(performance.now() - sent);
          }
        }
      }),
    );
  } else {
    const total = Math.round(spec.rate * spec.seconds);
    const interval = 1000 / spec.rate;
    const inFlight: Promise<void>[] = [];
    await new Promise<void>((resolve) => {
      let n = 0;
      const fire = () => {
        while (n < total && started + n * interval <= performance.now()) {
          // Latency counts from when the request was due, so a stalled server cannot hide its queue.
          const due = started + n * interval;
          inFlight.push(
            send(spiPath(spec.urls, spec.prefix, n * 2)).then(
              () => void latencies.push(performance.now() - due),
            ),
          );
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
  return {
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    resets,
  };
}

if (!isMainThread && workerData?.role === 'store-load') {
  loadThread(workerData.spec as LoadSpec).then(
    (result) => parentPort!.postMessage(result),
    (error: unknown) => parentPort!.postMessage({ error: String((error as Error)?.stack ?? error) }),
  );
} else if (require.main === module) {
  benchStore().then((results) => {
    console.table(results);
    const out = join(REPO_ROOT, 'bench-results');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(out, 'store.json'),
      `${JSON.stringify({ node: process.version, results }, null, 2)}\n`,
    );
  });
}
