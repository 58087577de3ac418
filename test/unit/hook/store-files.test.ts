import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transition, type LifecycleEvent } from '../../../scripts/hook/machine';
import { SqliteStore } from '../../../scripts/hook/store/sqlite-store';

const create: LifecycleEvent = {
  type: 'create',
  at: '2026-01-01T00:00:00.000Z',
  skuId: 's',
  billingItems: {},
};
const mode = (file: string) => statSync(file).mode & 0o777;

describe('SQLite store files (issue 14.9)', () => {
  let dir: string;
  let umask: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestkit-files-'));
    umask = process.umask(0o022); // the usual: files 0644 unless made otherwise
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the database and its -wal and -shm files readable by the owner only', async () => {
    const file = join(dir, 'data', 'nestkit.db');
    const store = new SqliteStore(file);
    await store.applyEvent('1', 'spi', create, (r) =>
      transition(r, create, { onExpiry: 'stop', retentionDays: 1, deleteOnRelease: true }),
    );
    expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
    await store.close();
  });

  it('narrows a database an older hook created wider', async () => {
    const file = join(dir, 'nestkit.db');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const store = new SqliteStore(file);
    await store.probe();
    expect(mode(file)).toBe(0o600);
    await store.close();
  });
});
