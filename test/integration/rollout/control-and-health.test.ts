import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SupplierApi } from '../../../scripts/cloud/supplier';
import type { Sandbox } from '../../../scripts/sandbox';
import { beginRollout, planRollout } from '../../../scripts/rollout/begin';
import { RolloutExecutor } from '../../../scripts/rollout/executor';
import { httpHealthProbe } from '../../../scripts/rollout/health';
import type { RolloutOptions } from '../../../scripts/rollout/model';
import type { RolloutStore } from '../../../scripts/rollout/store';
import { sandbox, supplier } from '../sandbox/helpers';
import { ENGINES, rolloutStoreAt, type TestDatabase } from './engines';
import { fleet } from './support';
import { OPTIONS, sandboxTime, upgradesOf } from './support-run';

for (const engine of ENGINES)
  engine.describe(`pause, resume, abort and the health check (${engine.name})`, () => {
    let box: Sandbox;
    let api: SupplierApi;
    let database: TestDatabase;
    /** Stores the test opened, closed after it (an open PostgreSQL pool would keep jest running). */
    const opened: RolloutStore[] = [];
    const open = async (now?: () => Date) => {
      const store = await rolloutStoreAt(database.db, now);
      opened.push(store);
      return store;
    };
    beforeEach(async () => {
      box = await sandbox();
      api = supplier(box);
      database = await engine.fresh();
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await box.close();
      await database.drop();
    });

    /** A kept rollout and a way to run it; `onSleep` runs at each wait of the executor (another shell). */
    const prepare = async (
      serviceId: string,
      options: Partial<RolloutOptions> = {},
      onSleep: () => Promise<void> = async () => undefined,
    ) => {
      const base = sandboxTime(box);
      const clock = { now: base.now, sleep: async (ms: number) => (await onSleep(), base.sleep(ms)) };
      const store = await open(() => new Date(clock.now()));
      const all = { ...OPTIONS, ...options };
      const { plan, target } = await planRollout(api, clock, serviceId, all, undefined);
      const id = await beginRollout(store, serviceId, plan, all, new Date(clock.now()));
      const executor = (health = all.healthPath ? httpHealthProbe(all.healthPath) : undefined) =>
        new RolloutExecutor({
          supplier: api,
          store,
          clock,
          pollMs: 10_000,
          concurrency: 4,
          metadata: target.metadata,
          health,
        });
      return { id, store, executor };
    };
    const upgradeCalls = () => box.core.calls.list('UpgradeServiceInstance').length;

    it('pauses after what is under way, and resumes to the end with every instance upgraded once', async () => {
      const { serviceId, ids } = await fleet(box, api, 7);
      let other: RolloutStore | undefined;
      const run = await prepare(serviceId, {}, async () => {
        // `nestkit rollout pause` in another shell, once the second wave is asked for.
        if (!other && upgradeCalls() >= 3) {
          other = await open();
          await other.setState((await other.active())!.id, 'paused', 'paused by nestkit rollout pause');
        }
      });
      expect(await run.executor().run(run.id)).toBe('paused');
      expect(upgradeCalls()).toBe(3);
      const steps = await run.store.steps(run.id);
      expect(steps.filter((s) => s.state === 'pending')).toHaveLength(4);
      expect(steps.filter((s) => s.state === 'done')).toHaveLength(3);
      await run.store.setState(run.id, 'running');
      expect(await run.executor().run(run.id)).toBe('finished');
      expect(await upgradesOf(api, ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    });

    it('aborts: no new upgrades, and the hook may act on every instance again', async () => {
      const { serviceId } = await fleet(box, api, 7);
      let aborted = false;
      const run = await prepare(serviceId, {}, async () => {
        if (!aborted && upgradeCalls() >= 3) {
          aborted = true;
          await run.store.setState(run.id, 'aborted', 'aborted by nestkit rollout abort');
        }
      });
      expect(await run.executor().run(run.id)).toBe('aborted');
      expect(upgradeCalls()).toBe(3);
      const steps = await run.store.steps(run.id);
      const held = await Promise.all(steps.map((s) => run.store.isHeld(s.instanceId)));
      expect(held).toEqual(steps.map(() => false));
    });

    it('takes a list that answers short for what it is: no instance is skipped as gone unless Get says so', async () => {
      const { serviceId, ids } = await fleet(box, api, 4);
      const run = await prepare(serviceId);
      box.core.faults.add({ kind: 'emptyList', action: 'ListServiceInstances', count: 4 });
      expect(await run.executor().run(run.id)).toBe('finished');
      expect((await run.store.steps(run.id)).map((s) => s.state)).toEqual(ids.map(() => 'done'));
      expect(box.core.faults.list()[0].fired).toBe(4);
    });

    describe('with --health-path', () => {
      let app: Server;
      let status = 200;
      beforeEach(async () => {
        app = createServer((req, res) => res.writeHead(req.url === '/healthz' ? status : 404).end());
        await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
      });
      afterEach(() => new Promise<void>((resolve) => app.close(() => resolve())));

      const pointAtApp = (ids: string[]) => {
        const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
        for (const id of ids) box.core.state.instances[id].Outputs = { Endpoint: url };
      };

      it('fails an upgrade whose application answers unhealthy, and stops', async () => {
        const { serviceId, ids } = await fleet(box, api, 3);
        pointAtApp(ids);
        status = 503;
        const run = await prepare(serviceId, { healthPath: '/healthz' });
        expect(await run.executor().run(run.id)).toBe('stopped');
        const canary = (await run.store.steps(run.id)).find((s) => s.wave === 0)!;
        expect(canary).toMatchObject({ state: 'failed', detail: expect.stringContaining('HTTP 503') });
        expect(upgradeCalls()).toBe(1);
      });

      it('finishes when the application answers healthy, and treats an unreachable one by its status', async () => {
        const { serviceId, ids } = await fleet(box, api, 3);
        pointAtApp(ids.slice(0, 2));
        status = 200;
        const run = await prepare(serviceId, { healthPath: '/healthz' });
        expect(await run.executor().run(run.id)).toBe('finished');
        expect((await run.store.steps(run.id)).map((s) => s.state)).toEqual(['done', 'done', 'done']);
      });
    });
  });
