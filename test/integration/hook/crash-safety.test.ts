import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { spiTime, spiToken } from '../../../scripts/marketplace/spi-token';
import { startSandbox, type Sandbox } from '../../../scripts/sandbox';
import { createParams, hookWorld, publishSample, spawnBuiltHook, SPI_KEY } from './support';
import { recordFigures } from '../../support/figures';
import { seeded, sleep, STORM_HOOK_ARGS, until } from './storm-support';

const ORDERS = 1000;
const PREFIX = 'acme-insight-';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

const DAY_MS = 86_400_000;

/**
 * Each order's lifecycle after its create, in three phases: renewals and upgrades; then (once the clock
 * has passed the paid end of the orders to expire) expirations; then releases. An expiry counts only
 * after the paid end (machine.ts), so the orders to expire are sold until `lapseAt` and renewed, if at
 * all, to a day later.
 */
function scriptFor(i: number, lapseAt: number): Record<string, string>[][] {
  const id = `c${i}`;
  const expires = i % 3 === 0;
  const changes: Record<string, string>[] = [];
  if (i % 5 === 1)
    changes.push({
      action: 'renewInstance',
      instanceId: id,
      orderId: `r${i}`,
      expiredOn: expires ? spiTime(lapseAt + DAY_MS) : '2027-06-01 00:00:00',
    });
  if (i % 7 === 2)
    changes.push({ action: 'upgradeInstance', instanceId: id, orderId: `u${i}`, skuId: 'yuncode5012300002' });
  const expirations = expires ? [{ action: 'expiredInstance', instanceId: id }] : [];
  const releases = i % 2 === 0 ? [{ action: 'releaseInstance', instanceId: id, isRefund: 'true' }] : [];
  return [changes, expirations, releases];
}

/** The paid end of an order: near for the orders the storm expires, far for the others. */
const paidEnd = (i: number, lapseAt: number) => (i % 3 === 0 ? spiTime(lapseAt) : '2099-12-01 00:00:00');

/** Sandbox statuses in which nothing is under way. */
const SETTLED = new Set([
  'Deployed',
  'Stopped',
  'Deleted',
  'DeployedFailed',
  'DeletedFailed',
  'StopFailed',
  'StartFailed',
]);

/**
 * The storm runs on the sandbox's manual clock, which the hook follows (`--sandbox-clock`): deployments,
 * deletions, leases, polls and passes move only as the test moves that clock. The hook is SIGKILLed at
 * seeded points of the notification stream, and the end is a condition: nothing open, nothing under way
 * in the sandbox, and two reconcile passes seen since then (the repair of a create that landed after its
 * record was closed is the reconciler's, machine.ts `instanceCreated`).
 */
