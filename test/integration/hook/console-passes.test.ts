import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replicaLabel } from '../../../scripts/console/pass-log';
import type { RunningHook } from '../../../scripts/hook/hook';
import { releaseOrder } from '../../../scripts/hook/operator-actions';
import { DEFAULT_TEARDOWN_LIMITS } from '../../../scripts/hook/teardown-guard';
import { loadServiceConfig } from '../../../service-config/load';
import { SAMPLE_CONFIG } from '../../support/model';
import { seedActiveOrders } from '../../browser/support';
import { hookWorld, startSecondHook, type HookWorld } from './support';
import { describePg, freshDatabase } from './store-pg-support';

const TOKEN = 'console-token-for-the-passes-test';

/** Signs in to a hook's console and reads its overview's "Last passes" rows and guard note as text. */
async function overviewOf(hook: RunningHook): Promise<{ passes: string[]; held: string }> {
  const signIn = await fetch(`${hook.url}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: TOKEN }).toString(),
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
  const page = await fetch(`${hook.url}/console`, { headers: { cookie } });
  expect(page.status).toBe(200);
  const html = await page.text();
  const plain = (s: string) =>
    s
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const table = html.slice(html.indexOf('id="passes"'));
  const body = table.slice(table.indexOf('<tbody>'), table.indexOf('</tbody>'));
  const passes = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => plain(m[1]));
  const from = html.indexOf('aria-labelledby="c-held"');
  const card = html.slice(html.indexOf('>', from) + 1);
  return { passes, held: plain(card.slice(0, card.indexOf('</section>'))) };
}

/**
 * Two hooks on one database (replicas): each records the passes it runs in the store, and each one's
 * console shows the fleet's last passes, the other's included, with the replica that ran each, and the
 * guard's hold from a pass the other ran.
 */
function twoReplicas(engine: string, database: () => Promise<{ url: string; drop(): Promise<void> }>) {
  let w: HookWorld;
  let second: RunningHook;
  let db: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    db = await database();
    w = await hookWorld({ consoleToken: TOKEN, dbPath: db.url });
    second = await startSecondHook(w, {
      dbPath: db.url,
      consoleToken: TOKEN,
      // This replica's guard lets one teardown through a pass.
      limits: { maxPerPass: 1 },
    });
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await w?.close();
    await db?.drop();
  });

  it(`${engine}: each replica's console shows the other's passes, with the replica that ran each`, async () => {
    const a = replicaLabel(w.hook.worker.owner);
    const b = replicaLabel(second.worker.owner);
    expect(a).not.toBe(b);
    await w.hook.teardownPass();
    w.box.advance(60);
    await second.reconcilePass();

    const expected = [
      expect.stringMatching(new RegExp(`^notifications .* ${b} 0 missed notifications listed`)),
      expect.stringMatching(new RegExp(`^licence .* ${b} 0 licence events applied$`)),
      expect.stringMatching(new RegExp(`^reconcile .* ${b} 0 instances seen, 0 events`)),
      expect.stringMatching(new RegExp(`^teardown .* ${a} 0 due, 0 teardowns started$`)),
    ];
    expect((await overviewOf(w.hook)).passes).toEqual(expected);
    expect((await overviewOf(second)).passes).toEqual(expected);
  });

  it(`${engine}: the guard's hold on one replica's pass shows on the other's overview`, async () => {
    const policy = loadServiceConfig(SAMPLE_CONFIG).lifecycle;
    const now = () => new Date(w.box.clock.now());
    await seedActiveOrders(w.hook.store, policy, 3, now().toISOString());
    const deps = { store: w.hook.store, policy, now, limits: DEFAULT_TEARDOWN_LIMITS };
    await releaseOrder(deps, 'order-0001', 'test: one of two');
    await releaseOrder(deps, 'order-0002', 'test: two of two');
    w.box.advance(60);
    expect(await second.teardownPass()).toMatchObject({ due: 2, started: 0 });
    const b = replicaLabel(second.worker.owner);
    const { held, passes } = await overviewOf(w.hook);
    expect(held).toBe(
      `Teardowns due 2 Held by the teardown guard since ${now().toISOString()} (pass on ${b}): stopped by the teardown guard: 2 teardowns are due in one pass; the limit is 1`,
    );
    expect(passes[0]).toMatch(new RegExp(`^teardown .* ${b} 2 due, 0 teardowns started`));

    // A pass that goes through (on the first replica, default limits) ends the hold for both.
    w.box.advance(60);
    expect(await w.hook.teardownPass()).toMatchObject({ due: 2, started: 2 });
    expect((await overviewOf(second)).held).toBe('Teardowns due 0 Nothing held.');
  });
}

describe('the last passes of the fleet: two hooks on one SQLite file', () => {
  twoReplicas('SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nestkit-replicas-'));
    return { url: join(dir, 'nestkit.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  });
});

describePg('the last passes of the fleet: two hooks on one PostgreSQL', () => {
  twoReplicas('PostgreSQL', freshDatabase);
});
