import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { assertDistFresh, type CliResult } from '../../support/cli';
import { REPO_ROOT, SAMPLE_CONFIG } from '../../support/model';
import { admin } from '../sandbox/helpers';
import { createParams, hookWorld, type HookWorld } from '../hook/support';
import { keepTeardownLimits } from '../../../scripts/hook/scheduler';
import { DEFAULT_TEARDOWN_LIMITS } from '../../../scripts/hook/teardown-guard';

/**
 * `nestkit orders` as an operator runs it: the built CLI in a child process, on the database of a hook
 * that is running (SQLite WAL: the CLI reads and writes beside it), on the sandbox's virtual clock.
 */
/** The built CLI, asynchronously: the sandbox answering its clock reads lives in this process. */
function runCli(args: string[]): Promise<CliResult> {
  assertDistFresh();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'nestkit.js'), ...args],
      { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' },
      (error, stdout, stderr) =>
        resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('nestkit orders', () => {
  let w: HookWorld;
  let db: string;
  const orders = (args: string[]) =>
    runCli([
      'orders',
      ...args,
      '--db',
      db,
      '--config',
      SAMPLE_CONFIG,
      '--sandbox-clock',
      '--endpoint',
      w.box.url,
    ]);
  const json = async (args: string[]) => {
    const result = await orders([...args, '--json']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    return JSON.parse(result.stdout) as Record<string, unknown> & { orders: { id: string }[] };
  };

  beforeAll(async () => {
    w = await hookWorld({
      worker: { retryBudgetMs: 120_000, backoffBaseMs: 1000, backoffMaxMs: 30_000 },
      // A guard whose share applies to a single teardown: 40% of the live fleet at most.
      limits: { maxShare: 0.4, shareAppliesAbove: 0 },
    });
    db = join(w.dir, 'nestkit.db');
    await w.spi(createParams('70001'));
    await w.settleDeployments();
    const fail = await admin<{ id: number }>(w.box, 'POST', '/_sandbox/faults', {
      kind: 'deployFail',
      action: 'CreateServiceInstance',
      share: 1,
    });
    await w.spi(createParams('70002', { skuId: 'yuncode5012300002' }));
    await w.settleDeployments();
    await admin(w.box, 'DELETE', `/_sandbox/faults/${fail.body.id}`);
    w.box.advance(3 * 3600);
    const down = await admin<{ id: number }>(w.box, 'POST', '/_sandbox/faults', {
      kind: 'error',
      action: 'CreateServiceInstance',
      share: 1,
    });
    await w.spi(createParams('70003'));
    for (let i = 0; i < 6; i++) await w.advance(60);
    await admin(w.box, 'DELETE', `/_sandbox/faults/${down.body.id}`);
  });
  afterAll(() => w.close());

  it('lists every order with its state, the counts and the dead letters', async () => {
    const view = await json(['list']);
    expect(view.total).toBe(3);
    expect(view.counts).toEqual({ active: 1, failed: 1, provisioning: 1 });
    expect(view.deadLetters).toEqual({ createInstance: 1 });
    const byId = Object.fromEntries(view.orders.map((o) => [o.id, o]));
    expect(byId['70002']).toMatchObject({ state: 'failed', skuId: 'yuncode5012300002' });
    expect(byId['70003']).toMatchObject({ state: 'provisioning', deadLetters: ['createInstance'] });
    expect((byId['70003'] as { lastError?: string }).lastError).toMatch(/retry budget/);
  });

  it('filters by state, SKU, age and dead letters', async () => {
    const ids = async (args: string[]) => (await json(['list', ...args])).orders.map((o) => o.id).sort();
    expect(await ids(['--state', 'failed'])).toEqual(['70002']);
    expect(await ids(['--state', 'active,provisioning'])).toEqual(['70001', '70003']);
    expect(await ids(['--sku', 'yuncode5012300001'])).toEqual(['70001', '70003']);
    expect(await ids(['--older-than', '2h'])).toEqual(['70001', '70002']);
    expect(await ids(['--newer-than', '1h'])).toEqual(['70003']);
    expect(await ids(['--dead'])).toEqual(['70003']);
    expect(await ids(['--search', '7000'])).toEqual(['70001', '70002', '70003']);
  });

  it('prints a table without colour when NO_COLOR is set, and refuses a bad filter with exit 2', async () => {
    const table = await orders(['list']);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^70002 +failed +yuncode5012300002/m);
    expect(table.stdout).not.toContain('\u001b[');
    const bad = await orders(['list', '--state', 'runing']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--state');
    expect(bad.stdout).toBe('');
  });

  it('shows one order: record, event history, jobs and last error', async () => {
    const view = (await json(['show', '70002'])) as unknown as {
      record: { state: string; failure?: string };
      events: { type: string; changed: boolean }[];
      jobs: { kind: string }[];
      lastError?: string;
    };
    expect(view.record.state).toBe('failed');
    expect(view.events.filter((e) => e.changed).map((e) => e.type)).toEqual([
      'create',
      'instanceCreated',
      'deployFailed',
    ]);
    expect(view.jobs.map((j) => j.kind)).toEqual(['createInstance', 'watchDeployment']);
    expect(view.lastError).toMatch(/deployFail/);
    const missing = await orders(['show', 'nope']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no order nope/);
  });

  it('retries a dead-lettered create through the job table; the running hook then deploys it', async () => {
    const result = (await json(['retry', '70003'])) as unknown as { redriven: string };
    expect(result.redriven).toBe('createInstance');
    await w.settleDeployments();
    expect((await w.hook.store.get('70003'))?.state).toBe('active');
    const again = await orders(['retry', '70003']);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/nothing to retry/);
  });

  it('retries a failed deployment: Compute Nest continues it on the same instance, and the order is deployed', async () => {
    const before = await w.hook.store.get('70002');
    expect(before).toMatchObject({ state: 'failed' });
    const retried = await orders(['retry', '70002']);
    expect(retried).toMatchObject({ status: 0 });
    await w.settleDeployments();
    const after = await w.hook.store.get('70002');
    expect(after).toMatchObject({ state: 'active', serviceInstanceId: before!.serviceInstanceId });
    expect((await w.hook.store.jobsOf('70002')).map((j) => j.kind)).toEqual([
      'createInstance',
      'watchDeployment',
      'continueDeployment',
      'watchDeployment',
    ]);
    const instance = w.box.core.state.instances[before!.serviceInstanceId!];
    expect(instance.Status).toBe('Deployed');
  });

  it('releases an order by hand with a reason; the guarded teardown pass deletes it', async () => {
    expect((await orders(['release', '70001'])).status).toBe(2); // --reason is required
    const released = await orders(['release', '70001', '--reason', 'ticket 42: customer left']);
    expect(released).toMatchObject({ status: 0 });
    expect(released.stdout).toMatch(/order 70001 released/);
    expect(await w.settleTeardowns()).toMatchObject({ started: 1 });
    const record = await w.hook.store.get('70001');
    expect(record).toMatchObject({ state: 'deleted', operatorReleaseReason: 'ticket 42: customer left' });
    expect((await orders(['release', '70001', '--reason', 'again'])).status).toBe(1);
  });

  it('resumes a held teardown, guarded with the limits the running hook keeps in its database', async () => {
    const notDue = await orders(['resume', '70003']);
    expect(notDue.status).toBe(1);
    expect(notDue.stderr).toMatch(/order 70003 is active: no teardown is due.*release.*makes it due now/);
    expect((await orders(['release', '70003', '--reason', 'ticket 43'])).status).toBe(0);

    // The hook's limits, not the defaults: one teardown of 2 live instances is 50%, over its 40%.
    const refused = await orders(['resume', '70003']);
    expect(refused).toMatchObject({ status: 1, stdout: '' });
    expect(refused.stderr).toContain(
      'the teardown guard refuses the teardown of order 70003: 1 of 2 live instances (50%) would be torn down in one pass; the limit is 40%',
    );
    expect((await w.hook.store.get('70003'))?.state).toBe('released');

    // A hook (re)started with the default limits keeps those: the same resume goes through.
    await keepTeardownLimits(w.hook.store, DEFAULT_TEARDOWN_LIMITS);
    const resumed = (await json(['resume', '70003'])) as unknown as {
      action: string;
      record: { state: string };
      summary: string;
    };
    expect(resumed).toMatchObject({ action: 'resume', record: { state: 'deleting' } });
    expect(resumed.summary).toMatch(/teardown of order 70003 resumed/);
    const text = await orders(['resume', '70003']);
    expect(text.status).toBe(1);
    expect(text.stderr).toMatch(/order 70003 is deleting already: nothing to resume/);
    // The running hook's worker deletes it, through the deleteInstance job.
    await w.hook.drain();
    await w.advance(w.box.core.timings.deleteSeconds + 5);
    await w.advance(5);
    expect((await w.hook.store.get('70003'))?.state).toBe('deleted');
    expect((await w.hook.store.jobsOf('70003')).filter((j) => j.kind === 'deleteInstance')).toEqual([
      expect.objectContaining({ state: 'done' }),
    ]);
  });

  it('names the database it cannot find', async () => {
    const result = await runCli(['orders', 'list', '--db', join(w.dir, 'typo.db')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`--db ${join(w.dir, 'typo.db')}`);
  });
});
