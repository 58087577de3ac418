import type { ChildProcess } from 'node:child_process';
import { createServer, Agent, request } from 'node:http';
import { Client } from 'pg';
import { spiToken } from '../../../scripts/marketplace/spi-token';
import { startSandbox, type Sandbox } from '../../../scripts/sandbox';
import { createParams, publishSample, spawnBuiltHook, SPI_KEY } from './support';
import { seeded, sleep, STORM_HOOK_ARGS, until } from './storm-support';
import { describePg, freshDatabase } from './store-pg-support';

const ORDERS = 240;
const REPLICAS = 3;
const PREFIX = 'acme-insight-';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Each order's notifications after its create: every other one released, every fifth renewed first. */
function scriptFor(i: number): Record<string, string>[] {
  const id = `c${i}`;
  const steps: Record<string, string>[] = [];
  if (i % 5 === 1)
    steps.push({
      action: 'renewInstance',
      instanceId: id,
      orderId: `r${i}`,
      expiredOn: '2099-12-31 00:00:00',
    });
  if (i % 2 === 0) steps.push({ action: 'releaseInstance', instanceId: id, isRefund: 'true' });
  return steps;
}

const SETTLED = new Set(['Deployed', 'Stopped', 'Deleted', 'DeployedFailed', 'DeletedFailed']);

/**
 * Issue 19: three hook replicas on one PostgreSQL and one sandbox (its manual clock, which they all
 * follow). The Marketplace side spreads the notifications over the replicas and retries another one
 * when an answer fails; replicas are SIGKILLed and restarted at seeded points. In the end: every
 * released instance deleted by one request, no live instance touched, no notification lost.
 */
