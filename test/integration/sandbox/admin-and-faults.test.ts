import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '../../../scripts/sandbox';
import {
  admin,
  expectCloudError,
  publishService,
  rawClient,
  sandbox,
  settleDeployments,
  supplier,
} from './helpers';

type Call = { action: string; params: Record<string, string>; status: number; at: string };

describe('admin API', () => {
  let box: Sandbox;
  beforeEach(async () => {
    box = await sandbox();
  });
  afterEach(() => box.close());

  it('lists calls in order with action, params, status and virtual time', async () => {
    const api = supplier(box);
    await api.listServices({ MaxResults: 7 });
    await expectCloudError(api.getService({ ServiceId: 'service-x' }), 'EntityNotExist.Service');
    const { body } = await admin<Call[]>(box, 'GET', '/_sandbox/calls');
    expect(body.map((c) => [c.action, c.status])).toEqual([
      ['ListServices', 200],
      ['GetService', 404],
    ]);
    expect(body[0]).toMatchObject({
      params: { RegionId: 'cn-hangzhou', MaxResults: '7' },
      at: '2026-01-01T00:00:00Z',
    });
    expect(Object.keys(body[0]).sort()).toEqual(expect.arrayContaining(['action', 'params', 'status', 'at']));
  });

  it('advances the clock and resets everything', async () => {
    const moved = await admin<{ now: string }>(box, 'POST', '/_sandbox/clock', { advanceSeconds: 90 });
    expect(moved).toMatchObject({ status: 200, body: { now: '2026-01-01T00:01:30Z' } });
    expect((await admin(box, 'POST', '/_sandbox/clock', { advanceSeconds: -1 })).status).toBe(400);
    const api = supplier(box);
    await api.createService({ DeployType: 'ros' });
    expect((await api.listServices()).Services).toHaveLength(1);
    expect((await admin(box, 'POST', '/_sandbox/reset')).status).toBe(200);
    expect((await admin<{ now: string }>(box, 'GET', '/_sandbox/clock')).body.now).toBe(
      '2026-01-01T00:00:00Z',
    );
    expect((await api.listServices()).Services).toHaveLength(0);
    expect((await admin<Call[]>(box, 'GET', '/_sandbox/calls')).body.map((c) => c.action)).toEqual([
      'ListServices',
    ]);
  });
});

