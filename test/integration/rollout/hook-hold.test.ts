import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { RolloutStore } from '../../../scripts/rollout/store';
import { createParams, hookWorld, type HookWorld } from '../hook/support';
import { ENGINES, rolloutStoreAt, type TestDatabase } from './engines';
import { OPTIONS } from './support-run';

const CONSOLE_TOKEN = 'console-token-for-the-hold-test';

/** Text as a person reads it: the style sheet and the tags dropped, white space collapsed. */
const textOf = (page: string) =>
  page
    .replace(/<style[^>]*>[^<]*<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

for (const engine of ENGINES)
  engine.describe(`the hook beside a rollout (${engine.name})`, () => {
    let w: HookWorld;
    let database: TestDatabase | undefined;
    let rollouts: RolloutStore;
    beforeEach(async () => {
      // SQLite: the hook's file in the world's folder; PostgreSQL: a database of the test's own.
      database = engine.name === 'PostgreSQL' ? await engine.fresh() : undefined;
      w = await hookWorld({ consoleToken: CONSOLE_TOKEN, ...(database ? { dbPath: database.db } : {}) });
      rollouts = await rolloutStoreAt(database?.db ?? join(w.dir, 'nestkit.db'));
    });
    afterEach(async () => {
      await rollouts.close();
      await w.close();
      await database?.drop();
    });

    /** A running rollout to `target` whose one step, on `instanceId`, is in `state`. */
    const holdBy = async (instanceId: string, target: string, state: 'upgrading' | 'done') => {
      await rollouts.create(
        {
          id: 'r1',
          serviceId: w.serviceId,
          targetVersion: target,
          state: 'running',
          options: OPTIONS,
          currentWave: 0,
          waveSizes: [1],
          createdAt: new Date().toISOString(),
        },
        {
          targetVersion: target,
          steps: [{ instanceId, fromVersion: '1', wave: 0 }],
          skipped: [],
          waveSizes: [1],
        },
      );
      await rollouts.updateStep('r1', instanceId, { state });
    };

    /** A console page as the signed-in operator gets it. */
    const consolePage = async (path: string) => {
      const signIn = await fetch(`${w.hook.url}/console/sign-in`, {
        method: 'POST',
        body: new URLSearchParams({ token: CONSOLE_TOKEN, next: '/console' }),
        redirect: 'manual',
      });
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
      const page = await fetch(`${w.hook.url}${path}`, { headers: { cookie } });
      expect(page.status).toBe(200);
      return textOf(await page.text());
    };

    it('does not tear down an instance the rollout holds, and does once it lets go', async () => {
      await w.spi(createParams('50001'));
      await w.settleDeployments();
      const si = (await w.hook.store.get('50001'))!.serviceInstanceId!;
      await holdBy(si, '1', 'upgrading');
      await w.spi({ action: 'releaseInstance', instanceId: '50001', isRefund: 'false' });
      await w.advance(7 * 86400);
      expect((await w.hook.teardownPass()).started).toBe(1);
      await w.hook.drain();
      await w.advance(60);
      expect(w.box.core.calls.list('DeleteServiceInstances')).toHaveLength(0);
      expect(await rollouts.isHeld(si)).toBe(true);

      await rollouts.updateStep('r1', si, { state: 'done' });
      expect(await rollouts.isHeld(si)).toBe(false);
      await w.advance(60);
      expect(w.box.core.calls.list('DeleteServiceInstances')).toHaveLength(1);
    });

    /** One statement on the hook's database from another connection (an operator's, a migration's). */
    const onDatabase = async (sql: string) => {
      if (!database) return void new Database(join(w.dir, 'nestkit.db')).exec(sql).close();
      const client = new Client({ connectionString: database.db });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    };

    it('postpones a teardown while it cannot read whether a rollout holds the instance', async () => {
      await w.spi(createParams('50004'));
      await w.settleDeployments();
      await w.spi({ action: 'releaseInstance', instanceId: '50004', isRefund: 'false' });
      await w.advance(7 * 86400);
      await onDatabase('ALTER TABLE rollout_steps RENAME TO rollout_steps_away');
      expect((await w.hook.teardownPass()).started).toBe(1);
      await w.advance(60);
      await w.advance(60);
      expect(w.box.core.calls.list('DeleteServiceInstances')).toHaveLength(0);
      await onDatabase('ALTER TABLE rollout_steps_away RENAME TO rollout_steps');
      await w.advance(60);
      expect(w.box.core.calls.list('DeleteServiceInstances')).toHaveLength(1);
    });

    it('deploys an order created during a rollout on the rollout target version', async () => {
      await w.spi(createParams('50002'));
      await w.hook.drain();
      expect(w.box.core.calls.list('CreateServiceInstance')[0].params.ServiceVersion).toBeUndefined();
      await holdBy('si-other', '1', 'upgrading');
      await w.spi(createParams('50003'));
      await w.hook.drain();
      expect(w.box.core.calls.list('CreateServiceInstance')[1].params.ServiceVersion).toBe('1');
    });

    it("shows the rollout in the hook's /metrics", async () => {
      await holdBy('si-other', '1', 'upgrading');
      const text = await (await fetch(`${w.hook.url}/metrics`)).text();
      expect(text).toMatch(/^nestkit_rollout_state\{state="running",target_version="1"\} 1$/m);
      expect(text).toMatch(/^nestkit_rollout_instances\{state="upgrading"\} 1$/m);
      expect(text).toMatch(/^nestkit_rollout_wave\{of="total"\} 1$/m);
    });

    it("shows the rollout on the console's rollouts page and overview", async () => {
      expect(await consolePage('/console/rollouts')).toContain('No rollout: this store records none.');
      await holdBy('si-other', '1', 'upgrading');
      const page = await consolePage('/console/rollouts');
      expect(page).toContain('Rollout r1 running');
      expect(page).toContain('Waves Wave Instances upgrading canary 1 1');
      expect(page).toContain('si-other canary upgrading 1');
      expect(await consolePage('/console')).toContain(
        'Rollouts Rollout r1 to version 1: running , wave 1 of 1, 0 of 1 upgraded.',
      );
    });
  });
