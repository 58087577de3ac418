import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createLogger } from '../../../scripts/hook/logger';
import { HookMetrics } from '../../../scripts/hook/metrics';
import { connectionGuardOf, createHookServer, type HookServerLimits } from '../../../scripts/hook/server';
import type { SpiDeps } from '../../../scripts/hook/spi/handler';
import { SqliteStore } from '../../../scripts/hook/store/sqlite-store';
import { spiToken } from '../../../scripts/marketplace/spi-token';
import { recordFigures } from '../../support/figures';
import { sampleModel } from '../../support/model';

const KEY = 'hostile-test-isv-key-0123';
const HOSTILE_REQUESTS = 50_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The hook's HTTP surface on a real store, without the cloud: what an attacker on the internet reaches. */
async function hookServer(limits: Partial<HookServerLimits> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'nestkit-hostile-'));
  const store = new SqliteStore(join(dir, 'nestkit.db'));
  const lines: string[] = [];
  const log = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  });
  const metrics = new HookMetrics(store);
  const model = sampleModel();
  const clock = { now: Date.parse('2026-01-05T00:00:00Z') };
  const spi: SpiDeps = {
    store,
    model,
    policy: model.lifecycle,
    key: KEY,
    now: () => new Date(clock.now),
    log,
    metrics,
    ssoWindowMs: 300_000,
    passwordSecret: 'hostile-test-password-secret-0123456789',
  };
  const server = createHookServer({ spi, registry: metrics.registry, log, ready: () => true }, limits);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    store,
    lines,
    clock,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function get(
  port: number,
  path: string,
  agent?: Agent,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, agent, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        const done = () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') });
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', done);
        // A server that answers and then closes the socket (a refused body) may cut the answer's body:
        // then there is no 'end', only 'close'; the status is known either way.
        res.on('close', done);
        res.on('error', () => undefined);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const signed = (params: Record<string, string>) =>
  `/spi?${new URLSearchParams({ ...params, token: spiToken(params, KEY) }).toString()}`;

const create = (orderBizId: string) => ({
  action: 'createInstance',
  aliUid: '1234567890123456',
  orderBizId,
  orderId: `2088${orderBizId}`,
  productCode: 'cmjj00012345',
  skuId: 'yuncode5012300001',
  trial: 'false',
  expiredOn: '2026-02-01 08:00:00',
});

/** Request `i` of the hostile mix: random actions with wrong tokens, smuggled values, garbage. */
function hostilePath(i: number): string {
  const random = Math.random().toString(36).slice(2);
  switch (i % 6) {
    case 0:
      return `/spi?action=${random}&instanceId=${i}&token=${'0'.repeat(32)}`;
    case 1:
      return `/spi?action=createInstance&orderBizId=${i}&BackupStorage=0%26PublicEndpoint%3D0&token=${random}`;
    case 2:
      return `/spi?action=%E0%A4%A&x=${random}`;
    case 3:
      return `/spi?action=${'A'.repeat(1500)}${random}&token=x`;
    case 4:
      return `/${random}?token=x`;
    default:
      return `/spi?${random}=${random}&action=expiredInstance&instanceId=NaN&token=${'f'.repeat(32)}`;
  }
}

async function sendAll(
  port: number,
  total: number,
  agent: Agent,
  parallel = 32,
): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < total) {
        const i = next++;
        const { status } = await get(port, hostilePath(i), agent);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

function memory() {
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapMB: +(heapUsed / 2 ** 20).toFixed(1), rssMB: +(rss / 2 ** 20).toFixed(1) };
}