describe('fault injection', () => {
  let box: Sandbox;
  beforeEach(async () => {
    box = await sandbox();
  });
  afterEach(() => box.close());

  const noRetry = () => rawClient(box, { retry: { maxAttempts: 1 } });

  it('throttles a share of one action with 429 Throttling.User, others untouched', async () => {
    await admin(box, 'POST', '/_sandbox/faults', { kind: 'throttle', action: 'ListServices', share: 0.5 });
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      outcomes.push(
        await noRetry()
          .call('ListServices', {})
          .then(
            () => 'ok',
            (e: { code: string; status: number }) => `${e.code}/${e.status}`,
          ),
      );
    }
    expect(outcomes).toEqual([
      'ok',
      'Throttling.User/429',
      'ok',
      'Throttling.User/429',
      'ok',
      'Throttling.User/429',
    ]);
    await expect(noRetry().call('GetUploadCredentials', { FileName: 'x' })).resolves.toBeDefined();
  });

  it('answers a chosen 5xx a limited number of times', async () => {
    await admin(box, 'POST', '/_sandbox/faults', { kind: 'error', action: '*', status: 500, count: 1 });
    await expectCloudError(noRetry().call('ListServices', {}), 'InternalError', 500);
    await expect(noRetry().call('ListServices', {})).resolves.toBeDefined();
    await admin(box, 'POST', '/_sandbox/faults', { kind: 'error', count: 1 });
    await expectCloudError(noRetry().call('ListServices', {}), 'ServiceUnavailable', 503);
    expect((await admin(box, 'POST', '/_sandbox/faults', { kind: 'error', status: 404 })).status).toBe(400);
  });

  it('adds latency: a client with a shorter read timeout times out, and the call is logged', async () => {
    await admin(box, 'POST', '/_sandbox/faults', {
      kind: 'latency',
      action: 'ListServices',
      latencyMs: 400,
      count: 1,
    });
    await expect(
      rawClient(box, { readTimeoutMs: 100, retry: { maxAttempts: 1 } }).call('ListServices', {}),
    ).rejects.toMatchObject({ code: 'RequestTimeout', status: undefined });
    const faults = (await admin<{ fired: number }[]>(box, 'GET', '/_sandbox/faults')).body;
    expect(faults[0].fired).toBe(1);
  });

  it('fails after committing: the service exists although the caller saw a 500 or a dropped connection', async () => {
    await admin(box, 'POST', '/_sandbox/faults', {
      kind: 'failAfterCommit',
      action: 'CreateService',
      count: 1,
    });
    const api = supplier(box);
    await expectCloudError(api.createService({ DeployType: 'ros' }), 'InternalError', 500);
    expect((await api.listServices()).Services).toHaveLength(1);
    await admin(box, 'POST', '/_sandbox/faults', {
      kind: 'failAfterCommit',
      action: 'CreateService',
      count: 1,
      drop: true,
    });
    await expect(api.createService({ DeployType: 'ros' })).rejects.toMatchObject({ status: undefined });
    expect((await api.listServices()).Services).toHaveLength(2);
  });

  it('fails a deployment (DeployedFailed) and a deletion (DeletedFailed), which can be retried', async () => {
    const api = supplier(box);
    const { serviceId } = await publishService(box, api);
    await admin(box, 'POST', '/_sandbox/faults', { kind: 'deployFail', count: 1 });
    await admin(box, 'POST', '/_sandbox/faults', { kind: 'deleteFail', count: 1 });
    const order = {
      ServiceId: serviceId,
      SpecificationName: 'Basic',
      Parameters: { AdminPassword: 'Passw0rd123' },
    };
    const created = async () => ({
      ServiceInstanceId: (await api.createServiceInstance(order)).ServiceInstanceId!,
    });
    const broken = await created();
    const fine = await created();
    settleDeployments(box);
    expect((await api.getServiceInstance(broken)).Status).toBe('DeployedFailed');
    expect((await api.getServiceInstance(broken)).StatusDetail).toMatch(/deployFail/);
    expect((await api.getServiceInstance(fine)).Status).toBe('Deployed');
    // A failed deployment continues on the same instance; only a DeployedFailed one may continue.
    await expectCloudError(
      api.continueDeployServiceInstance(fine),
      'OperationDenied.ServiceInstanceStatus',
      403,
    );
    const dry = await api.continueDeployServiceInstance({ ...broken, DryRun: true });
    expect(dry.DryRunResult?.ParametersAllowedToBeModified).toContain('AdminPassword');
    expect((await api.getServiceInstance(broken)).Status).toBe('DeployedFailed');
    await api.continueDeployServiceInstance(broken);
    expect((await api.getServiceInstance(broken)).Status).toBe('Deploying');
    settleDeployments(box);
    expect((await api.getServiceInstance(broken)).Status).toBe('Deployed');
    await api.deleteServiceInstances({ ServiceInstanceId: [fine.ServiceInstanceId] });
    settleDeployments(box);
    expect((await api.getServiceInstance(fine)).Status).toBe('DeletedFailed');
    await api.deleteServiceInstances({ ServiceInstanceId: [fine.ServiceInstanceId] });
    settleDeployments(box);
    expect((await api.getServiceInstance(fine)).Status).toBe('Deleted');
  });

  it('lists and removes fault rules', async () => {
    const added = (await admin<{ id: number }>(box, 'POST', '/_sandbox/faults', { kind: 'throttle' })).body;
    expect((await admin<unknown[]>(box, 'GET', '/_sandbox/faults')).body).toHaveLength(1);
    await admin(box, 'DELETE', `/_sandbox/faults/${added.id}`);
    expect((await admin<unknown[]>(box, 'GET', '/_sandbox/faults')).body).toHaveLength(0);
    expect((await admin(box, 'POST', '/_sandbox/faults', { kind: 'meteor' })).status).toBe(400);
  });
});

describe('state across a restart', () => {
  it('keeps services, objects, instances, timers and the clock in the --state file, written atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nestkit-sandbox-'));
    const statePath = join(dir, 'state.json');
    try {
      const first = await sandbox({ statePath });
      const api = supplier(first);
      const { serviceId } = await publishService(first, api);
      const ServiceInstanceId = (
        await api.createServiceInstance({
          ServiceId: serviceId,
          SpecificationName: 'Basic',
          Parameters: { AdminPassword: 'Passw0rd123' },
        })
      ).ServiceInstanceId!;
      first.advance(first.core.timings.deployStartSeconds);
      await first.close();
      expect(readdirSync(dir)).toEqual(['state.json']);

      const second = await sandbox({ statePath, startTime: '2030-01-01T00:00:00Z' });
      try {
        const again = supplier(second);
        expect((await again.getService({ ServiceId: serviceId })).Status).toBe('Online');
        expect((await again.getServiceInstance({ ServiceInstanceId })).Status).toBe('Deploying');
        expect(second.core.iso()).toBe('2026-01-01T00:01:05Z');
        settleDeployments(second);
        expect((await again.getServiceInstance({ ServiceInstanceId })).Status).toBe('Deployed');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
