import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transition, type LifecycleEvent, type Policy } from '../../../scripts/hook/machine';
import { SqliteStore } from '../../../scripts/hook/store/sqlite-store';

const policy: Policy = { onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true };
const T0 = '2026-01-01T00:00:00.000Z';
const create: LifecycleEvent = { type: 'create', at: T0, skuId: 'yuncode1', billingItems: {}, orderId: 'o1' };

describe('SQLite store: applied Marketplace notifications (issue 12)', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestkit-notes-'));
    file = join(dir, 'nestkit.db');
    store = new SqliteStore(file);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies a notification id once, across a reopen of the database', async () => {
    const decide = (r: Parameters<typeof transition>[0]) => transition(r, create, policy);
    expect(await store.applyNotification('n-1', '40017', 'spi', create, decide)).toMatchObject({
      record: { state: 'provisioning' },
    });
    expect(await store.notificationStatus('n-1')).toEqual({ applied: true, confirmed: false });
    await store.close();
    store = new SqliteStore(file);
    expect(await store.applyNotification('n-1', '40017', 'spi', create, decide)).toBeUndefined();
    await store.markNotificationConfirmed('n-1', T0);
    expect(await store.notificationStatus('n-1')).toEqual({ applied: true, confirmed: true });
    expect(await store.notificationStatus('n-2')).toEqual({ applied: false, confirmed: false });
  });

  it('commits the id and the record together: a failed apply leaves neither', async () => {
    await expect(
      store.applyNotification('n-3', '40018', 'spi', create, () => {
        throw new Error('decide failed');
      }),
    ).rejects.toThrow('decide failed');
    expect(await store.notificationStatus('n-3')).toEqual({ applied: false, confirmed: false });
    expect(await store.get('40018')).toBeUndefined();
    const applied = await store.applyNotification('n-3', '40018', 'spi', create, (r) =>
      transition(r, create, policy),
    );
    expect(applied?.record.state).toBe('provisioning');
  });

  it('remembers a notification with nothing to apply once', async () => {
    expect(await store.rememberNotification('n-4', '40017', 'verify')).toBe(true);
    expect(await store.rememberNotification('n-4', '40017', 'verify')).toBe(false);
  });
});
