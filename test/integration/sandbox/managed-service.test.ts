import type { SupplierApi } from '../../../scripts/cloud/supplier';
import type { Sandbox } from '../../../scripts/sandbox';
import {
  deployMetadata,
  expectCloudError,
  publishService,
  sandbox,
  settleDeployments,
  supplier,
  uploadTemplate,
} from './helpers';

/** The managed layout of Alibaba's managed examples: what deploys sits under SupplierTemplateConfigs. */
function managedMetadata(url: string) {
  const [config] = deployMetadata(url).TemplateConfigs;
  return {
    TemplateConfigs: [{ Name: config.Name }],
    SupplierDeployMetadata: {
      RoleName: 'ComputeNestSupplierDeployRole',
      UserType: 'Aliyun',
      SupplierTemplateConfigs: [config],
    },
  };
}

describe('a managed service in the sandbox', () => {
  let box: Sandbox;
  let api: SupplierApi;
  beforeEach(async () => {
    box = await sandbox();
    api = supplier(box);
  });
  afterEach(() => box.close());

  it('deploys an order from SupplierTemplateConfigs (its TemplateConfigs carry the name only)', async () => {
    const url = await uploadTemplate(box, api);
    const service = await publishService(box, api, {
      ServiceType: 'managed',
      TenantType: 'SingleTenant',
      DeployMetadata: managedMetadata(url),
    });
    const { ServiceInstanceId } = await api.createServiceInstance({
      ServiceId: service.serviceId,
      TemplateName: 'Standard',
      SpecificationName: 'Premium',
      Parameters: { AdminPassword: 'Passw0rd123' },
    });
    settleDeployments(box);
    const deployed = await api.getServiceInstance({ ServiceInstanceId: ServiceInstanceId! });
    expect(deployed.Status).toBe('Deployed');
    // The plan of the supplier template config was applied.
    expect(JSON.parse(String(deployed.Parameters))).toMatchObject({ InstanceType: ['ecs.c7.xlarge'] });
  });

  it("refuses CreateService without SupplierTemplateConfigs, with computenest-cli's KeyError", async () => {
    const url = await uploadTemplate(box, api);
    await expectCloudError(
      api.createService({
        DeployType: 'ros',
        ServiceType: 'managed',
        ServiceInfo: [{ Locale: 'en-US', Name: 'Managed', ShortDescription: 'managed' }],
        DeployMetadata: JSON.stringify(deployMetadata(url)),
      }),
      'InvalidParameter',
      400,
    );
    await expect(
      api.createService({
        DeployType: 'ros',
        ServiceType: 'managed',
        ServiceInfo: [{ Locale: 'en-US', Name: 'Managed', ShortDescription: 'managed' }],
        DeployMetadata: JSON.stringify({ ...deployMetadata(url), SupplierDeployMetadata: {} }),
      }),
    ).rejects.toThrow(/KeyError: 'SupplierTemplateConfigs'/);
    expect(Object.keys(box.core.state.services)).toEqual([]);
  });

  it('refuses UpdateService that turns a private draft managed without them, and keeps the draft', async () => {
    const url = await uploadTemplate(box, api);
    const { ServiceId } = await api.createService({
      DeployType: 'ros',
      ServiceType: 'private',
      ServiceInfo: [{ Locale: 'en-US', Name: 'Private', ShortDescription: 'private' }],
      DeployMetadata: JSON.stringify(deployMetadata(url)),
    });
    await expect(api.updateService({ ServiceId: ServiceId!, ServiceType: 'managed' })).rejects.toThrow(
      /KeyError: 'SupplierDeployMetadata'/,
    );
    expect(box.core.state.services[ServiceId!].versions.draft.ServiceType).toBe('private');
    await api.updateService({
      ServiceId: ServiceId!,
      ServiceType: 'managed',
      DeployMetadata: JSON.stringify(managedMetadata(url)),
    });
    expect(box.core.state.services[ServiceId!].versions.draft.ServiceType).toBe('managed');
  });
});
