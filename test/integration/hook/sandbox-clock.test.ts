import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { spiToken } from '../../../scripts/marketplace/spi-token';
import type { Sandbox } from '../../../scripts/sandbox';
import { admin, sandbox } from '../sandbox/helpers';
import { createParams, publishSample, spawnBuiltHook, SPI_KEY } from './support';

const DAY = 86400;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls (real time, short) until `check` holds; the hook's own ticks are 200 ms of real time. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * `nestkit hook --endpoint <sandbox> --sandbox-clock`, the built CLI as a child process: its passes,
 * polls and retention run on the sandbox's manual clock, which only the test moves.
 */
describe('nestkit hook --sandbox-clock', () => {
  let box: Sandbox;
  let dir: string;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await box?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("follows the sandbox's virtual clock: tears a released instance down once its retention has passed there", async () => {
    box = await sandbox(); // manual clock from 2026-01-01T00:00:00Z: far from the wall clock
    await publishSample(box);
    dir = mkdtempSync(join(tmpdir(), 'nestkit-sandbox-clock-'));
    const db = join(dir, 'nestkit.db');
    const port = await freePort();
    const hookUrl = `http://127.0.0.1:${port}`;
    let stderr = '';
    child = spawnBuiltHook({
      db,
      port,
      endpoint: box.url,
      args: ['--sandbox-clock', '--poll-interval', '1000'],
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await until(
      `the hook to listen (${stderr})`,
      () =>
        fetch(`${hookUrl}/readyz`).then(
          (r) => r.ok,
          () => false,
        ),
      15_000,
    );
    const spi = async (params: Record<string, string>) => {
      const url = new URL(`${hookUrl}/spi`);
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      url.searchParams.set('token', spiToken(params, SPI_KEY));
      const response = await fetch(url);
      await response.arrayBuffer();
      return response.status;
    };
    const record = (id: string) => {
      const store = new Database(db, { readonly: true, fileMustExist: true });
      try {
        return store.prepare('SELECT state, teardown_at FROM instances WHERE id = ?').get(id) as
          { state: string; teardown_at: string | null } | undefined;
      } finally {
        store.close();
      }
    };
    const calls = (action: string) => box.core.calls.list(action);
    const advance = (seconds: number) => admin(box, 'POST', '/_sandbox/clock', { advanceSeconds: seconds });

    const createdAt = box.clock.now();
    expect(await spi(createParams('70001'))).toBe(200);
    await until('the create', () => calls('CreateServiceInstance').length === 1);
    await advance(70); // the sandbox deploys (5 s + 60 s); the hook's watch falls due on the same clock
    await until('the record to be active', () => record('70001')?.state === 'active');

    // Without a refund the retention applies (7 days, service.yaml), counted on the sandbox's clock: from
    // the hook's last reading of it (taken each tick), so between the create's time and the release's.
    const releasedAt = box.clock.now();
    expect(await spi({ action: 'releaseInstance', instanceId: '70001', isRefund: 'false' })).toBe(200);
    const released = record('70001')!;
    expect(released.state).toBe('released');
    const teardownAt = Date.parse(released.teardown_at!);
    expect(teardownAt).toBeGreaterThanOrEqual(createdAt + 7 * DAY * 1000);
    expect(teardownAt).toBeLessThanOrEqual(releasedAt + 7 * DAY * 1000);

    await advance(6 * DAY); // teardown passes run (every 60 s on that clock), none is due yet
    await sleep(1000);
    expect(calls('DeleteServiceInstances')).toHaveLength(0);
    expect(record('70001')?.state).toBe('released');

    await advance(DAY + 120); // past the retention: the next pass tears it down
    await until('the teardown', () => calls('DeleteServiceInstances').length === 1);
    await advance(35); // the sandbox deletes (30 s); the hook's watch sees it on the same clock
    await until('the record to be deleted', () => record('70001')?.state === 'deleted');
    expect(calls('DeleteServiceInstances')).toHaveLength(1);
    expect(Object.values(box.core.state.instances).map((i) => i.Status)).toEqual(['Deleted']);
  }, 40_000);
});
