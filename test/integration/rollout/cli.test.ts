import type { SupplierApi } from '../../../scripts/cloud/supplier';
import type { Sandbox } from '../../../scripts/sandbox';
import { SqliteRolloutStore } from '../../../scripts/rollout/sqlite-rollout-store';
import { sandbox, supplier } from '../sandbox/helpers';
import { configFor, spawnRollout } from './cli-support';
import { fleet } from './support';
import { upgradesOf } from './support-run';

const READ = /^(Get|List|Describe)/;

describe('nestkit rollout as a user runs it', () => {
  let box: Sandbox;
  let api: SupplierApi;
  beforeEach(async () => {
    box = await sandbox();
    api = supplier(box);
  });
  afterEach(() => box.close());

  /** Moves the sandbox's clock in steps of real time until `done` resolves (the child waits on the clock). */
  const driveUntil = async <T>(done: Promise<T>, seconds = 10): Promise<T> => {
    let over = false;
    void done.finally(() => (over = true));
    const until = Date.now() + 40_000;
    while (!over) {
      if (Date.now() > until) throw new Error('the rollout did not get there in 40 s of real time');
      await new Promise((resolve) => setTimeout(resolve, 40));
      box.advance(seconds);
    }
    return done;
  };

  it('--dry-run prints the plan and calls nothing that changes anything', async () => {
    const { serviceId, ids } = await fleet(box, api, 3);
    const { config, db } = configFor(serviceId);
    box.core.calls.clear();
    const run = spawnRollout(['--config', config, '--db', db, '--endpoint', box.url, '--dry-run', '--json']);
    expect({ code: await run.exit, stderr: run.output().stderr }).toEqual({ code: 0, stderr: '' });
    const printed = JSON.parse(run.output().stdout) as { plan: { steps: { instanceId: string }[] } };
    expect(printed.plan.steps.map((s) => s.instanceId).sort()).toEqual([...ids].sort());
    const actions = box.core.calls.list().map((c) => c.action);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => !READ.test(a))).toEqual([]);
    const store = new SqliteRolloutStore(db);
    expect(store.latest()).toBeUndefined();
    store.close();
  }, 30_000);

  it('resumes after SIGKILL mid-wave: every instance upgraded exactly once, none skipped', async () => {
    const { serviceId, ids, to } = await fleet(box, api, 6);
    const { config, db } = configFor(serviceId);
    const args = ['--config', config, '--db', db, '--endpoint', box.url, '--sandbox-clock'];
    const flags = [...args, '--soak', '2m', '--poll-interval', '10', '--json'];
    const first = spawnRollout(flags);
    const store = new SqliteRolloutStore(db);
    // Killed once the second wave has begun: some of its steps asked for, the third wave's not.
    const midWave = (async () => {
      for (;;) {
        if (first.child.exitCode !== null)
          throw new Error(`the rollout ended early: ${first.output().stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        const active = (() => {
          try {
            return store.active();
          } catch {
            return undefined; // the child has not created the tables yet
          }
        })();
        if (active && store.steps(active.id, 1).some((s) => s.state === 'upgrading')) return active.id;
      }
    })();
    const id = await driveUntil(midWave);
    first.child.kill('SIGKILL');
    expect(await first.exit).toBeNull();
    const atKill = store.steps(id);
    expect(atKill.filter((s) => s.wave === 2).every((s) => s.state === 'pending')).toBe(true);

    const second = spawnRollout(flags);
    const code = await driveUntil(second.exit);
    expect({ code, stderr: second.output().stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const report = JSON.parse(second.output().stdout) as { state: string; steps: { state: string }[] };
    expect(report.state).toBe('finished');
    expect(report.steps.map((s) => s.state)).toEqual(ids.map(() => 'done'));
    expect(await upgradesOf(api, ids)).toEqual(Object.fromEntries(ids.map((i) => [i, 1])));
    for (const i of ids)
      expect((await api.getServiceInstance({ ServiceInstanceId: i })).Service?.Version).toBe(to);

    const status = spawnRollout(['status', '--db', db, '--json']);
    expect(await status.exit).toBe(0);
    expect(JSON.parse(status.output().stdout)).toMatchObject({ id, state: 'finished' });
    store.close();
  }, 60_000);
});
