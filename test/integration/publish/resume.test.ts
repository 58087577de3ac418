import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../../scripts/sandbox';
import { PublishError } from '../../../scripts/publish';
import {
  addFault,
  mutating,
  Project,
  publish,
  sandboxCalls,
  freshWorld,
  versionsOf,
  type LoggedCall,
} from './project';

/** One attempt per call: a single injected fault interrupts the run where it strikes. */
const NO_RETRY = { retry: { maxAttempts: 1 } };

const count = (calls: LoggedCall[], action: string) =>
  calls.filter((c) => c.action === action && c.status === 200).length;

describe('publish resumes after an interruption, with no duplicate service or version', () => {
  let box: Sandbox;
  let project: Project;
  const world = freshWorld();
  beforeEach(() => ({ box, project } = world));

  async function expectOneDraft(versionName: string) {
    expect(Object.keys(box.core.state.services)).toHaveLength(1);
    expect(versionsOf(box).map((v) => [v.version, v.versionName])).toEqual([['draft', versionName]]);
    expect(versionsOf(box)[0].commodity?.SpecificationMappings).toHaveLength(3);
  }

  it('after the upload (CreateService fails): the re-run uploads again and creates one service', async () => {
    await addFault(box, { kind: 'error', action: 'CreateService', count: 1 });
    await expect(publish(box, project, NO_RETRY)).rejects.toMatchObject({
      code: 'ServiceUnavailable',
      action: 'CreateService',
    });
    expect(box.core.state.services).toEqual({});
    const result = await publish(box, project, NO_RETRY);
    await expectOneDraft(result.versionName);
    expect(result.plan.map((s) => s.kind)).toEqual(['upload', 'createService', 'setCommodity']);
    // The re-run repeats the same intent under the same ClientToken, so a server that had acted would answer again.
    const creates = (await sandboxCalls(box)).filter((c) => c.action === 'CreateService');
    expect(creates.map((c) => c.status)).toEqual([503, 200]);
    expect(creates[1].params.ClientToken).toBe(creates[0].params.ClientToken);
  });

  it('after CreateService (the mapping call fails): the re-run only sets the mappings', async () => {
    await addFault(box, { kind: 'error', action: 'UpdateService', count: 1 });
    await expect(publish(box, project, NO_RETRY)).rejects.toMatchObject({ action: 'UpdateService' });
    const result = await publish(box, project, NO_RETRY);
    expect(result.plan.map((s) => s.kind)).toEqual(['setCommodity']);
    expect(result.foundBy).toBe('name');
    await expectOneDraft(result.versionName);
    expect(count(await sandboxCalls(box), 'CreateService')).toBe(1);
  });

  it.each([
    ['an error answer', { drop: false }],
    ['a dropped connection', { drop: true }],
  ])('CreateService committed but the caller got %s: the re-run finds the service', async (_name, how) => {
    await addFault(box, { kind: 'failAfterCommit', action: 'CreateService', count: 1, ...how });
    await expect(publish(box, project, NO_RETRY)).rejects.toMatchObject({ action: 'CreateService' });
    const result = await publish(box, project, NO_RETRY);
    expect(result.plan.map((s) => s.kind)).toEqual(['setCommodity']);
    await expectOneDraft(result.versionName);
  });

  it('CreateService committed, answer lost, retried in the same run: the ClientToken gets the first answer', async () => {
    await addFault(box, { kind: 'failAfterCommit', action: 'CreateService', count: 1, drop: true });
    const result = await publish(box, project);
    await expectOneDraft(result.versionName);
    const creates = (await sandboxCalls(box)).filter((c) => c.action === 'CreateService');
    expect(creates.map((c) => c.status)).toEqual([0, 200]);
    expect(creates[0].params.ClientToken).toMatch(/^nestkit-[0-9a-f]{32}$/);
    expect(creates[1].params.ClientToken).toBe(creates[0].params.ClientToken);
  });

  it('the draft replacement committed, answer lost: the re-run sees the new content and leaves it', async () => {
    await publish(box, project);
    project.edit('acme/insight:1.4.0', 'acme/insight:1.4.1');
    await addFault(box, { kind: 'failAfterCommit', action: 'UpdateService', count: 1 });
    await expect(publish(box, project, NO_RETRY)).rejects.toMatchObject({ action: 'UpdateService' });
    const result = await publish(box, project, NO_RETRY);
    // The SKUs did not change, and the draft kept its mappings through the content update.
    expect(result.plan).toEqual([]);
    await expectOneDraft(result.versionName);
  });

  it('RegisterService committed, answer lost: the re-run follows that review (RegistrationId from GetService) and launches', async () => {
    await addFault(box, { kind: 'failAfterCommit', action: 'RegisterService', count: 1, drop: true });
    await expect(publish(box, project, { ...NO_RETRY, goal: 'launch' })).rejects.toMatchObject({
      action: 'RegisterService',
    });
    expect(versionsOf(box).map((v) => [v.version, v.status])).toEqual([['draft', 'Submitted']]);
    const result = await publish(box, project, { ...NO_RETRY, goal: 'launch' });
    expect(result.plan.map((s) => s.kind)).toEqual(['waitApproval', 'launch']);
    expect(versionsOf(box).map((v) => [v.version, v.status])).toEqual([['1', 'Online']]);
    const calls = await sandboxCalls(box);
    expect(calls.filter((c) => c.action === 'RegisterService').map((c) => c.status)).toEqual([0]);
    const reviews = calls.filter((c) => c.action === 'GetServiceRegistration');
    expect(reviews.length).toBeGreaterThan(0);
    expect(new Set(reviews.map((c) => c.params.RegistrationId))).toEqual(
      new Set([Object.values(box.core.state.services)[0].registrations![0].RegistrationId]),
    );
  });

  it('RegisterService committed, answer lost, retried in the same run: the ClientToken gets the same RegistrationId', async () => {
    await addFault(box, { kind: 'failAfterCommit', action: 'RegisterService', count: 1 });
    const result = await publish(box, project, { goal: 'launch' });
    expect(result).toMatchObject({ version: '1', status: 'Online' });
    expect(Object.values(box.core.state.services)[0].registrations).toHaveLength(1);
  });

  it('LaunchService committed, answer lost: the re-run has nothing left to do', async () => {
    await addFault(box, { kind: 'failAfterCommit', action: 'LaunchService', count: 1 });
    await expect(publish(box, project, { ...NO_RETRY, goal: 'launch' })).rejects.toMatchObject({
      action: 'LaunchService',
    });
    await sandboxCalls(box, true);
    const result = await publish(box, project, { goal: 'launch' });
    expect(result).toMatchObject({ version: '1', status: 'Online', plan: [] });
    expect(mutating(await sandboxCalls(box))).toEqual([]);
  });
});

