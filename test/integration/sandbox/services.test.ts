import type { Sandbox } from '../../../scripts/sandbox';
import type { SupplierApi } from '../../../scripts/cloud/supplier';
import { uploadToOss } from '../../../scripts/cloud/oss-upload';
import {
  admin,
  deployMetadata,
  expectCloudError,
  publishService,
  sandbox,
  SKUS,
  supplier,
  uploadTemplate,
} from './helpers';

describe('supplier service and version APIs', () => {
  let box: Sandbox;
  let api: SupplierApi;
  beforeEach(async () => {
    box = await sandbox();
    api = supplier(box);
  });
  afterEach(() => box.close());

  const draftFields = (url: string) => ({
    DeployType: 'ros',
    ServiceType: 'private',
    VersionName: 'first',
    ServiceInfo: [{ Locale: 'zh-CN', Name: 'Demo', ShortDescription: 'short' }],
    DeployMetadata: deployMetadata(url),
    OperationMetadata: {
      StatusOperationConfigs: [{ TemplateName: 'Standard', SupportOperations: ['Start', 'Stop'] }],
    },
  });

  it('creates a service as a draft and reads it back with its JSON fields as strings', async () => {
    const url = await uploadTemplate(box, api);
    const created = await api.createService(draftFields(url));
    expect(created).toMatchObject({ Version: 'draft', Status: 'Created' });
    expect(created.ServiceId).toMatch(/^service-[0-9a-f]{16}$/);
    const read = await api.getService({ ServiceId: created.ServiceId, ServiceVersion: 'draft' });
    expect(read).toMatchObject({
      Status: 'Draft',
      DeployType: 'ros',
      VersionName: 'first',
      ServiceInfos: [{ Locale: 'zh-CN', Name: 'Demo', ShortDescription: 'short' }],
    });
    expect(JSON.parse(read.DeployMetadata!)).toEqual(deployMetadata(url));
  });

  it('answers EntityNotExist.Service for an unknown service or a missing draft', async () => {
    await expectCloudError(api.getService({ ServiceId: 'service-0000' }), 'EntityNotExist.Service', 404);
    const { serviceId } = await publishService(box, api);
    await expectCloudError(
      api.getService({ ServiceId: serviceId, ServiceVersion: 'draft' }),
      'EntityNotExist.Service',
      404,
    );
  });

  it('answers MissingParameter when DeployType is absent and InvalidParameter for a bad JSON field', async () => {
    await expectCloudError(
      api.createService({ ServiceInfo: [{ Locale: 'en-US', Name: 'x' }] }),
      'MissingParameter',
      400,
    );
    await expectCloudError(
      api.createService({ DeployType: 'ros', DeployMetadata: '{not json' }),
      'InvalidParameter',
      400,
    );
  });

  it('updates a draft, including the Marketplace Commodity sent as one JSON string', async () => {
    const url = await uploadTemplate(box, api);
    const { ServiceId } = await api.createService(draftFields(url));
    await api.updateService({
      ServiceId,
      VersionName: 'renamed',
      Commodity: { SpecificationMappings: SKUS },
    });
    const calls = (
      await admin<{ action: string; params: Record<string, string> }[]>(
        box,
        'GET',
        '/_sandbox/calls?action=UpdateService',
      )
    ).body;
    expect(JSON.parse(calls[0].params.Commodity)).toEqual({ SpecificationMappings: SKUS });
    const read = await api.getService({ ServiceId, ServiceVersion: 'draft' });
    expect(read.VersionName).toBe('renamed');
    expect(read.Commodity?.MarketplaceMetadata?.SpecificationMappings).toEqual(SKUS);
  });

  it('creates a new draft of an existing service, and refuses a second draft', async () => {
    const { serviceId } = await publishService(box, api);
    const second = await api.createService({ ServiceId: serviceId, DeployType: 'ros', VersionName: 'v2' });
    expect(second).toMatchObject({ ServiceId: serviceId, Version: 'draft' });
    await expectCloudError(
      api.createService({ ServiceId: serviceId, DeployType: 'ros' }),
      'OperationDenied.DraftExists',
      403,
    );
  });

  it('registers a draft, approves it after the delay on the virtual clock, pre-launches and launches it', async () => {
    const url = await uploadTemplate(box, api);
    const { ServiceId } = await api.createService(draftFields(url));
    await api.registerService({ ServiceId });
    const submitted = await api.getService({ ServiceId, ServiceVersion: '1' });
    expect(submitted.Status).toBe('Submitted');
    await expectCloudError(
      api.updateService({ ServiceId, ServiceVersion: '1', VersionName: 'x' }),
      'OperationDenied.ServiceStatus',
      403,
    );
    await expectCloudError(
      api.launchService({ ServiceId, ServiceVersion: '1' }),
      'OperationDenied.ServiceStatus',
      403,
    );
    box.advance(box.core.timings.approvalSeconds - 1);
    expect((await api.getService({ ServiceId, ServiceVersion: '1' })).Status).toBe('Submitted');
    box.advance(1);
    expect((await api.getService({ ServiceId, ServiceVersion: '1' })).Status).toBe('Approved');
    await api.preLaunchService({ ServiceId, ServiceVersion: '1' });
    expect((await api.getService({ ServiceId, ServiceVersion: '1' })).Status).toBe('Beta');
    await api.launchService({ ServiceId, ServiceVersion: '1' });
    const online = await api.getService({ ServiceId });
    expect(online).toMatchObject({ Version: '1', Status: 'Online', DefaultVersion: true });
  });

  it('lists default versions, all versions with AllVersions, filters and pages', async () => {
    const { serviceId } = await publishService(box, api);
    await api.createService({ ServiceId: serviceId, DeployType: 'ros', VersionName: 'next' });
    for (let i = 0; i < 4; i++)
      await api.createService({ DeployType: 'ros', ServiceInfo: [{ Locale: 'en-US', Name: `other-${i}` }] });
    const defaults = await api.listServices({});
    expect(defaults.Services).toHaveLength(5);
    const mine = defaults.Services.find((s) => s.ServiceId === serviceId)!;
    expect(mine).toMatchObject({ Version: '1', Status: 'Online', DefaultVersion: true, HasDraft: true });
    const versions = await api.listServices({
      AllVersions: true,
      Filter: [{ Name: 'ServiceId', Value: [serviceId] }],
    });
    expect(versions.Services.map((s) => s.Version)).toEqual(['1', 'draft']);
    const byName = await api.listServices({ Filter: [{ Name: 'Name', Value: ['*other*'] }] });
    expect(byName.Services).toHaveLength(4);
    const first = await api.listServices({ MaxResults: 2 });
    expect(first.Services).toHaveLength(2);
    expect(first.NextToken).toBeTruthy();
    expect(await api.listAllServices({})).toHaveLength(5);
    await expectCloudError(api.listServices({ MaxResults: 101 }), 'InvalidParameter', 400);
    await expectCloudError(
      api.listServices({ Filter: [{ Name: 'Colour', Value: ['x'] }] }),
      'InvalidParameter',
      400,
    );
  });

  it('deletes a draft version and refuses to delete an online version', async () => {
    const { serviceId } = await publishService(box, api);
    await api.createService({ ServiceId: serviceId, DeployType: 'ros' });
    await api.deleteService({ ServiceId: serviceId, ServiceVersion: 'draft' });
    await expectCloudError(
      api.getService({ ServiceId: serviceId, ServiceVersion: 'draft' }),
      'EntityNotExist.Service',
    );
    await expectCloudError(
      api.deleteService({ ServiceId: serviceId, ServiceVersion: '1' }),
      'OperationDenied.ServiceStatus',
      403,
    );
  });

  it('stores uploaded templates and serves them back; refuses a PUT signed with the wrong secret or to another key', async () => {
    const { Data } = await api.getUploadCredentials({ FileName: 'a.json' });
    expect(Data).toMatchObject({
      RegionId: 'cn-hangzhou',
      BucketName: expect.any(String),
      Key: expect.stringMatching(/a\.json$/),
    });
    const { ossUrl } = await uploadToOss(Data, '{"a":1}', { endpointOverrideUrl: box.url });
    expect(ossUrl).toBe(`oss://${Data.BucketName}/${Data.Key}?RegionId=cn-hangzhou`);
    const back = await fetch(`${box.url}/${Data.BucketName}/${Data.Key}`);
    expect(await back.text()).toBe('{"a":1}');
    await expect(
      uploadToOss({ ...Data, AccessKeySecret: 'wrong' }, 'x', { endpointOverrideUrl: box.url }),
    ).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    await expect(
      uploadToOss({ ...Data, Key: 'elsewhere.json' }, 'x', { endpointOverrideUrl: box.url }),
    ).rejects.toMatchObject({ code: 'AccessDenied' });
    expect((await fetch(`${box.url}/${Data.BucketName}/missing.json`)).status).toBe(404);
  });

  it('refuses upload credentials once they expired on the virtual clock', async () => {
    const { Data } = await api.getUploadCredentials({ FileName: 'late.json' });
    box.advance(3601);
    await expect(uploadToOss(Data, 'x', { endpointOverrideUrl: box.url })).rejects.toMatchObject({
      code: 'InvalidAccessKeyId',
    });
  });
});
