import { createLogger } from '../../../scripts/hook/logger';
import { admin } from '../sandbox/helpers';
import { createParams, hookWorld, type HookWorld } from './support';

/** Pino levels as numbers: what an alert on the log stream filters by. */
const INFO = 30;
const WARN = 40;
const ERROR = 50;

type Line = Record<string, unknown> & { level: number; msg: string };

/** A hook world whose JSON log lines are kept, parsed, in order. */
async function loggedWorld(options: Parameters<typeof hookWorld>[0] = {}) {
  const lines: Line[] = [];
  const log = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
  });
  const world = await hookWorld({ log, ...options });
  const find = (msg: string, fields: Record<string, unknown> = {}) =>
    lines.filter((l) => l.msg === msg && Object.entries(fields).every(([k, v]) => l[k] === v));
  return { world, lines, find };
}

describe('hook logs an operator can act on', () => {
  let w: HookWorld;
  afterEach(() => w.close());

  it("logs every effect's start and result and every state change, naming the order", async () => {
    const { world, find } = await loggedWorld();
    w = world;
    await w.spi(createParams('90001'));
    await w.settleDeployments();
    const record = await w.hook.store.get('90001');
    expect(record?.state).toBe('active');

    const [started] = find('effect started', { instanceId: '90001', effect: 'createInstance' });
    expect(started).toMatchObject({ level: INFO, attempt: 1, state: 'provisioning' });
    expect(typeof started.job).toBe('number');
    expect(find('effect finished', { instanceId: '90001', effect: 'createInstance' })[0]).toMatchObject({
      level: INFO,
      events: ['instanceCreated'],
      serviceInstanceId: record?.serviceInstanceId,
      done: true,
    });
    expect(find('effect finished', { instanceId: '90001', effect: 'watchDeployment' })[0]).toMatchObject({
      events: ['deployed'],
    });
    const changes = find('state changed', { instanceId: '90001' }).map((l) => [l.from, l.to, l.event]);
    expect(changes).toEqual([
      ['announced', 'provisioning', 'create'],
      ['provisioning', 'active', 'deployed'],
    ]);
    expect(find('state changed', { instanceId: '90001', to: 'provisioning' })[0]).toMatchObject({
      level: INFO,
      effects: ['createInstance'],
    });
  });

  it('names every order a teardown pass touched', async () => {
    const { world, find } = await loggedWorld();
    w = world;
    for (const id of ['90011', '90012', '90013']) await w.spi(createParams(id));
    await w.settleDeployments();
    for (const id of ['90011', '90013'])
      await w.spi({ action: 'releaseInstance', instanceId: id, isRefund: 'true' });
    await w.settleTeardowns();
    const [pass] = find('teardown pass');
    expect(pass).toMatchObject({ level: INFO, due: 2, started: 2 });
    expect([...(pass.orders as string[])].sort()).toEqual(['90011', '90013']);
    expect(find('state changed', { instanceId: '90013', to: 'deleted' })).toHaveLength(1);
  });

  it("logs a transient failure at warn and a dead letter at error, with the cloud's code, message and RequestId", async () => {
    const { world, find } = await loggedWorld({
      worker: { retryBudgetMs: 120_000, backoffBaseMs: 1000, backoffMaxMs: 30_000 },
    });
    w = world;
    await admin(w.box, 'POST', '/_sandbox/faults', {
      kind: 'error',
      action: 'CreateServiceInstance',
      share: 1,
    });
    await w.spi(createParams('90021'));
    for (let i = 0; i < 6; i++) await w.advance(60);
    expect(await w.hook.store.jobCounts()).toMatchObject({ dead: 1 });

    const [retried] = find('effect failed; will retry', { instanceId: '90021' });
    expect(retried).toMatchObject({
      level: WARN,
      effect: 'createInstance',
      status: 503,
      action: 'CreateServiceInstance',
    });
    expect(retried.code).toEqual(expect.any(String));
    expect(retried.requestId).toEqual(expect.any(String));
    expect(retried.error).toEqual(expect.any(String));

    const dead = find(
      'effect dead-lettered; the reconciler re-drives it while the record still needs it, or `nestkit orders retry`',
      { instanceId: '90021' },
    );
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      level: ERROR,
      effect: 'createInstance',
      status: 503,
      code: retried.code,
    });
    expect(dead[0].requestId).toEqual(expect.any(String));
    expect(dead[0].reason).toMatch(/over the retry budget/);
    const metrics = await (await fetch(`${w.hook.url}/metrics`)).text();
    expect(metrics).toContain('nestkit_dead_letters{kind="createInstance"} 1');
  });

  it('logs a failed deployment at error with its reason, and counts it in /metrics', async () => {
    const { world, find } = await loggedWorld();
    w = world;
    await admin(w.box, 'POST', '/_sandbox/faults', {
      kind: 'deployFail',
      action: 'CreateServiceInstance',
      share: 1,
    });
    await w.spi(createParams('90031'));
    await w.settleDeployments();
    expect((await w.hook.store.get('90031'))?.state).toBe('failed');
    const [failed] = find('deployment failed; `nestkit orders retry` once the cause is fixed', {
      instanceId: '90031',
    });
    expect(failed).toMatchObject({ level: ERROR, from: 'provisioning', to: 'failed', event: 'deployFailed' });
    expect(failed.reason).toMatch(/deployFail/);
    const metrics = await (await fetch(`${w.hook.url}/metrics`)).text();
    expect(metrics).toContain('nestkit_deployments_failed_total 1');
    expect(metrics).toContain('nestkit_orders{state="failed"} 1');
  });
});