describe('publish under throttling and server errors', () => {
  let box: Sandbox;
  let project: Project;
  const world = freshWorld();
  beforeEach(() => ({ box, project } = world));

  it('completes when every second call is throttled, without a duplicate', async () => {
    await addFault(box, { kind: 'throttle', action: '*', share: 0.5 });
    const retried: string[] = [];
    const result = await publish(box, project, {
      goal: 'launch',
      onRetry: ({ action, error }) => retried.push(`${action} ${error.code}`),
    });
    expect(result.status).toBe('Online');
    const calls = await sandboxCalls(box);
    expect(calls.filter((c) => c.status === 429).length).toBeGreaterThan(3);
    expect(retried.length).toBe(calls.filter((c) => c.status === 429).length);
    expect(count(calls, 'CreateService')).toBe(1);
    expect(count(calls, 'RegisterService')).toBe(1);
    expect(versionsOf(box).map((v) => [v.version, v.status])).toEqual([['1', 'Online']]);
  });

  it('retries a 5xx on UpdateService (it carries a ClientToken) and completes', async () => {
    await addFault(box, { kind: 'error', action: 'UpdateService', count: 2, status: 502 });
    const result = await publish(box, project);
    const updates = (await sandboxCalls(box)).filter((c) => c.action === 'UpdateService');
    expect(updates.map((c) => c.status)).toEqual([502, 502, 200]);
    expect(new Set(updates.map((c) => c.params.ClientToken)).size).toBe(1);
    expect(versionsOf(box)[0]).toMatchObject({ versionName: result.versionName });
  });

  it('reports a lasting 5xx with the API code, message and RequestId of the failing call', async () => {
    await addFault(box, { kind: 'error', action: 'UpdateService' });
    const error = await publish(box, project).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string; requestId: string; action: string },
    );
    const failed = (await sandboxCalls(box)).filter((c) => c.action === 'UpdateService').pop()!;
    expect(error).toMatchObject({
      code: 'ServiceUnavailable',
      action: 'UpdateService',
      requestId: failed.requestId,
    });
    expect(error?.message).toMatch(/temporary failure/);
  });
});

describe('publish refuses to ship something broken', () => {
  let box: Sandbox;
  let project: Project;
  const world = freshWorld();
  beforeEach(() => ({ box, project } = world));

  it('refuses when templates/ is stale, naming the files, and calls nothing', async () => {
    project.edit('acme/insight:1.4.0', 'acme/insight:1.4.1', false);
    const error = await publish(box, project).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({ code: 'TemplatesStale' });
    expect((error as PublishError).details).toEqual(
      expect.arrayContaining(['templates/standard.template.json: changed']),
    );
    expect(await sandboxCalls(box)).toEqual([]);
  });

  it('refuses a plan that breaks the template, naming the service.yaml line, and calls nothing', async () => {
    project.edit('ecs.c7.4xlarge\n    nodeCount: 1', 'ecs.c7.4xlarge\n    nodeCount: 50', false);
    const error = await publish(box, project).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PlanViolatesTemplate',
      location: expect.stringMatching(/service\.yaml:\d+:16$/),
    });
    expect(await sandboxCalls(box)).toEqual([]);
  });

  it('refuses when lint finds an error, listing it, and calls nothing', async () => {
    writeFileSync(join(project.root, 'templates', 'legacy.yaml'), 'ROSTemplateFormatVersion: [unclosed\n');
    const error = await publish(box, project).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LintErrors' });
    expect((error as PublishError).details.join('\n')).toMatch(/legacy\.yaml:\d+:\d+ parse-error/);
    expect(await sandboxCalls(box)).toEqual([]);
  });
});