describe('hook: crash safety', () => {
  let box: Sandbox;
  let dir: string;
  let child: ChildProcess | undefined;
  let driving = false;
  afterAll(async () => {
    driving = false;
    child?.kill('SIGKILL');
    await box?.close();
    if (dir && !process.env.KEEP_CRASH_DIR) rmSync(dir, { recursive: true, force: true });
    if (process.env.KEEP_CRASH_DIR) {
      const fs = await import('node:fs');
      fs.writeFileSync(join(dir, 'calls.json'), JSON.stringify(box.core.calls.list(), null, 1));
      fs.writeFileSync(join(dir, 'instances.json'), JSON.stringify(box.core.state.instances, null, 1));
      process.stderr.write(`kept ${dir}\n`);
    }
  });

  it('tears down every released instance exactly once and leaves live ones alone, across SIGKILLs', async () => {
    box = await startSandbox({
      port: 0,
      clock: 'manual',
      timings: {
        deployStartSeconds: 0.05,
        deploySeconds: 0.3,
        deleteSeconds: 0.2,
        operationSeconds: 0.1,
        approvalSeconds: 0,
      },
    });
    await publishSample(box);
    dir = mkdtempSync(join(tmpdir(), 'nestkit-crash-'));
    const db = join(dir, 'nestkit.db');
    const port = await freePort();
    const hookUrl = `http://127.0.0.1:${port}`;

    // The clock moves in small steps while the test waits on conditions; the hook reads it each tick.
    // Settling goes faster: a hook killed during a pass holds that pass off for its lease (pass-lease.ts).
    driving = true;
    let step = 0.1;
    const driver = (async () => {
      while (driving) {
        box.advance(step);
        await sleep(25);
      }
    })();
    const lapseAt = box.clock.now() + DAY_MS;

    const startHook = async () => {
      child = spawnBuiltHook({
        db,
        port,
        endpoint: box.url,
        args: STORM_HOOK_ARGS,
      });
      await until(
        'the hook to start',
        () =>
          fetch(`${hookUrl}/healthz`).then(
            (r) => r.ok,
            () => false,
          ),
        30_000,
      );
    };
    const kill = async () => {
      const dying = child!;
      const exited = new Promise((resolve) => dying.once('exit', resolve));
      dying.kill('SIGKILL');
      await exited;
    };

    // The Marketplace side: every notification is retried until the hook accepts it, as Marketplace does.
    const agent = new Agent({ keepAlive: false });
    let delivered = 0;
    const deliver = async (params: Record<string, string>) => {
      const query = new URLSearchParams({ ...params, token: spiToken(params, SPI_KEY) });
      for (;;) {
        const status = await new Promise<number>((resolve) => {
          const req = request(`${hookUrl}/spi?${query}`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', () => resolve(0));
          req.end();
        });
        if (status === 200) {
          delivered += 1;
          return;
        }
        await sleep(20);
      }
    };

    await startHook();
    let storming = true;
    let kills = 0;
    const random = seeded(16);
    const killer = (async () => {
      while (storming) {
        const at = delivered + 120 + Math.floor(random() * 240);
        await until('the next kill point', () => delivered >= at || !storming, 600_000);
        if (!storming) break;
        await kill();
        kills += 1;
        await startHook();
      }
    })();
    // Two waves under the killer: every order is bought, then (once most are deployed) its lifecycle runs.
    const wave = async (send: (i: number) => Promise<void>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < ORDERS) await send(next++);
        }),
      );
    };
    const t0 = Date.now();
    await wave((i) => deliver(createParams(`c${i}`, { expiredOn: paidEnd(i, lapseAt) })));
    const t1 = Date.now();
    const deployedCount = () =>
      Object.values(box.core.state.instances).filter((x) => x.Status === 'Deployed').length;
    await until('most orders deployed', () => deployedCount() >= ORDERS * 0.9, 120_000);
    const t2 = Date.now();
    for (const phase of [0, 1, 2]) {
      // Past every near paid end (renewed ones included) before the expirations; the retention is 7 days.
      if (phase === 1) box.advance((lapseAt + 2 * DAY_MS - box.clock.now()) / 1000);
      await wave(async (i) => {
        for (const notification of scriptFor(i, lapseAt)[phase]) await deliver(notification);
      });
    }
    const t3 = Date.now();
    storming = false;
    await killer;

    // Let the last hook finish: every released order deleted, no job left, then two reconcile passes.
    const store = new Database(db, { readonly: true });
    const count = (sql: string) => (store.prepare(sql).get() as { n: number }).n;
    const quiet = () =>
      count("SELECT COUNT(*) AS n FROM jobs WHERE state IN ('pending', 'leased')") === 0 &&
      count("SELECT COUNT(*) AS n FROM instances WHERE state IN ('released', 'deleting')") === 0 &&
      Object.values(box.core.state.instances).every((x) => SETTLED.has(x.Status));
    const reconcilePasses = () =>
      box.core.calls
        .list('ListServiceInstances')
        .filter((c) => c.params.ShowDeleted === 'true' && !c.params.NextToken).length;
    step = 1;
    let quietSince: number | undefined;
    await until(
      'every effect done, nothing under way, and two reconcile passes after that',
      () => {
        if (!quiet()) quietSince = undefined;
        else quietSince ??= reconcilePasses();
        return quietSince !== undefined && reconcilePasses() >= quietSince + 2;
      },
      180_000,
    );
    recordFigures('crash storm', {
      buyMs: t1 - t0,
      deployWaitMs: t2 - t1,
      lifecycleMs: t3 - t2,
      settleMs: Date.now() - t3,
      kills,
      virtualSeconds: Math.round((box.clock.now() - Date.parse(box.core.calls.list()[0].at)) / 1000),
    });
    expect(count("SELECT COUNT(*) AS n FROM jobs WHERE state = 'dead'")).toBe(0);
    store.close();
    driving = false;
    await driver;
    child!.kill('SIGTERM');
    expect(kills).toBeGreaterThanOrEqual(3);

    const instances = Object.values(box.core.state.instances);
    const deletions = box.core.calls.list('DeleteServiceInstances').filter((c) => c.status === 200);
    let deployedThenDeleted = 0;
    for (let i = 0; i < ORDERS; i++) {
      const mine = instances.filter((x) => x.Name === `${PREFIX}c${i}`);
      const tokens = new Set(
        deletions
          .filter((c) => mine.some((m) => c.params['ServiceInstanceId.1'] === m.ServiceInstanceId))
          .map((c) => c.params.ClientToken),
      );
      if (i % 2 === 0) {
        // Released: deployed and deleted by exactly one request (or never deployed, if the release came first).
        expect([i, mine.length <= 1]).toEqual([i, true]);
        if (mine.length === 1) {
          expect([i, mine[0].Status, tokens.size]).toEqual([i, 'Deleted', 1]);
          deployedThenDeleted += 1;
        }
      } else if (i % 3 === 0) {
        // Expired and kept: stopped once deployed, or never deployed when it lapsed before its create ran.
        expect([i, mine.length <= 1, tokens.size]).toEqual([i, true, 0]);
        if (mine.length === 1) expect([i, mine[0].Status]).toEqual([i, 'Stopped']);
      } else {
        expect([i, mine.length, tokens.size]).toEqual([i, 1, 0]);
        expect([i, ['Deployed', 'Upgrading'].includes(mine[0].Status)]).toEqual([i, true]);
      }
    }
    expect(deployedThenDeleted).toBeGreaterThan(ORDERS * 0.4);
  }, 600_000);
});

