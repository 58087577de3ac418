import type { Sandbox } from '../../../scripts/sandbox';
import type { CloudClient } from '../../../scripts/cloud/client';
import type { SupplierActions } from '../../../scripts/cloud/supplier-types';
import { CloudError } from '../../../scripts/cloud/errors';
import { ARTIFACT_TIMINGS } from '../../../scripts/sandbox/api/artifacts';
import {
  deployMetadata,
  rawClient,
  sandbox,
  settleDeployments,
  supplier,
  TEMPLATE,
  uploadTemplate,
} from './helpers';

const BUILD = {
  ArtifactType: 'EcsImage',
  Name: 'insight-image',
  VersionName: 'nestkit-aaaa1111',
  ArtifactBuildType: 'EcsImage',
  ArtifactBuildProperty: {
    RegionId: 'cn-hangzhou',
    SourceImageId: 'aliyun_3_x64_20G_alibase_20240528.vhd',
    CommandType: 'RunShellScript',
    CommandContent:
      'dnf -y install docker-ce\ndocker pull registry.cn-hangzhou.aliyuncs.com/acme/insight:1.4.0\n',
  },
  SupportRegionIds: ['cn-hangzhou', 'cn-shanghai'],
};

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'OK';
  } catch (error) {
    if (error instanceof CloudError) return error.code;
    throw error;
  }
}

