import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transition, type LifecycleEvent } from '../../../scripts/hook/machine';
import { SqliteStore } from '../../../scripts/hook/store/sqlite-store';
import { useColour } from '../../../scripts/output';
import { assertDistFresh } from '../../support/cli';
import { REPO_ROOT } from '../../support/model';

/** The built CLI; `onStdout` may close the pipe early, as `| head` does. */
function run(args: string[], onStdout?: (stdout: NodeJS.ReadableStream) => void) {
  assertDistFresh();
  return new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'nestkit.js'), ...args], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NO_COLOR: '1',
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'sandbox',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'sandbox-secret',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (onStdout) onStdout(child.stdout);
    else child.stdout.resume();
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('CLI conventions', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nestkit-conventions-'));
    const store = new SqliteStore(join(dir, 'nestkit.db'));
    const policy = { onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true } as const;
    const at = '2026-01-01T00:00:00.000Z';
    const create: LifecycleEvent = { type: 'create', at, skuId: 'yuncode5012300001', billingItems: {} };
    await store.applyEvents(
      Array.from({ length: 1000 }, (_, i) => ({
        id: `${100000 + i}`,
        source: 'spi' as const,
        event: create,
      })),
      (r, e) => transition(r, e, policy),
    );
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ends quietly when the reader of its output goes away (| head)', async () => {
    const result = await run(
      ['orders', 'list', '--db', join(dir, 'nestkit.db'), '--limit', '1000', '--json'],
      (stdout) => stdout.once('data', () => (stdout as unknown as { destroy(): void }).destroy()),
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('says a port is in use and how to pick another (exit 2)', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const result = await run(['sandbox', '--port', String(port)]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is in use`);
      expect(result.stderr).toContain('--port');
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      server.close();
    }
  });

  it('refuses an endpoint without a scheme, naming the fix (exit 2)', async () => {
    const result = await run(['publish', '--dry-run', '--endpoint', '127.0.0.1:8900']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--endpoint');
    expect(result.stderr).toContain('write http://127.0.0.1:8900');
  });

  it('names the --state file of the sandbox it cannot use', async () => {
    const missing = await run(['sandbox', '--port', '0', '--state', join(dir, 'no', 'such', 'state.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`--state ${join(dir, 'no', 'such', 'state.json')}`);
    writeFileSync(join(dir, 'broken.json'), '{not json');
    const broken = await run(['sandbox', '--port', '0', '--state', join(dir, 'broken.json')]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`--state ${join(dir, 'broken.json')}: not a sandbox state file`);
  });

  it('takes NO_COLOR as no-color.org defines it: set and not empty', () => {
    const tty = { isTTY: true } as NodeJS.WriteStream;
    const saved = process.env.NO_COLOR;
    try {
      process.env.NO_COLOR = '1';
      expect(useColour(tty)).toBe(false);
      process.env.NO_COLOR = '';
      expect(useColour(tty)).toBe(true);
      delete process.env.NO_COLOR;
      expect(useColour(tty)).toBe(true);
      expect(useColour({ isTTY: false } as NodeJS.WriteStream)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });
});