describePg('hook: three replicas on PostgreSQL, SIGKILLed at random', () => {
  let box: Sandbox | undefined;
  let db: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  const children: (ChildProcess | undefined)[] = [];
  let driving = false;
  afterAll(async () => {
    driving = false;
    for (const child of children) child?.kill('SIGKILL');
    await box?.close();
    await sleep(200);
    await db?.drop();
  });

  it('deletes every released instance once, touches no live one, and loses no notification', async () => {
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
    const sandbox = box;
    await publishSample(sandbox);
    db = await freshDatabase();
    const ports = await Promise.all(Array.from({ length: REPLICAS }, freePort));
    driving = true;
    const driver = (async () => {
      while (driving) {
        sandbox.advance(0.1);
        await sleep(25);
      }
    })();

    const up = new Array<boolean>(REPLICAS).fill(false);
    const start = async (n: number) => {
      children[n] = spawnBuiltHook({
        db: db!.url,
        port: ports[n],
        endpoint: sandbox.url,
        args: STORM_HOOK_ARGS,
      });
      await until(
        `replica ${n} to start`,
        () =>
          fetch(`http://127.0.0.1:${ports[n]}/healthz`).then(
            (r) => r.ok,
            () => false,
          ),
        30_000,
      );
      up[n] = true;
    };
    const kill = async (n: number) => {
      up[n] = false;
      const dying = children[n]!;
      const exited = new Promise((resolve) => dying.once('exit', resolve));
      dying.kill('SIGKILL');
      await exited;
    };
    await Promise.all(ports.map((_, n) => start(n)));

    // The Marketplace side: a notification goes to a replica (round robin) and is retried, on the next
    // replica, until one answers 200.
    const agent = new Agent({ keepAlive: false });
    let delivered = 0;
    let turn = 0;
    const deliver = async (params: Record<string, string>) => {
      const query = new URLSearchParams({ ...params, token: spiToken(params, SPI_KEY) });
      for (;;) {
        const port = ports[turn++ % REPLICAS];
        const status = await new Promise<number>((resolve) => {
          const req = request(`http://127.0.0.1:${port}/spi?${query}`, { agent }, (res) => {
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
        await sleep(10);
      }
    };

    let storming = true;
    // Kill points are counts of delivered notifications; once every notification is out, the points
    // still due fire at once, so the storm has its kills however fast the deliveries went.
    let delivering = true;
    let kills = 0;
    const random = seeded(19);
    const killer = (async () => {
      while (storming) {
        const at = delivered + 20 + Math.floor(random() * 50);
        await until('the next kill point', () => delivered >= at || !delivering || !storming, 600_000);
        if (!storming) break;
        const victim = Math.floor(random() * REPLICAS);
        await kill(victim);
        kills += 1;
        await start(victim);
      }
    })();
    const wave = async (send: (i: number) => Promise<void>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 12 }, async () => {
          while (next < ORDERS) await send(next++);
        }),
      );
    };
    await wave((i) => deliver(createParams(`c${i}`, { expiredOn: '2099-12-01 00:00:00' })));
    const deployedCount = () =>
      Object.values(sandbox.core.state.instances).filter((x) => x.Status === 'Deployed').length;
    await until('most orders deployed', () => deployedCount() >= ORDERS * 0.9, 120_000);
    await wave(async (i) => {
      for (const step of scriptFor(i)) await deliver(step);
    });
    delivering = false;
    await until('three kills', () => kills >= 3, 120_000);
    storming = false;
    await killer;

    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const count = async (sql: string) => Number((await pg.query<{ n: string }>(sql)).rows[0].n);
    const quiet = async () =>
      (await count("SELECT COUNT(*) AS n FROM jobs WHERE state IN ('pending', 'leased')")) === 0 &&
      (await count("SELECT COUNT(*) AS n FROM instances WHERE state IN ('released', 'deleting')")) === 0 &&
      Object.values(sandbox.core.state.instances).every((x) => SETTLED.has(x.Status));
    const reconcilePasses = () =>
      sandbox.core.calls
        .list('ListServiceInstances')
        .filter((c) => c.params.ShowDeleted === 'true' && !c.params.NextToken).length;
    let quietSince: number | undefined;
    await until(
      'every effect done, nothing under way, and two reconcile passes after that',
      async () => {
        if (!(await quiet())) quietSince = undefined;
        else quietSince ??= reconcilePasses();
        return quietSince !== undefined && reconcilePasses() >= quietSince + 2;
      },
      120_000,
    ).catch(async (error: Error) => {
      // What is left, in the failure's message.
      const open = await pg.query(
        "SELECT kind, state, COUNT(*) AS n, MIN(last_error) AS e FROM jobs WHERE state IN ('pending', 'leased') GROUP BY 1, 2",
      );
      const records = await pg.query('SELECT state, COUNT(*) AS n FROM instances GROUP BY 1');
      const statuses: Record<string, number> = {};
      for (const x of Object.values(sandbox.core.state.instances))
        statuses[x.Status] = (statuses[x.Status] ?? 0) + 1;
      throw new Error(
        `${error.message}: open jobs ${JSON.stringify(open.rows)}, records ${JSON.stringify(records.rows)}, sandbox ${JSON.stringify(statuses)}, up ${JSON.stringify(up)}`,
      );
    });
    // No notification lost: every order has its record, and the last notification's state.
    const states = new Map(
      (await pg.query<{ id: string; state: string }>('SELECT id, state FROM instances')).rows.map((r) => [
        r.id,
        r.state,
      ]),
    );
    expect(await count("SELECT COUNT(*) AS n FROM jobs WHERE state = 'dead'")).toBe(0);
    await pg.end();
    driving = false;
    await driver;
    expect(kills).toBeGreaterThanOrEqual(3);

    const instances = Object.values(sandbox.core.state.instances);
    const deletions = sandbox.core.calls.list('DeleteServiceInstances').filter((c) => c.status === 200);
    for (let i = 0; i < ORDERS; i++) {
      const mine = instances.filter((x) => x.Name === `${PREFIX}c${i}`);
      const tokens = new Set(
        deletions
          .filter((c) => mine.some((m) => c.params['ServiceInstanceId.1'] === m.ServiceInstanceId))
          .map((c) => c.params.ClientToken),
      );
      if (i % 2 === 0) {
        expect([i, states.get(`c${i}`)]).toEqual([i, 'deleted']);
        expect([i, mine.length <= 1]).toEqual([i, true]);
        if (mine.length === 1) expect([i, mine[0].Status, tokens.size]).toEqual([i, 'Deleted', 1]);
      } else {
        expect([i, states.get(`c${i}`)]).toEqual([i, 'active']);
        expect([i, mine.length, tokens.size]).toEqual([i, 1, 0]);
        expect([i, mine[0].Status]).toEqual([i, 'Deployed']);
      }
    }
  }, 180_000);
});