describe('sandbox artifacts', () => {
  let box: Sandbox;
  let api: CloudClient<SupplierActions>;
  beforeEach(async () => {
    box = await sandbox();
    api = rawClient(box);
  });
  afterEach(() => box.close());

  it('builds a draft on the virtual clock, logs its commands, and releases it as version 1', async () => {
    const created = await api.call('CreateArtifact', BUILD);
    expect(created).toMatchObject({ ArtifactVersion: 'draft', Status: 'Created', Name: 'insight-image' });
    const id = created.ArtifactId!;
    expect(await codeOf(api.call('ReleaseArtifact', { ArtifactId: id }))).toBe(
      'OperationDenied.ArtifactStatus',
    );
    box.advance(ARTIFACT_TIMINGS.buildSeconds);
    expect((await api.call('GetArtifact', { ArtifactId: id, ArtifactVersion: 'draft' })).Status).toBe(
      'Delivering',
    );
    box.advance(ARTIFACT_TIMINGS.deliverSeconds);
    expect((await api.call('GetArtifact', { ArtifactName: 'insight-image' })).Status).toBe('Available');
    const logs = await api.call('ListArtifactBuildLogs', { ArtifactId: id, SortOrder: 'Ascending' });
    expect(logs.BuildLogs?.map((l) => l.Content)).toEqual([
      'build started from aliyun_3_x64_20G_alibase_20240528.vhd in cn-hangzhou',
      '+ dnf -y install docker-ce',
      '+ docker pull registry.cn-hangzhou.aliyuncs.com/acme/insight:1.4.0',
      'build finished; distributing to cn-hangzhou, cn-shanghai',
      'available in every region',
    ]);
    expect(logs.BuildLogs?.[0].Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    const released = await api.call('ReleaseArtifact', { ArtifactId: id });
    expect(released).toMatchObject({
      ArtifactVersion: '1',
      Status: 'Available',
      VersionName: 'nestkit-aaaa1111',
    });
    const versions = await api.call('ListArtifactVersions', { ArtifactId: id });
    expect(versions.Artifacts?.map((v) => [v.ArtifactVersion, v.Status])).toEqual([['1', 'Available']]);
    const listed = await api.call('ListArtifacts', { Filter: [{ Name: 'Name', Values: ['insight-image'] }] });
    expect(listed.Artifacts?.map((a) => [a.ArtifactId, a.MaxVersion])).toEqual([[id, '1']]);
  });

  it('ends a build failed, with the reason in its log, when the buildFail fault fires', async () => {
    box.core.faults.add({ kind: 'buildFail', action: 'CreateArtifact', count: 1 });
    const { ArtifactId } = await api.call('CreateArtifact', BUILD);
    box.advance(ARTIFACT_TIMINGS.buildSeconds + ARTIFACT_TIMINGS.deliverSeconds);
    const read = await api.call('GetArtifact', { ArtifactId, ArtifactVersion: 'draft' });
    expect(read.Status).toBe('ScanFailed');
    const logs = await api.call('ListArtifactBuildLogs', { ArtifactId: ArtifactId! });
    expect(logs.BuildLogs?.[0].Content).toMatch(/^ERROR: the build command exited with status 1/);
    // The draft is built again by UpdateArtifact, this time without the fault.
    await api.call('UpdateArtifact', { ArtifactId: ArtifactId!, VersionName: 'nestkit-bbbb2222' });
    box.advance(ARTIFACT_TIMINGS.buildSeconds + ARTIFACT_TIMINGS.deliverSeconds);
    const rebuilt = await api.call('GetArtifact', { ArtifactId, ArtifactVersion: 'draft' });
    expect([rebuilt.Status, rebuilt.VersionName]).toEqual(['Available', 'nestkit-bbbb2222']);
  });

  it('refuses a second artifact of the same name and a second draft', async () => {
    const { ArtifactId } = await api.call('CreateArtifact', BUILD);
    expect(await codeOf(api.call('CreateArtifact', BUILD))).toBe('OperationDenied.ArtifactNameExists');
    expect(await codeOf(api.call('CreateArtifact', { ...BUILD, ArtifactId }))).toBe(
      'OperationDenied.DraftExists',
    );
    expect(await codeOf(api.call('GetArtifact', { ArtifactId: 'artifact-none' }))).toBe(
      'EntityNotExist.Artifact',
    );
  });

  describe('a deployment resolves the artifacts its version relates', () => {
    const FILE = '{{ computenest::file::compose }}';
    const template = {
      ...TEMPLATE,
      Resources: {
        Run: { Type: 'ALIYUN::ECS::RunCommand', Properties: { CommandContent: `wget '${FILE}'` } },
      },
    };

    /** A draft relating `relations`, one instance of it deployed; its status and reason once settled. */
    async function deployWith(relations: Record<string, unknown>, body: object = template) {
      const services = supplier(box);
      const url = await uploadTemplate(box, services, body);
      const metadata = { ...deployMetadata(url), SupplierDeployMetadata: relations };
      const { ServiceId } = await services.createService({
        DeployType: 'ros',
        ServiceType: 'private',
        VersionName: 'v1',
        ServiceInfo: [{ Locale: 'en-US', Name: 'Demo SaaS', ShortDescription: 'demo' }],
        DeployMetadata: JSON.stringify(metadata),
      });
      const { ServiceInstanceId } = await services.createServiceInstance({
        ServiceId: ServiceId!,
        ServiceVersion: 'draft',
        TemplateName: 'Standard',
        SpecificationName: 'Basic',
        Parameters: { AdminPassword: 'Passw0rd123' },
      });
      settleDeployments(box);
      const done = await services.getServiceInstance({ ServiceInstanceId: ServiceInstanceId! });
      return [done.Status, done.StatusDetail];
    }

    async function builtFile(): Promise<{ ArtifactId: string; ArtifactVersion: string }> {
      const { ArtifactId } = await api.call('CreateArtifact', {
        ArtifactType: 'File',
        Name: 'compose',
        VersionName: 'v1',
        ArtifactProperty: { RegionId: 'cn-hangzhou', Url: 'https://example.com/compose.tgz' },
        SupportRegionIds: ['cn-hangzhou'],
      });
      box.advance(ARTIFACT_TIMINGS.deliverSeconds);
      const released = await api.call('ReleaseArtifact', { ArtifactId: ArtifactId! });
      return { ArtifactId: ArtifactId!, ArtifactVersion: released.ArtifactVersion! };
    }

    it('deploys when every placeholder is related to an available artifact version', async () => {
      const reference = await builtFile();
      expect(await deployWith({ FileArtifactRelation: { [FILE]: reference } })).toEqual([
        'Deployed',
        'deploy successfully',
      ]);
    });

    it('fails a placeholder no relation resolves, and a relation to an artifact that is not there', async () => {
      const [status, detail] = await deployWith({
        ArtifactRelation: { 'insight-image': { ArtifactId: 'artifact-none', ArtifactVersion: '1' } },
      });
      expect(status).toBe('DeployedFailed');
      expect(detail).toContain('ArtifactRelation insight-image: artifact artifact-none does not exist');
      expect(detail).toContain(`the template's placeholder ${FILE} is resolved by no artifact relation`);
    });

    it('fails a relation whose ${Artifact...} was never replaced, and a version not yet released', async () => {
      const reference = await builtFile();
      const [, detail] = await deployWith({
        FileArtifactRelation: { [FILE]: { ...reference, ArtifactVersion: '2' } },
        ArtifactRelation: { img: { ArtifactId: '${Artifact.img.ArtifactId}', ArtifactVersion: 'draft' } },
      });
      expect(detail).toContain(
        `FileArtifactRelation ${FILE}: artifact ${reference.ArtifactId} has no version 2`,
      );
      expect(detail).toContain('ArtifactId ${Artifact.img.ArtifactId} was never replaced');
    });

    it('fails a placeholder of a kind Compute Nest does not know', async () => {
      const odd = {
        ...template,
        Resources: {
          Run: { ...template.Resources.Run, Properties: { CommandContent: '{{ computenest::zip::x }}' } },
        },
      };
      const [status, detail] = await deployWith({}, odd);
      expect([status, detail]).toEqual([
        'DeployedFailed',
        "the template's placeholder {{ computenest::zip::x }} is of no kind Compute Nest knows",
      ]);
    });
  });
});
