import type { SupplierApi } from '../../../scripts/cloud/supplier';
import type { Sandbox } from '../../../scripts/sandbox';
import { deployMetadata, publishService, settleDeployments, uploadTemplate } from '../sandbox/helpers';

export const GOOD = { AdminPassword: 'Passw0rd123' };
export const UPGRADE_METADATA = {
  Description: 'upgrade',
  SupportUpgradeFromVersions: [],
  SupportRollback: true,
  UpgradeComponents: ['Configuration', 'Resource'],
};

/** The next numbered version of a service, Online and the default, through the official flow. */
export async function publishNextVersion(
  box: Sandbox,
  api: SupplierApi,
  serviceId: string,
  upgradeMetadata: object | null = UPGRADE_METADATA,
): Promise<string> {
  const url = await uploadTemplate(box, api);
  await api.createService({
    ServiceId: serviceId,
    DeployType: 'ros',
    ServiceType: 'private',
    VersionName: 'next',
    ServiceInfo: [{ Locale: 'en-US', Name: 'Demo SaaS', ShortDescription: 'demo' }],
    DeployMetadata: JSON.stringify(deployMetadata(url)),
    ...(upgradeMetadata ? { UpgradeMetadata: JSON.stringify(upgradeMetadata) } : {}),
  });
  const { RegistrationId } = await api.registerService({ ServiceId: serviceId });
  box.advance(box.core.timings.approvalSeconds);
  await api.getServiceRegistration({ RegistrationId });
  const launched = await api.launchService({ ServiceId: serviceId, ServiceVersion: 'draft' });
  return launched.Version!;
}

/** A service on version 1 with `count` deployed instances, then version 2 published beside it. */
export async function fleet(
  box: Sandbox,
  api: SupplierApi,
  count: number,
  upgradeMetadata: object | null = UPGRADE_METADATA,
) {
  const v1 = await publishService(box, api, { UpgradeMetadata: UPGRADE_METADATA });
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const created = await api.createServiceInstance({
      ServiceId: v1.serviceId,
      TemplateName: 'Standard',
      SpecificationName: 'Basic',
      Parameters: GOOD,
      ServiceVersion: v1.version,
    });
    ids.push(created.ServiceInstanceId!);
  }
  settleDeployments(box);
  const v2 = await publishNextVersion(box, api, v1.serviceId, upgradeMetadata);
  return { serviceId: v1.serviceId, from: v1.version, to: v2, ids };
}
