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
    DeployMetadata: JSON.stringify(deployMetadata(url)),
    OperationMetadata: JSON.stringify({
      StatusOperationConfigs: [{ TemplateName: 'Standard', SupportOperations: ['Start', 'Stop'] }],
    }),
  });

  it('creates a service as a draft and reads it back with its JSON fields as strings', async () => {
    const url = await uploadTemplate(box, api);
    const created = await api.createService(draftFields(url));
    expect(created).toMatchObject({ Version: 'draft', Status: 'Created' });
    expect(created.ServiceId).toMatch(/^service-[0-9a-f]{16}$/);
    const read = await api.getService({ ServiceId: created.ServiceId!, ServiceVersion: 'draft' });
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

  // The sandbox's MissingParameter for an absent DeployType is a contract test (test/contract): the
  // client refuses to send such a request at all.
  it('answers InvalidParameter for a JSON field that does not parse', async () => {
    await expectCloudError(
      api.createService({ DeployType: 'ros', DeployMetadata: '{not json' }),
      'InvalidParameter',
      400,
    );
  });

  it('updates a draft, including the Marketplace Commodity sent as one JSON string', async () => {
    const url = await uploadTemplate(box, api);
    const ServiceId = (await api.createService(draftFields(url))).ServiceId!;
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
    // Nothing was sent for another channel, so nothing is shown under CssMetadata.
    expect(read.Commodity?.CssMetadata).toBeUndefined();
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

  it('registers the draft (a RegistrationId), approves the review after the delay on the virtual clock, launches it as version 1', async () => {
    const url = await uploadTemplate(box, api);
    const ServiceId = (await api.createService(draftFields(url))).ServiceId!;
    const { RegistrationId } = await api.registerService({ ServiceId });
    expect(RegistrationId).toMatch(/^sr-/);
    const draft = await api.getService({ ServiceId, ServiceVersion: 'draft' });
    expect(draft).toMatchObject({ Status: 'Submitted', RegistrationId });
    expect(await api.getServiceRegistration({ RegistrationId })).toMatchObject({
      RegistrationId,
      ServiceId,
      ServiceVersion: 'draft',
      Status: 'Submitted',
      ServiceInfo: { VersionName: 'first' },
    });
    await expectCloudError(
      api.updateService({ ServiceId, ServiceVersion: 'draft', VersionName: 'x' }),
      'OperationDenied.ServiceStatus',
      403,
    );
    await expectCloudError(
      api.launchService({ ServiceId, ServiceVersion: 'draft' }),
      'OperationDenied.ServiceStatus',
      403,
    );
    box.advance(box.core.timings.approvalSeconds - 1);
    expect((await api.getServiceRegistration({ RegistrationId })).Status).toBe('Submitted');
    box.advance(1);
    expect((await api.getServiceRegistration({ RegistrationId })).Status).toBe('Approved');
    expect((await api.getService({ ServiceId, ServiceVersion: 'draft' })).Status).toBe('Approved');
    const launched = await api.launchService({ ServiceId, ServiceVersion: 'draft' });
    expect(launched).toMatchObject({ Version: '1', ServiceLaunchResultType: 'PublishNewVersion' });
    expect(await api.getService({ ServiceId })).toMatchObject({ Version: '1', Status: 'Online' });
    expect((await api.listServices({})).Services?.[0]).toMatchObject({ Version: '1', DefaultVersion: true });
    expect(await api.getServiceRegistration({ RegistrationId })).toMatchObject({
      Status: 'Executed',
      ServiceVersion: '1',
    });
    await expectCloudError(
      api.getServiceRegistration({ RegistrationId: 'sr-missing' }),
      'EntityNotExist.ServiceRegistration',
      404,
    );
  });

  it('pre-launches the Approved draft with ServiceId only (Beta), then launches that version', async () => {
    const { serviceId } = await publishService(box, api);
    await api.createService({ ServiceId: serviceId, DeployType: 'ros', VersionName: 'second' });
    await expectCloudError(
      api.preLaunchService({ ServiceId: serviceId }),
      'OperationDenied.ServiceStatus',
      403,
    );
    const { RegistrationId } = await api.registerService({ ServiceId: serviceId });
    box.advance(box.core.timings.approvalSeconds);
    await api.preLaunchService({ ServiceId: serviceId });
    const beta = await api.getService({ ServiceId: serviceId, ServiceVersion: '2' });
    expect(beta).toMatchObject({ Status: 'Beta', VersionName: 'second' });
    expect((await api.getServiceRegistration({ RegistrationId })).ServiceVersion).toBe('2');
    expect(await api.getService({ ServiceId: serviceId })).toMatchObject({ Version: '1', Status: 'Online' });
    expect(await api.launchService({ ServiceId: serviceId, ServiceVersion: '2' })).toMatchObject({
      Version: '2',
      ServiceLaunchResultType: 'PublishNewVersion',
    });
    expect(await api.getService({ ServiceId: serviceId })).toMatchObject({ Version: '2', Status: 'Online' });
  });

  it('withdraws an Online version (Offline, the default passes on) and launches it again', async () => {
    const { serviceId } = await publishService(box, api);
    await api.createService({ ServiceId: serviceId, DeployType: 'ros', VersionName: 'second' });
    await api.registerService({ ServiceId: serviceId });
    box.advance(box.core.timings.approvalSeconds);
    await api.launchService({ ServiceId: serviceId, ServiceVersion: 'draft' });
    await api.withdrawService({ ServiceId: serviceId, ServiceVersion: '2' });
    expect((await api.getService({ ServiceId: serviceId, ServiceVersion: '2' })).Status).toBe('Offline');
    expect(await api.getService({ ServiceId: serviceId })).toMatchObject({ Version: '1', Status: 'Online' });
    await expectCloudError(
      api.withdrawService({ ServiceId: serviceId, ServiceVersion: '2' }),
      'OperationDenied.ServiceStatus',
      403,
    );
    expect(await api.launchService({ ServiceId: serviceId, ServiceVersion: '2' })).toMatchObject({
      Version: '2',
      ServiceLaunchResultType: 'PublishOfflineVersion',
    });
    expect(await api.getService({ ServiceId: serviceId })).toMatchObject({ Version: '2', Status: 'Online' });
  });

  it('lists default versions, all versions with AllVersions, filters and pages', async () => {
    const { serviceId } = await publishService(box, api);
    await api.createService({ ServiceId: serviceId, DeployType: 'ros', VersionName: 'next' });
    for (let i = 0; i < 4; i++)
      await api.createService({ DeployType: 'ros', ServiceInfo: [{ Locale: 'en-US', Name: `other-${i}` }] });
    const defaults = await api.listServices({});
    expect(defaults.Services).toHaveLength(5);
    expect(defaults.TotalCount).toBe(5);
    const mine = defaults.Services!.find((s) => s.ServiceId === serviceId)!;
    expect(mine).toMatchObject({ Version: '1', Status: 'Online', DefaultVersion: true, HasDraft: true });
    const versions = await api.listServices({
      AllVersions: true,
      Filter: [{ Name: 'ServiceId', Value: [serviceId] }],
    });
    expect(versions.Services!.map((s) => s.Version)).toEqual(['1', 'draft']);
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

  it('deletes one version (ServiceVersion is required) and refuses to delete an online version', async () => {
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
    await expect(api.deleteService({ ServiceId: serviceId } as never)).rejects.toMatchObject({
      name: 'ContractError',
    });
    await api.withdrawService({ ServiceId: serviceId, ServiceVersion: '1' });
    await api.deleteService({ ServiceId: serviceId, ServiceVersion: '1' });
    await expectCloudError(api.getService({ ServiceId: serviceId }), 'EntityNotExist.Service', 404);
  });

  it('stores uploaded templates and serves them back; refuses a PUT signed with the wrong secret or to another key', async () => {
    const { Data } = await api.getUploadCredentials({ FileName: 'a.json' });
    expect(Data).toMatchObject({
      RegionId: 'cn-hangzhou',
      BucketName: expect.any(String),
      Key: expect.stringMatching(/a\.json$/),
    });
    const data = Data!;
    const { ossUrl } = await uploadToOss(data, '{"a":1}', { endpointOverrideUrl: box.url });
    expect(ossUrl).toBe(`oss://${data.BucketName}/${data.Key}?RegionId=cn-hangzhou`);
    const back = await fetch(`${box.url}/${data.BucketName}/${data.Key}`);
    expect(await back.text()).toBe('{"a":1}');
    await expect(
      uploadToOss({ ...data, AccessKeySecret: 'wrong' }, 'x', { endpointOverrideUrl: box.url }),
    ).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    await expect(
      uploadToOss({ ...data, Key: 'elsewhere.json' }, 'x', { endpointOverrideUrl: box.url }),
    ).rejects.toMatchObject({ code: 'AccessDenied' });
    expect((await fetch(`${box.url}/${data.BucketName}/missing.json`)).status).toBe(404);
  });

  it('refuses upload credentials once they expired on the virtual clock', async () => {
    const { Data } = await api.getUploadCredentials({ FileName: 'late.json' });
    box.advance(3601);
    await expect(uploadToOss(Data!, 'x', { endpointOverrideUrl: box.url })).rejects.toMatchObject({
      code: 'InvalidAccessKeyId',
    });
  });
});
