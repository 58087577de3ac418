import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SupplierApi } from '../../../scripts/cloud/supplier';
import type { RolloutStore } from '../../../scripts/rollout/store';
import type { Sandbox } from '../../../scripts/sandbox';
import { sandbox, supplier } from '../sandbox/helpers';
import { configFor, spawnRollout } from './cli-support';
import { ENGINES, rolloutStoreAt, type TestDatabase } from './engines';
import { fleet } from './support';
import { tempDb, upgradesOf } from './support-run';

const READ = /^(Get|List|Describe)/;
/** The refusal of a second `nestkit rollout`: who holds the lease, and when it ends. */
const LEASE_HELD =
  /^error rollout ([0-9a-f]{12}) is being run by another nestkit rollout \(pid (\d+) on [^)]+\); its lease ends at (\S+) on the rollout's clock/m;

for (const engine of ENGINES)
  engine.describe(`nestkit rollout as a user runs it (${engine.name})`, () => {
    let box: Sandbox;
    let api: SupplierApi;
    let database: TestDatabase;
    let store: RolloutStore | undefined;
    const children: ReturnType<typeof spawnRollout>[] = [];
    beforeEach(async () => {
      box = await sandbox();
      api = supplier(box);
      database = await engine.fresh();
    });
    afterEach(async () => {
      for (const run of children.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL');
      await store?.close();
      store = undefined;
      await box.close();
      await database.drop();
    });

    /** `nestkit rollout …` against this engine's database (`--db`: the file or the URL). */
    const spawn = (args: string[], env?: NodeJS.ProcessEnv) => {
      const run = spawnRollout(args, env);
      children.push(run);
      return run;
    };
    /** The service's sample description and the flags every run of the test takes. */
    const flagsFor = (serviceId: string, ...more: string[]) => [
      '--config',
      configFor(serviceId).config,
      '--db',
      database.db,
      '--endpoint',
      box.url,
      ...more,
    ];

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

    /** Resolves once `test` holds of the store the child writes (the tables may not exist yet). */
    const storeShows = async <T>(
      run: ReturnType<typeof spawnRollout>,
      test: (store: RolloutStore) => Promise<T | undefined>,
    ): Promise<T> => {
      store ??= await rolloutStoreAt(database.db);
      for (;;) {
        if (run.child.exitCode !== null) throw new Error(`the rollout ended early: ${run.output().stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        const found = await test(store).catch(() => undefined);
        if (found !== undefined) return found;
      }
    };

    it('--dry-run prints the plan and calls nothing that changes anything', async () => {
      const { serviceId, ids } = await fleet(box, api, 3);
      box.core.calls.clear();
      const run = spawn([...flagsFor(serviceId), '--dry-run', '--json']);
      expect({ code: await run.exit, stderr: run.output().stderr }).toEqual({ code: 0, stderr: '' });
      const printed = JSON.parse(run.output().stdout) as { plan: { steps: { instanceId: string }[] } };
      expect(printed.plan.steps.map((s) => s.instanceId).sort()).toEqual([...ids].sort());
      const actions = box.core.calls.list().map((c) => c.action);
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((a) => !READ.test(a))).toEqual([]);
      store = await rolloutStoreAt(database.db);
      expect(await store.latest()).toBeUndefined();
    }, 30_000);

    it('resumes after SIGKILL mid-wave once the lease has run out: every instance upgraded exactly once', async () => {
      const { serviceId, ids, to } = await fleet(box, api, 6);
      const flags = [
        ...flagsFor(serviceId, '--sandbox-clock'),
        '--soak',
        '2m',
        '--poll-interval',
        '10',
        '--json',
      ];
      const first = spawn(flags);
      // Killed once the second wave has begun: some of its steps asked for, the third wave's not.
      const midWave = storeShows(first, async (s) => {
        const active = await s.active();
        return active && (await s.steps(active.id, 1)).some((step) => step.state === 'upgrading')
          ? active.id
          : undefined;
      });
      const id = await driveUntil(midWave);
      first.child.kill('SIGKILL');
      expect(await first.exit).toBeNull();
      const atKill = await store!.steps(id);
      expect(atKill.filter((s) => s.wave === 2).every((s) => s.state === 'pending')).toBe(true);

      // Its lease outlives it: a resume at once is refused, naming the dead holder and the lease's end.
      const early = spawn(['resume', ...flags]);
      expect(await early.exit).toBe(1);
      const [, heldId, pid, endsAt] = LEASE_HELD.exec(early.output().stderr) ?? [];
      expect([heldId, Number(pid)]).toEqual([id, first.child.pid]);
      expect(Date.parse(endsAt)).toBeGreaterThan(box.core.now());
      expect((await store!.steps(id)).map((s) => s.state)).toEqual(atKill.map((s) => s.state));

      // Run out on the rollout's (the sandbox's) clock: resume takes over and finishes.
      box.advance(Math.ceil((Date.parse(endsAt) - box.core.now()) / 1000));
      const second = spawn(['resume', ...flags]);
      const code = await driveUntil(second.exit);
      expect({ code, stderr: second.output().stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      const report = JSON.parse(second.output().stdout) as { state: string; steps: { state: string }[] };
      expect(report.state).toBe('finished');
      expect(report.steps.map((s) => s.state)).toEqual(ids.map(() => 'done'));
      expect(await upgradesOf(api, ids)).toEqual(Object.fromEntries(ids.map((i) => [i, 1])));
      for (const i of ids)
        expect((await api.getServiceInstance({ ServiceInstanceId: i })).Service?.Version).toBe(to);

      // No --db: NESTKIT_DATABASE_URL names the database, as for the hook.
      const status = spawn(['status', '--json'], { NESTKIT_DATABASE_URL: database.db });
      expect(await status.exit).toBe(0);
      expect(JSON.parse(status.output().stdout)).toMatchObject({ id, state: 'finished' });
    }, 90_000);

    it('refuses a second rollout while a live process runs one, and hands over once it has paused', async () => {
      const { serviceId, ids } = await fleet(box, api, 3);
      const flags = [...flagsFor(serviceId, '--sandbox-clock'), '--soak', '30m', '--poll-interval', '10'];
      const first = spawn(flags);
      // The canary soaking (thirty minutes on a clock that no longer moves): the process waits, alive.
      const id = await driveUntil(
        storeShows(first, async (s) => {
          const active = await s.active();
          return active && (await s.steps(active.id, 0))[0]?.state === 'soaking' ? active.id : undefined;
        }),
      );
      for (const args of [flags, ['resume', ...flags]]) {
        const second = spawn(args);
        expect(await second.exit).toBe(1);
        const [, heldId, pid, endsAt] = LEASE_HELD.exec(second.output().stderr) ?? [];
        expect([heldId, Number(pid)]).toEqual([id, first.child.pid]);
        expect(Date.parse(endsAt)).toBeGreaterThan(box.core.now());
      }
      // Nothing was asked of the cloud twice, and status, pause and abort need no lease.
      expect(box.core.calls.list('UpgradeServiceInstance')).toHaveLength(1);
      const status = spawn(['status', '--db', database.db, '--json']);
      expect(await status.exit).toBe(0);
      expect(JSON.parse(status.output().stdout)).toMatchObject({ id, state: 'running' });
      const pause = spawn(['pause', '--db', database.db]);
      expect(await pause.exit).toBe(0);
      // The first sees the pause at the end of the canary's soak, and ends, giving the lease back.
      expect(await driveUntil(first.exit, 60)).toBe(1);
      expect(first.output().stdout).toMatch(/rollout paused/);
      const resume = spawn(['resume', ...flags, '--json']);
      expect(await driveUntil(resume.exit, 60)).toBe(0);
      expect(await upgradesOf(api, ids)).toEqual(Object.fromEntries(ids.map((i) => [i, 1])));
    }, 90_000);
  });

describe('nestkit rollout and a --db it cannot open', () => {
  it('names a missing SQLite file for status, pause and abort, and does not make it', async () => {
    const db = join(tempDb(), 'missing', 'hook.db');
    for (const action of ['status', 'pause', 'abort']) {
      const run = spawnRollout([action, '--db', db]);
      expect(await run.exit).toBe(1);
      expect(run.output().stderr).toContain(`--db ${db}: no hook database here`);
    }
    expect(existsSync(dirname(db))).toBe(false);
  }, 30_000);

  it('names a PostgreSQL database it cannot open with the password masked, in every line', async () => {
    const url = 'postgres://nestkit:s3cret-pass@127.0.0.1:1/nestkit';
    for (const args of [['status'], ['pause'], ['--db', url, 'abort']]) {
      const run = spawnRollout(args[0] === '--db' ? args : [...args, '--db', url]);
      expect(await run.exit).toBe(1);
      const { stdout, stderr } = run.output();
      expect(stderr).toMatch(
        /cannot open the rollout store at postgres:\/\/nestkit:\*\*\*@127\.0\.0\.1:1\/nestkit/,
      );
      expect(`${stdout}${stderr}`).not.toContain('s3cret');
    }
  }, 30_000);
});
