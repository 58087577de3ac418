import type { SupplierApi } from '../../../scripts/cloud/supplier';
import type { RolloutOptions } from '../../../scripts/rollout/model';
import type { Sandbox } from '../../../scripts/sandbox';
import { admin, sandbox, supplier } from '../sandbox/helpers';
import { fleet } from './support';
import { ENGINES, type TestDatabase } from './engines';
import { rollout as rolloutOn, upgradesOf } from './support-run';

for (const engine of ENGINES)
  engine.describe(`nestkit rollout on the sandbox, on the virtual clock (${engine.name})`, () => {
    let box: Sandbox;
    let api: SupplierApi;
    let database: TestDatabase;
    beforeEach(async () => {
      box = await sandbox();
      api = supplier(box);
      database = await engine.fresh();
    });
    afterEach(async () => {
      await box.close();
      await database.drop();
    });
    /** The rollout kept in this engine's database. */
    const rollout = (b: Sandbox, a: SupplierApi, serviceId: string, options?: Partial<RolloutOptions>) =>
      rolloutOn(b, a, serviceId, options, database.db);

    const upgradeCalls = () =>
      box.core.calls.list('UpgradeServiceInstance').map((c) => c.params.ServiceInstanceId);

    it('upgrades every instance once, canary first, in growing waves, each soaked', async () => {
      const { ids, to, serviceId } = await fleet(box, api, 7);
      const started = box.core.now();
      const run = await rollout(box, api, serviceId, { soakMs: 600_000 });
      expect(run.end).toBe('finished');
      expect(run.plan.waveSizes).toEqual([1, 2, 4]);
      expect(run.steps.every((s) => s.state === 'done')).toBe(true);
      for (const id of ids)
        expect((await api.getServiceInstance({ ServiceInstanceId: id })).Service?.Version).toBe(to);
      expect(await upgradesOf(api, ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
      // The canary alone first, and three soaks of ten minutes at least on the virtual clock.
      const canary = run.steps.find((s) => s.wave === 0)!.instanceId;
      expect(upgradeCalls()[0]).toBe(canary);
      expect(box.core.now() - started).toBeGreaterThanOrEqual(3 * 600_000);
    });

    it('stops after a failed canary: no further upgrade is asked for', async () => {
      const { serviceId } = await fleet(box, api, 5);
      await admin(box, 'POST', '/_sandbox/faults', { kind: 'upgradeFail', count: 1 });
      const run = await rollout(box, api, serviceId);
      expect(run.end).toBe('stopped');
      expect(run.rolloutRecord.reason).toMatch(/1 of 1 upgrades failed in wave 1 \(the canary\)/);
      expect(upgradeCalls()).toHaveLength(1);
      expect(run.steps.filter((s) => s.state === 'pending')).toHaveLength(4);
      expect(box.core.calls.list('RollbackServiceInstance')).toHaveLength(0);
    });

    it('rolls the failed instances back with --rollback-failed', async () => {
      const { serviceId, from } = await fleet(box, api, 3);
      await admin(box, 'POST', '/_sandbox/faults', { kind: 'upgradeFail', count: 1 });
      const run = await rollout(box, api, serviceId, { rollbackFailed: true });
      expect(run.end).toBe('stopped');
      const canary = run.steps.find((s) => s.wave === 0)!;
      expect(canary.state).toBe('rolledBack');
      const back = await api.getServiceInstance({ ServiceInstanceId: canary.instanceId });
      expect(back).toMatchObject({ Status: 'Deployed', Service: { Version: from } });
    });

    it('goes on past failures --max-failures allows', async () => {
      const { serviceId } = await fleet(box, api, 3);
      await admin(box, 'POST', '/_sandbox/faults', { kind: 'upgradeFail', count: 1 });
      const run = await rollout(box, api, serviceId, { maxFailures: { kind: 'percent', value: 100 } });
      expect(run.end).toBe('finished');
      expect(run.steps.map((s) => s.state).sort()).toEqual(['done', 'done', 'failed']);
    });

    it('skips instances released or expired during the rollout instead of upgrading them', async () => {
      const { serviceId, ids } = await fleet(box, api, 4);
      // Released and expired after the plan, before their wave: the canary wave's soak is when it happens.
      const [released, expired] = [...ids].sort().slice(2);
      let acted = false;
      const original = box.advance.bind(box);
      box.advance = (seconds: number) => {
        if (!acted && box.core.calls.list('UpgradeServiceInstance').length > 0) {
          acted = true;
          void api.deleteServiceInstances({ ServiceInstanceId: [released] });
          box.core.state.instances[expired].EndTime = box.core.iso(box.core.now() + 1000);
          box.core.schedule('instance.expire', expired, box.core.now() + 1000);
        }
        return original(seconds);
      };
      const run = await rollout(box, api, serviceId);
      expect(run.end).toBe('finished');
      const byId = Object.fromEntries(run.steps.map((s) => [s.instanceId, s]));
      expect(byId[released]).toMatchObject({ state: 'skipped', detail: expect.stringMatching(/^released/) });
      expect(byId[expired]).toMatchObject({ state: 'skipped', detail: expect.stringMatching(/^expired/) });
      expect(upgradeCalls()).not.toContain(released);
      expect(upgradeCalls()).not.toContain(expired);
    });

    it('reports the upgrades UpgradeMetadata refuses and attempts none of them', async () => {
      const { serviceId } = await fleet(box, api, 2, { SupportUpgradeFromVersions: ['9'] });
      const run = await rollout(box, api, serviceId);
      expect(run.plan.steps).toHaveLength(0);
      expect(run.plan.skipped.map((s) => s.reason)).toEqual(['refused', 'refused']);
      expect(upgradeCalls()).toHaveLength(0);
      expect(run.end).toBe('finished');
    });

    it('survives throttling and 5xx answers, upgrading each instance once', async () => {
      const { serviceId, ids } = await fleet(box, api, 4);
      await admin(box, 'POST', '/_sandbox/faults', {
        kind: 'throttle',
        action: 'UpgradeServiceInstance',
        share: 0.5,
      });
      await admin(box, 'POST', '/_sandbox/faults', {
        kind: 'error',
        action: 'ListServiceInstances',
        share: 0.3,
      });
      await admin(box, 'POST', '/_sandbox/faults', {
        kind: 'failAfterCommit',
        action: 'UpgradeServiceInstance',
        count: 2,
      });
      const run = await rollout(box, api, serviceId);
      expect(run.end).toBe('finished');
      expect(run.steps.every((s) => s.state === 'done')).toBe(true);
      expect(await upgradesOf(api, ids)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
      expect(box.core.calls.list('UpgradeServiceInstance').some((c) => c.status === 429)).toBe(true);
    });
  });
