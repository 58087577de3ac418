import type { Sandbox } from '../../../scripts/sandbox';
import { createSupplierApi } from '../../../scripts/cloud';
import { PublishError } from '../../../scripts/publish';
import {
  addFault,
  ARTIFACT_ACTIONS,
  freshWorld,
  mutating,
  Project,
  publish,
  sandboxCalls,
  sandboxCredential,
  versionsOf,
} from './project';

/** The artifact versions the sandbox holds, by artifact name: [version, VersionName]. */
function artifactVersions(box: Sandbox) {
  return Object.values(box.core.state.artifacts ?? {}).map((a) => ({
    name: a.Name,
    versions: a.versions.filter((v) => !v.deleted).map((v) => [v.ArtifactVersion, v.VersionName]),
  }));
}

const artifactCalls = (calls: { action: string }[]) =>
  calls
    .map((c) => c.action)
    .filter((a) => ARTIFACT_ACTIONS.has(a) && !/^(GetArtifact|ListArtifactBuildLogs)$/.test(a));

describe('nestkit publish builds the artifact before the version that uses it', () => {
  let box: Sandbox;
  let project: Project;
  const world = freshWorld();
  beforeEach(() => ({ box, project } = world));

  it('first publish builds and releases the image, and the version relates it by id and version', async () => {
    const progress: string[] = [];
    const result = await publish(box, project, { progress: (l) => progress.push(l) });
    const calls = await sandboxCalls(box);
    expect(artifactCalls(calls)).toEqual(['ListArtifacts', 'CreateArtifact', 'ReleaseArtifact']);
    // The artifact is released before the service version that names it is created.
    const order = calls.map((c) => c.action);
    expect(order.indexOf('ReleaseArtifact')).toBeLessThan(order.indexOf('CreateService'));
    const [artifact] = Object.values(box.core.state.artifacts ?? {});
    expect(artifactVersions(box)).toEqual([
      { name: 'insight-image', versions: [['1', expect.stringMatching(/^nestkit-/)]] },
    ]);
    const [draft] = versionsOf(box);
    const supplier = draft.deployMetadata.SupplierDeployMetadata as Record<string, unknown>;
    expect(supplier.ArtifactRelation).toEqual({
      'insight-image': { ArtifactId: artifact.ArtifactId, ArtifactVersion: '1' },
    });
    expect(result.plan.slice(0, 3).map((s) => s.kind)).toEqual([
      'createArtifact',
      'waitArtifact',
      'releaseArtifact',
    ]);
    expect(progress).toContainEqual(
      expect.stringMatching(/build: .*\+ docker pull registry\.cn-hangzhou\.aliyuncs\.com/),
    );
    expect(progress).toContainEqual(expect.stringMatching(/building insight-image: Created, \d+%/));
  });

  it('a re-run with nothing changed builds nothing and calls nothing that changes anything', async () => {
    await publish(box, project);
    await sandboxCalls(box, true);
    const again = await publish(box, project);
    expect(again.plan).toEqual([]);
    expect(mutating(await sandboxCalls(box))).toEqual([]);
    expect(artifactVersions(box)[0].versions).toHaveLength(1);
  });

  it('a changed build command builds a new version, and the new service version names it', async () => {
    const first = await publish(box, project);
    project.edit('systemctl enable --now docker\n', 'systemctl enable --now docker\n        docker info\n');
    await sandboxCalls(box, true);
    const second = await publish(box, project);
    expect(second.versionName).not.toBe(first.versionName);
    expect(artifactCalls(await sandboxCalls(box))).toEqual([
      'ListArtifacts',
      'ListArtifactVersions',
      'CreateArtifact',
      'ReleaseArtifact',
    ]);
    const [{ versions }] = artifactVersions(box);
    expect(versions.map(([v]) => v)).toEqual(['1', '2']);
    expect(versions[0][1]).not.toBe(versions[1][1]);
    const [draft] = versionsOf(box);
    const relation = (draft.deployMetadata.SupplierDeployMetadata as Record<string, Record<string, unknown>>)
      .ArtifactRelation['insight-image'];
    expect(relation).toMatchObject({ ArtifactVersion: '2' });
  });

  it('a failed build stops publish with the tail of its log; the re-run builds again and publishes', async () => {
    await addFault(box, { kind: 'buildFail', action: 'CreateArtifact', count: 1 });
    const failure = await publish(box, project).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PublishError);
    const error = failure as PublishError;
    expect(error.code).toBe('ArtifactBuildFailed');
    expect(error.message).toMatch(
      /the build of artifact insight-image .* failed: the build command exited with status 1/,
    );
    expect(error.details.at(-1)).toMatch(/ERROR: the build command exited with status 1/);
    expect(error.details).toContainEqual(expect.stringMatching(/\+ dnf -y install docker-ce --nobest/));
    expect(versionsOf(box)).toEqual([]);
    await sandboxCalls(box, true);
    const resumed = await publish(box, project);
    expect(resumed.plan.slice(0, 3).map((s) => s.kind)).toEqual([
      'updateArtifact',
      'waitArtifact',
      'releaseArtifact',
    ]);
    expect(versionsOf(box)).toEqual([expect.objectContaining({ version: 'draft' })]);
  });

  it('survives throttling of every second call, with one artifact version and one service', async () => {
    await addFault(box, { kind: 'throttle', action: '*', share: 0.5 });
    await publish(box, project);
    expect(artifactVersions(box)[0].versions).toHaveLength(1);
    expect(versionsOf(box)).toHaveLength(1);
    const throttled = (await sandboxCalls(box)).filter((c) => c.code === 'Throttling.User');
    expect(throttled.map((c) => c.action)).toEqual(
      expect.arrayContaining(['CreateArtifact', 'ReleaseArtifact']),
    );
  });

  it('--dry-run shows the artifact steps and creates nothing', async () => {
    const result = await publish(box, project, { dryRun: true });
    expect(result.plan.slice(0, 3).map((s) => [s.kind, s.mutating])).toEqual([
      ['createArtifact', true],
      ['waitArtifact', false],
      ['releaseArtifact', true],
    ]);
    expect(result.plan[0].description).toMatch(
      /CreateArtifact: a new EcsImage artifact insight-image \(nestkit-[0-9a-f]{12}\)/,
    );
    expect(box.core.state.artifacts ?? {}).toEqual({});
  });

  it('an order of the published version deploys, and fails once its artifact version is gone', async () => {
    const { serviceId } = await publish(box, project, { goal: 'launch' });
    const api = createSupplierApi({ endpoint: box.url, credential: sandboxCredential() });
    const deploy = async () => {
      const { ServiceInstanceId } = await api.createServiceInstance({
        ServiceId: serviceId!,
        TemplateName: 'Standard',
        SpecificationName: 'basic',
        Parameters: { AdminPassword: 'Passw0rd123', ZoneId: 'cn-hangzhou-k' },
      });
      box.advance(box.core.timings.deployStartSeconds + box.core.timings.deploySeconds);
      const done = await api.getServiceInstance({ ServiceInstanceId: ServiceInstanceId! });
      return [done.Status, done.StatusDetail];
    };
    expect(await deploy()).toEqual(['Deployed', 'deploy successfully']);
    const [artifact] = Object.values(box.core.state.artifacts ?? {});
    await api.client.call('DeleteArtifact', { ArtifactId: artifact.ArtifactId, ArtifactVersion: '1' });
    expect(await deploy()).toEqual([
      'DeployedFailed',
      `ArtifactRelation insight-image: artifact ${artifact.ArtifactId} has no version 1`,
    ]);
  });
});
