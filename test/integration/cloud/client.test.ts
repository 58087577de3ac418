import type { Sandbox } from '../../../scripts/sandbox';
import { TokenBucket } from '../../../scripts/cloud/rate-limiter';
import { admin, expectCloudError, rawClient, sandbox, supplier } from '../sandbox/helpers';

type Call = { action: string; status: number };

describe('cloud client against the sandbox', () => {
  let box: Sandbox;
  beforeEach(async () => {
    box = await sandbox();
  });
  afterEach(() => box.close());

  const calls = async (action: string) =>
    (await admin<Call[]>(box, 'GET', `/_sandbox/calls?action=${action}`)).body;

  it('retries a read through throttling with jittered backoff, and succeeds', async () => {
    await admin(box, 'POST', '/_sandbox/faults', { kind: 'throttle', action: 'ListServices', count: 2 });
    const waits: number[] = [];
    const retries: number[] = [];
    const api = supplier(box, {
      retry: { baseDelayMs: 100, random: () => 0.5, sleep: async (ms) => void waits.push(ms) },
      onRetry: ({ attempt }) => retries.push(attempt),
    });
    await expect(api.listServices()).resolves.toMatchObject({ Services: [] });
    expect((await calls('ListServices')).map((c) => c.status)).toEqual([429, 429, 200]);
    expect(waits).toEqual([50, 100]);
    expect(retries).toEqual([1, 2]);
  });

  it('retries a read on 5xx and gives up after maxAttempts with the last error', async () => {
    await admin(box, 'POST', '/_sandbox/faults', { kind: 'error', action: 'GetService', status: 502 });
    await expectCloudError(
      supplier(box, { retry: { maxAttempts: 3, sleep: async () => undefined } }).getService({
        ServiceId: 'service-x',
      }),
      'InternalError',
      502,
    );
    expect(await calls('GetService')).toHaveLength(3);
  });

  it('retries a read after a timeout', async () => {
    await admin(box, 'POST', '/_sandbox/faults', {
      kind: 'latency',
      action: 'ListServices',
      latencyMs: 300,
      count: 1,
    });
    const retried: string[] = [];
    const api = supplier(box, { readTimeoutMs: 100, onRetry: ({ error }) => retried.push(error.code) });
    await expect(api.listServices()).resolves.toMatchObject({ Services: [] });
    expect(retried).toEqual(['RequestTimeout']);
    expect((await admin<{ fired: number }[]>(box, 'GET', '/_sandbox/faults')).body[0].fired).toBe(1);
  });

  it('never repeats an unsafe write (no ClientToken), even when throttled', async () => {
    await admin(box, 'POST', '/_sandbox/faults', { kind: 'throttle', action: 'CreateService', count: 1 });
    await expectCloudError(supplier(box).createService({ DeployType: 'ros' }), 'Throttling.User', 429);
    await admin(box, 'POST', '/_sandbox/faults', {
      kind: 'failAfterCommit',
      action: 'CreateService',
      count: 1,
    });
    await expectCloudError(supplier(box).createService({ DeployType: 'ros' }), 'InternalError', 500);
    expect((await calls('CreateService')).map((c) => c.status)).toEqual([429, 500]);
    expect((await supplier(box).listServices()).Services).toHaveLength(1);
  });

  it('repeats a write carrying a ClientToken, and the token makes it happen once', async () => {
    await admin(box, 'POST', '/_sandbox/faults', {
      kind: 'failAfterCommit',
      action: 'CreateService',
      count: 1,
    });
    const created = await supplier(box).createService({ DeployType: 'ros', ClientToken: 'publish-1' });
    expect(created.ServiceId).toMatch(/^service-/);
    expect((await calls('CreateService')).map((c) => c.status)).toEqual([500, 200]);
    expect((await supplier(box).listServices()).Services).toHaveLength(1);
  });

  it('does not retry a client error', async () => {
    await expectCloudError(
      supplier(box).getService({ ServiceId: 'service-none' }),
      'EntityNotExist.Service',
      404,
    );
    expect(await calls('GetService')).toHaveLength(1);
  });

  it('pages through every service with listAllServices', async () => {
    for (let i = 0; i < 230; i++)
      await supplier(box).createService({ DeployType: 'ros', VersionName: `v${i}` });
    const all = await supplier(box).listAllServices();
    expect(all).toHaveLength(230);
    expect((await calls('ListServices')).length).toBe(3);
  });

  it('respects the rate limit: calls beyond the burst wait for tokens', async () => {
    let now = 0;
    const waiting: (() => void)[] = [];
    const bucket = new TokenBucket({
      ratePerSecond: 2,
      burst: 3,
      now: () => now,
      sleep: () => new Promise<void>((resolve) => waiting.push(resolve)),
    });
    const client = rawClient(box, { rateLimit: bucket });
    const all = Promise.all(Array.from({ length: 7 }, () => client.call('ListServices', {})));
    const served = async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (await calls('ListServices')).length;
    };
    expect(await served()).toBe(3);
    const tick = async (ms: number) => {
      now += ms;
      waiting.splice(0).forEach((wake) => wake());
      return served();
    };
    expect(await tick(500)).toBe(4);
    expect(await tick(1000)).toBe(6);
    expect(await tick(500)).toBe(7);
    await all;
  });
});
