import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { createParams, hookWorld, type HookWorld } from './support';
import { describePg, freshDatabase } from './store-pg-support';

const status = async (url: string) => (await fetch(url)).status;

/** Issue 13: a database that is locked or stalls is a 503 the Marketplace retries, never a lost order. */
describe('hook store faults on SQLite', () => {
  let w: HookWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('answers 503 while another process holds the database past the busy timeout, then takes the retry once', async () => {
    w = await hookWorld();
    const other = new Database(join(w.dir, 'nestkit.db'));
    other.exec('BEGIN IMMEDIATE'); // the write lock, held for longer than the hook's 250 ms busy timeout
    expect((await w.spi(createParams('90001'))).status).toBe(503);
    expect(await status(`${w.hook.url}/healthz`)).toBe(200);
    expect(await status(`${w.hook.url}/readyz`)).toBe(503);
    expect(w.hook.health.problem).toMatch(/SQLITE_BUSY/);
    expect(await w.hook.store.get('90001')).toBeUndefined(); // nothing half-written
    other.exec('COMMIT');
    other.close();
    await w.hook.step(); // the probe sees the database commit again
    expect(await status(`${w.hook.url}/readyz`)).toBe(200);
    expect((await w.spi(createParams('90001'))).status).toBe(200); // the Marketplace's retry
    await w.settleDeployments();
    expect((await w.hook.store.get('90001'))?.state).toBe('active');
    expect((await w.hook.store.jobsOf('90001')).filter((j) => j.kind === 'createInstance')).toHaveLength(1);
    expect(Object.values(w.box.core.state.instances)).toHaveLength(1);
  });
});

describePg('hook store faults on PostgreSQL', () => {
  let w: HookWorld | undefined;
  let db: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  /** Stops the test's TCP proxy, if it made one: a listening server would keep jest from exiting. */
  let stopProxy: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await w?.close();
    await stopProxy?.();
    await db?.drop();
    w = db = stopProxy = undefined;
  });

  it('keeps answering /healthz while a store call hangs, and finishes that call once the database moves', async () => {
    db = await freshDatabase();
    w = await hookWorld({ dbPath: db.url });
    const locker = new Client({ connectionString: db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE instances IN ACCESS EXCLUSIVE MODE'); // every read of a record waits
      let answered = false;
      const pending = w.spi(createParams('90002')).finally(() => (answered = true));
      expect(await status(`${w.hook.url}/healthz`)).toBe(200);
      expect(await status(`${w.hook.url}/healthz`)).toBe(200);
      expect(answered).toBe(false); // still waiting on the lock: the event loop is not
      await locker.query('COMMIT');
      expect((await pending).status).toBe(200);
    } finally {
      await locker.end();
    }
    await w.settleDeployments();
    expect((await w.hook.store.get('90002'))?.state).toBe('active');
  });

  it('answers 503 while the database is unreachable and carries on when it is back', async () => {
    db = await freshDatabase();
    const target = new URL(db.url);
    const proxy = await tcpProxy(target.hostname, Number(target.port || 5432));
    stopProxy = proxy.stop;
    target.port = String(proxy.port);
    w = await hookWorld({ dbPath: target.toString() });
    expect((await w.spi(createParams('90003'))).status).toBe(200);
    await proxy.stop(); // the server (or the way to it) is gone: connections cut, new ones refused
    expect((await w.spi(createParams('90004'))).status).toBe(503);
    expect(await status(`${w.hook.url}/healthz`)).toBe(200);
    expect(await status(`${w.hook.url}/readyz`)).toBe(503);
    expect(w.hook.health.problem).toMatch(/ECONNREFUSED|PG_CONNECTION|57P01/);
    await proxy.start();
    await w.hook.step();
    expect(await status(`${w.hook.url}/readyz`)).toBe(200);
    expect((await w.spi(createParams('90004'))).status).toBe(200); // the Marketplace's retry
    expect((await w.hook.store.get('90004'))?.state).toBe('provisioning');
    expect((await w.hook.store.get('90003'))?.state).toBe('provisioning');
  });
});

/** A TCP proxy to the database that the test can take down and bring back on the same port. */
async function tcpProxy(host: string, port: number) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let listenPort = 0;
  const start = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(port, host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined).on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.listen(listenPort, '127.0.0.1', () => {
        listenPort = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  await start();
  return {
    port: listenPort,
    start,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server!.close(() => resolve());
      }),
  };
}