describe('hook: hostile traffic (issue 14)', () => {
  it(`answers ${HOSTILE_REQUESTS.toLocaleString('en')} hostile requests in flat memory, with a bounded /metrics and log, storing nothing`, async () => {
    const hook = await hookServer();
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    try {
      await sendAll(hook.port, 2_000, agent); // warm up: JIT, pools, the first log window
      const before = memory();
      const linesBefore = hook.lines.length;
      const statuses = await sendAll(hook.port, HOSTILE_REQUESTS, agent);
      const after = memory();
      const metrics = (await get(hook.port, '/metrics', agent)).body;
      const series = metrics.split('\n').filter((l) => l.startsWith('nestkit_spi_notifications_total{'));
      const figures = {
        requests: HOSTILE_REQUESTS,
        before,
        after,
        metricsBytes: metrics.length,
        notificationSeries: series.length,
        logLines: hook.lines.length - linesBefore,
        logBytes: hook.lines.slice(linesBefore).join('').length,
        statuses: Object.fromEntries(statuses),
      };
      recordFigures('hostileTraffic', figures);

      expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
      expect(after.heapMB - before.heapMB).toBeLessThan(16);
      expect(after.rssMB - before.rssMB).toBeLessThan(64);
      // Closed label sets: 7 actions (6 and `unknown`) × 4 results at most, whatever the requests said.
      expect(series.length).toBeLessThanOrEqual(28);
      expect(metrics.length).toBeLessThan(16_384);
      expect(series.join('\n')).not.toMatch(
        /action="(?!createInstance|renewInstance|upgradeInstance|expiredInstance|releaseInstance|verify|unknown")/,
      );
      // Refusals are logged, but rate-limited: 20 a window and one count, on the virtual clock that did not move.
      expect(figures.logLines).toBeLessThanOrEqual(21);
      for (const line of hook.lines) expect(line.length).toBeLessThan(2_000);
      expect(await hook.store.list()).toEqual([]);

      // A real order still gets in, and the refusals of the next window are counted in one line.
      const real = await get(hook.port, signed(create('40017')), agent);
      expect(JSON.parse(real.body)).toEqual({ instanceId: '0' });
      hook.clock.now += 61_000;
      await get(hook.port, hostilePath(0), agent);
      expect(
        hook.lines.some((l) => /more refused requests not logged/.test(l) && /"InvalidToken":\d+/.test(l)),
      ).toBe(true);
    } finally {
      agent.destroy();
      await hook.close();
    }
  }, 300_000);

  it('logs each refusal with its reason and order id, truncated', async () => {
    const hook = await hookServer();
    try {
      const long = '4'.repeat(1500);
      await get(hook.port, `/spi?action=renewInstance&instanceId=${long}&orderId=208955&token=bad`);
      const smuggled = { ...create('40018'), BackupStorage: '0&PublicEndpoint=0' };
      const answer = await get(hook.port, signed(smuggled));
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'InvalidParameter', parameter: 'BackupStorage' });
      const refusals = hook.lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => /refused/.test(String(l.msg)));
      expect(refusals).toEqual([
        expect.objectContaining({
          reason: 'InvalidToken',
          action: 'renewInstance',
          instanceId: `${'4'.repeat(80)}…(1500 chars)`,
          orderId: '208955',
        }),
        expect.objectContaining({
          reason: 'InvalidParameter',
          parameter: 'BackupStorage',
          instanceId: '40018',
          orderId: '208840018',
        }),
      ]);
      expect(await hook.store.get('40018')).toBeUndefined();
    } finally {
      await hook.close();
    }
  });

  it('refuses an upgrade to a SKU no edition has, as a create, and changes nothing (issue 14.7)', async () => {
    const hook = await hookServer();
    try {
      expect(JSON.parse((await get(hook.port, signed(create('40021')))).body)).toEqual({ instanceId: '0' });
      const before = await hook.store.get('40021');
      const upgrade = {
        action: 'upgradeInstance',
        instanceId: '40021',
        orderId: '209100',
        skuId: 'yuncode9999999999',
        BackupStorage: '1',
      };
      const answer = await get(hook.port, signed(upgrade));
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'UnknownSku', parameter: 'skuId' });
      expect(await hook.store.get('40021')).toEqual(before);
      for (const id of ['0', '-1', 'NaN', '9'.repeat(64)]) {
        const refused = await get(
          hook.port,
          signed({ ...upgrade, instanceId: id, skuId: 'yuncode5012300002' }),
        );
        expect(JSON.parse(refused.body)).toMatchObject({ code: 'InvalidParameter', parameter: 'instanceId' });
      }
      expect((await hook.store.list()).map((r) => r.id)).toEqual(['40021']);
    } finally {
      await hook.close();
    }
  });

  it('closes a silent socket after the header timeout and refuses a claimed 100 MB body unread', async () => {
    const hook = await hookServer({ headersTimeoutMs: 300, requestTimeoutMs: 600, idleTimeoutMs: 300 });
    try {
      const silent = connect(hook.port, '127.0.0.1');
      const closedAfter = await new Promise<number>((resolve) => {
        const start = process.hrtime.bigint();
        silent.on('close', () => resolve(Number(process.hrtime.bigint() - start) / 1e6));
        silent.on('error', () => undefined);
      });
      expect(closedAfter).toBeLessThan(5_000);

      const claimed = await get(hook.port, '/spi', undefined, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(100 * 2 ** 20),
        },
      }).catch((error: Error) => ({ status: 0, body: error.message }));
      expect(claimed.status).toBe(413);

      const big = await get(hook.port, '/spi', undefined, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `action=verify&x=${'a'.repeat(20_000)}`,
      }).catch((error: Error) => ({ status: 0, body: error.message }));
      expect([413, 0]).toContain(big.status);
    } finally {
      await hook.close();
    }
  });

  it('keeps a real order able to get in while slow connections hold every other socket', async () => {
    const hook = await hookServer({
      maxConnections: 60,
      maxConnectionsPerSource: 40,
      headersTimeoutMs: 60_000,
      requestTimeoutMs: 60_000,
      idleTimeoutMs: 60_000,
    });
    const slow: Socket[] = [];
    try {
      for (let i = 0; i < 200; i++) {
        const socket = connect(hook.port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.write('GET /spi?action=createInstance HTTP/1.1\r\nHost: x\r\n'); // headers never finished
        slow.push(socket);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      const guard = connectionGuardOf(hook.server as Server)!;
      expect(guard.open).toBeLessThanOrEqual(40);
      const real = await get(hook.port, signed(create('40019')));
      expect(JSON.parse(real.body)).toEqual({ instanceId: '0' });
      expect(await hook.store.get('40019')).toMatchObject({ state: 'provisioning' });
      expect(guard.evicted).toBeGreaterThan(0);
      const metrics = (await get(hook.port, '/metrics')).body;
      const evicted = Number(/nestkit_http_connections_evicted_total (\d+)/.exec(metrics)?.[1]);
      expect(evicted).toBeGreaterThanOrEqual(guard.evicted - 1); // the scrape's own connection may evict one
      expect(evicted).toBeGreaterThan(0);
      expect(metrics).toMatch(/nestkit_http_connections_open \d+/);
    } finally {
      for (const socket of slow) socket.destroy();
      await hook.close();
    }
  });
});
