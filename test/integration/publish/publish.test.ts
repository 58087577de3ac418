import { createSupplierApi } from '../../../scripts/cloud';
import type { Sandbox } from '../../../scripts/sandbox';
import {
  mutating,
  serviceCalls,
  Project,
  publish,
  sandboxCalls,
  sandboxCredential,
  deployable,
  freshWorld,
  templateOf,
  versionsOf,
} from './project';

describe('nestkit publish against the sandbox', () => {
  let box: Sandbox;
  let project: Project;
  const world = freshWorld();
  beforeEach(() => ({ box, project } = world));

  it('first publish uploads the template, creates the service as a draft and maps every SKU', async () => {
    const result = await publish(box, project);
    expect(result).toMatchObject({ version: 'draft', status: 'Draft', foundBy: 'none', dryRun: false });
    expect(result.versionName).toMatch(/^1\.4\.0-[0-9a-f]{8}$/);
    expect(result.versionName.endsWith(result.contentHash.slice(0, 8))).toBe(true);
    const actions = serviceCalls(await sandboxCalls(box)).map((c) => c.action);
    expect(actions).toEqual([
      'ListServices',
      'GetUploadCredentials',
      'PutObject',
      'CreateService',
      'UpdateService',
      'GetService',
    ]);
    const [draft] = versionsOf(box);
    expect(draft).toMatchObject({
      serviceId: result.serviceId,
      version: 'draft',
      versionName: result.versionName,
    });
    expect(draft.commodity?.SpecificationMappings?.map((m) => m.SpecificationCode)).toEqual([
      'yuncode5012300001',
      'yuncode5012300002',
      'yuncode5012300003',
    ]);
    const uploaded = await templateOf(box, deployable(draft.deployMetadata)[0].Url);
    expect(uploaded).toBe(project.template('standard.template.json'));
    expect(serviceCalls(result.calls).map((c) => c.action)).toEqual([
      'ListServices',
      'GetUploadCredentials',
      'PutObject',
      'CreateService',
      'UpdateService',
      'GetService',
    ]);
  });

  it('re-publishing unchanged content makes no mutating call and at most 5 reads', async () => {
    const first = await publish(box, project);
    await sandboxCalls(box, true);
    const again = await publish(box, project);
    const calls = await sandboxCalls(box);
    expect(mutating(calls)).toEqual([]);
    // ListServices and GetService, and ListArtifacts and ListArtifactVersions of the sample's artifact.
    expect(calls.length).toBeLessThanOrEqual(5);
    expect(again).toMatchObject({ serviceId: first.serviceId, version: 'draft', plan: [] });
  });

  it('finds the service by the id in service.yaml, and refuses an id that does not exist', async () => {
    const first = await publish(box, project);
    project.edit('service:\n', `service:\n  id: ${first.serviceId}\n`);
    await sandboxCalls(box, true);
    const again = await publish(box, project);
    expect(again).toMatchObject({ foundBy: 'id', serviceId: first.serviceId, plan: [] });
    expect(again.versionName).toBe(first.versionName);
    expect((await sandboxCalls(box)).map((c) => c.action)).toEqual([
      'ListArtifacts',
      'ListArtifactVersions',
      'ListServices',
      'GetService',
    ]);
    project.edit(`id: ${first.serviceId}`, 'id: service-0000000000000000');
    await expect(publish(box, project)).rejects.toMatchObject({
      code: 'PublishConflict',
      message: expect.stringMatching(/service-0000000000000000 .* does not exist/),
    });
  });

  it('refuses to guess between two services with the same name', async () => {
    await publish(box, project);
    const api = createSupplierApi({ endpoint: box.url, credential: sandboxCredential() });
    await api.createService({
      DeployType: 'ros',
      ServiceInfo: [{ Locale: 'en-US', Name: 'Acme Insight Analytics' }],
    });
    await expect(publish(box, project)).rejects.toMatchObject({
      code: 'PublishConflict',
      message: expect.stringMatching(/2 services are named "Acme Insight Analytics".*set service\.id/),
    });
  });

  it('a one-template change gives exactly one new draft holding that change', async () => {
    const first = await publish(box, project, { goal: 'launch' });
    project.edit('acme/insight:1.4.0', 'acme/insight:1.4.1');
    const second = await publish(box, project);
    expect(second.versionName).not.toBe(first.versionName);
    const versions = versionsOf(box);
    expect(versions.map((v) => [v.version, v.status, v.versionName])).toEqual([
      ['1', 'Online', first.versionName],
      ['draft', 'Draft', second.versionName],
    ]);
    const draft = versions[1];
    const template = await templateOf(box, deployable(draft.deployMetadata)[0].Url);
    expect(template).toContain('acme/insight:1.4.1');
    expect(template).toBe(project.template('standard.template.json'));
    const creates = (await sandboxCalls(box)).filter((c) => c.action === 'CreateService');
    expect(creates.map((c) => c.params.ServiceId)).toEqual([undefined, first.serviceId]);
  });

  it('replaces its own earlier draft instead of adding a second one', async () => {
    await publish(box, project);
    project.edit('acme/insight:1.4.0', 'acme/insight:1.4.1');
    const second = await publish(box, project);
    expect(versionsOf(box).map((v) => [v.version, v.versionName])).toEqual([['draft', second.versionName]]);
    expect(second.plan.map((s) => s.kind)).toEqual(['upload', 'updateDraft', 'setCommodity']);
  });

  it('--launch goes through review to Online on the virtual clock', async () => {
    const result = await publish(box, project, { goal: 'launch' });
    expect(result).toMatchObject({ version: '1', status: 'Online' });
    expect(versionsOf(box)).toEqual([expect.objectContaining({ version: '1', status: 'Online' })]);
    expect(box.core.state.services[result.serviceId!].defaultVersion).toBe('1');
    const calls = await sandboxCalls(box);
    const flow = ['RegisterService', 'GetServiceRegistration', 'LaunchService'];
    expect([...new Set(calls.map((c) => c.action).filter((a) => flow.includes(a)))]).toEqual(flow);
    // The approved draft is launched by its version `draft`; LaunchService answers the number it got.
    expect(calls.find((c) => c.action === 'LaunchService')?.params.ServiceVersion).toBe('draft');
    expect(calls.find((c) => c.action === 'RegisterService')?.params.ServiceVersion).toBeUndefined();
    await sandboxCalls(box, true);
    expect((await publish(box, project, { goal: 'launch' })).plan).toEqual([]);
    expect(mutating(await sandboxCalls(box))).toEqual([]);
  });

  it('--prelaunch stops at Beta, and a later --launch launches that same version', async () => {
    const beta = await publish(box, project, { goal: 'prelaunch' });
    expect(beta).toMatchObject({ version: '1', status: 'Beta' });
    const prelaunch = (await sandboxCalls(box)).find((c) => c.action === 'PreLaunchService');
    expect(Object.keys(prelaunch!.params).sort()).toEqual(['ClientToken', 'RegionId', 'ServiceId']);
    const online = await publish(box, project, { goal: 'launch' });
    expect(online).toMatchObject({ version: '1', status: 'Online' });
    expect(online.plan.map((s) => s.kind)).toEqual(['launch']);
    expect(versionsOf(box)).toHaveLength(1);
  });

  it('gives up waiting for the review after the timeout, and a re-run resumes the wait', async () => {
    const slow = { pollSeconds: 10, timeoutSeconds: 30, advance: (s: number) => box.advance(s) };
    box.core.timings.approvalSeconds = 3600;
    await expect(publish(box, project, { goal: 'launch', approval: slow })).rejects.toMatchObject({
      code: 'ApprovalTimeout',
    });
    box.advance(3600);
    const resumed = await publish(box, project, { goal: 'launch' });
    expect(resumed.plan.map((s) => s.kind)).toEqual(['launch']);
    expect(versionsOf(box).map((v) => [v.version, v.status])).toEqual([['1', 'Online']]);
  });

  it('--dry-run prints the plan and diffs and makes no mutating call', async () => {
    const progress: string[] = [];
    const fresh = await publish(box, project, { dryRun: true, progress: (l) => progress.push(l) });
    expect(fresh.plan.map((s) => s.kind)).toEqual([
      'createArtifact',
      'waitArtifact',
      'releaseArtifact',
      'upload',
      'createService',
      'setCommodity',
    ]);
    expect(fresh.diff.against).toBeUndefined();
    expect(mutating(await sandboxCalls(box))).toEqual([]);
    await publish(box, project);
    project.edit('ecs.c7.2xlarge', 'ecs.g7.2xlarge');
    await sandboxCalls(box, true);
    const changed = await publish(box, project, { dryRun: true, goal: 'launch' });
    expect(mutating(await sandboxCalls(box))).toEqual([]);
    expect(changed.plan.map((s) => s.kind)).toEqual([
      'upload',
      'updateDraft',
      'setCommodity',
      'register',
      'waitApproval',
      'launch',
    ]);
    expect(changed.diff.against).toBe('draft');
    expect(changed.diff.deployMetadata).toEqual([
      {
        path: 'SupplierDeployMetadata.SupplierTemplateConfigs[0].PredefinedParameters[1].Parameters.EcsInstanceType',
        kind: '~',
        before: 'ecs.c7.2xlarge',
        after: 'ecs.g7.2xlarge',
      },
    ]);
    expect(changed.diff.mappings).toEqual([]);
  });

  it('shows a SKU mapping change in the dry-run diff, keyed by the SKU code', async () => {
    await publish(box, project);
    project.edit('specificationCode: yuncode5012300003', 'specificationCode: yuncode5012300009');
    const result = await publish(box, project, { dryRun: true });
    expect(result.diff.mappings).toEqual([
      {
        path: 'SpecificationMappings.yuncode5012300003',
        kind: '-',
        before: { TemplateName: 'Standard', SpecificationName: 'premium' },
      },
      {
        path: 'SpecificationMappings.yuncode5012300009',
        kind: '+',
        after: { TemplateName: 'Standard', SpecificationName: 'premium' },
      },
    ]);
  });
});
