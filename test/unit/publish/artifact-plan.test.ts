import type { ArtifactDefinition } from '../../../cdk/artifacts';
import { synthesizeService } from '../../../cdk/service-app';
import {
  desiredArtifacts,
  planArtifacts,
  type RemoteArtifact,
  type RemoteArtifactVersion,
} from '../../../scripts/publish/artifact-plan';
import { PublishConflict } from '../../../scripts/publish/plan';
import { definitionWithArtifacts } from '../../../scripts/publish/desired';
import { sampleModel } from '../../support/model';

const IMAGE: ArtifactDefinition = {
  ArtifactType: 'EcsImage',
  ArtifactName: 'insight-image',
  Description: 'image',
  SupportRegionIds: ['cn-hangzhou'],
  ArtifactBuildType: 'EcsImage',
  ArtifactBuildProperty: { RegionId: 'cn-hangzhou', SourceImageId: 'aliyun_3', CommandContent: 'echo 1' },
};

const [desired] = desiredArtifacts({ 'insight-image': IMAGE });

function remoteWith(...versions: RemoteArtifactVersion[]): Record<string, RemoteArtifact> {
  return { 'insight-image': { artifactId: 'artifact-1', artifactType: 'EcsImage', versions } };
}

const kinds = (remote: Record<string, RemoteArtifact | undefined>) =>
  planArtifacts([desired], remote).steps.map((s) => s.kind);

describe('artifact planner', () => {
  it('names the version after the hash of the definition: same content, same name; a changed command, another', () => {
    expect(desired.versionName).toMatch(/^nestkit-[0-9a-f]{12}$/);
    expect(desiredArtifacts({ x: { ...IMAGE } })[0].versionName).toBe(desired.versionName);
    const changed = {
      ...IMAGE,
      ArtifactBuildProperty: { ...IMAGE.ArtifactBuildProperty, CommandContent: 'echo 2' },
    };
    expect(desiredArtifacts({ x: changed })[0].versionName).not.toBe(desired.versionName);
  });

  it('creates, builds and releases an artifact that does not exist', () => {
    expect(planArtifacts([desired], {}).steps).toEqual([
      { kind: 'createArtifact', artifact: 'insight-image' },
      { kind: 'waitArtifact', artifact: 'insight-image' },
      { kind: 'releaseArtifact', artifact: 'insight-image' },
    ]);
  });

  it('reuses a released version that holds the content, and plans nothing', () => {
    const plan = planArtifacts(
      [desired],
      remoteWith({ version: '2', versionName: desired.versionName, status: 'Available' }),
    );
    expect(plan).toEqual({
      steps: [],
      reused: { 'insight-image': { artifactId: 'artifact-1', version: '2' } },
    });
  });

  it('creates a new version when only other content was released', () => {
    expect(
      kinds(remoteWith({ version: '1', versionName: 'nestkit-000000000000', status: 'Available' })),
    ).toEqual(['createArtifact', 'waitArtifact', 'releaseArtifact']);
    expect(
      planArtifacts([desired], remoteWith({ version: '1', versionName: 'x', status: 'Available' })).steps[0],
    ).toEqual({ kind: 'createArtifact', artifact: 'insight-image', artifactId: 'artifact-1' });
  });

  it('updates a draft of other content, and builds a failed draft of this content again', () => {
    expect(kinds(remoteWith({ version: 'draft', versionName: 'other', status: 'Available' }))).toEqual([
      'updateArtifact',
      'waitArtifact',
      'releaseArtifact',
    ]);
    expect(
      kinds(remoteWith({ version: 'draft', versionName: desired.versionName, status: 'ScanFailed' })),
    ).toEqual(['updateArtifact', 'waitArtifact', 'releaseArtifact']);
  });

  it('waits for a draft of this content still building, and releases one already built', () => {
    expect(
      kinds(remoteWith({ version: 'draft', versionName: desired.versionName, status: 'Created' })),
    ).toEqual(['waitArtifact', 'releaseArtifact']);
    expect(
      kinds(remoteWith({ version: 'draft', versionName: desired.versionName, status: 'Available' })),
    ).toEqual(['releaseArtifact']);
  });

  it('ignores deleted versions', () => {
    expect(kinds(remoteWith({ version: '3', versionName: desired.versionName, status: 'Deleted' }))).toEqual([
      'createArtifact',
      'waitArtifact',
      'releaseArtifact',
    ]);
  });

  it('refuses an artifact of the same name but another type', () => {
    const remote = { 'insight-image': { artifactId: 'artifact-1', artifactType: 'File', versions: [] } };
    expect(() => planArtifacts([desired], remote)).toThrow(PublishConflict);
  });

  it("replaces the sample's relation placeholders by the built ids, and refuses to leave one", () => {
    const { serviceDefinition } = synthesizeService(sampleModel());
    const resolved = definitionWithArtifacts(serviceDefinition, {
      'insight-image': { artifactId: 'artifact-9', version: '4' },
    });
    const supplier = resolved.Service.DeployMetadata.SupplierDeployMetadata as Record<string, unknown>;
    expect(supplier.ArtifactRelation).toEqual({
      'insight-image': { ArtifactId: 'artifact-9', ArtifactVersion: '4' },
    });
    expect(() => definitionWithArtifacts(serviceDefinition, {})).toThrow(/no built artifact insight-image/);
    expect(JSON.stringify(definitionWithArtifacts(serviceDefinition, {}, true))).toContain(
      '${Artifact.insight-image.ArtifactId}',
    );
  });
});