/**
 * What let a delete overtake its create in the storm above (a refunded order's instance left deployed
 * until the next reconcile pass): a job whose lease ran out while this process still ran it was leased
 * again by the same worker and run a second time at once.
 */
describe('hook: a job whose lease runs out while it runs', () => {
  it('is not started again by the worker that is running it; its lease is renewed instead', async () => {
    const world = await hookWorld({ worker: { leaseMs: 1000, backoffBaseMs: 1000, backoffMaxMs: 1000 } });
    try {
      // The first create waits 300 ms of wall time in the sandbox before it is handled.
      world.box.core.faults.add({
        kind: 'latency',
        action: 'CreateServiceInstance',
        latencyMs: 300,
        count: 1,
      });
      expect((await world.spi(createParams('80001'))).status).toBe(200);
      const creates = () => world.box.core.calls.list('CreateServiceInstance').length;
      expect(await world.hook.worker.tick()).toBe(1); // leases the create job and sends the slow create
      world.box.advance(5); // the lease (1 s on the hook's clock, the sandbox's) runs out meanwhile
      expect(await world.hook.worker.tick()).toBe(0);
      await world.hook.drain();
      expect(creates()).toBe(1);
      const store = new Database(join(world.dir, 'nestkit.db'), { readonly: true });
      const job = store
        .prepare("SELECT state, lease_until FROM jobs WHERE kind = 'createInstance'")
        .get() as { state: string };
      store.close();
      expect(job.state).toBe('done');
    } finally {
      await world.close();
    }
  });
});
