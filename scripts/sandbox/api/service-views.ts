import type { CommodityRecord, ServiceRecord, ServiceVersionRecord } from '../state';

/** How a service version reads in GetService and ListServices. */
export function serviceView(service: ServiceRecord, version: ServiceVersionRecord): Record<string, unknown> {
  return {
    ServiceId: service.ServiceId,
    Version: version.Version,
    VersionName: version.VersionName,
    Status: version.Status,
    StatusDetail: version.StatusDetail,
    DeployType: version.DeployType,
    ServiceType: version.ServiceType,
    ServiceInfos: version.ServiceInfos,
    ...version.fields,
    DefaultVersion: service.defaultVersion === version.Version,
    Commodity: commodityView(version.Commodity),
    CreateTime: version.CreateTime,
    UpdateTime: version.UpdateTime,
    PublishTime: version.PublishTime,
    SupplierName: 'sandbox-supplier',
  };
}

export function summaryView(service: ServiceRecord, version: ServiceVersionRecord): Record<string, unknown> {
  return {
    ServiceId: service.ServiceId,
    Version: version.Version,
    VersionName: version.VersionName,
    Status: version.Status,
    DeployType: version.DeployType,
    ServiceType: version.ServiceType,
    ServiceInfos: version.ServiceInfos,
    DefaultVersion: service.defaultVersion === version.Version,
    HasDraft: service.versions.draft !== undefined,
    HasBeta: Object.values(service.versions).some((v) => v.Status === 'Beta'),
    CreateTime: version.CreateTime,
    UpdateTime: version.UpdateTime,
    PublishTime: version.PublishTime,
    SupplierName: 'sandbox-supplier',
  };
}

/**
 * [I] GetService returns the binding under Marketplace/Css metadata rather than echoing the
 * UpdateService input; the shape follows the SDK model, the mapping from input is a guess.
 */
function commodityView(commodity: CommodityRecord | undefined): Record<string, unknown> | undefined {
  if (!commodity) return undefined;
  return {
    Type: 'Marketplace',
    ChargeType: 'PREPAY',
    MarketplaceMetadata: { SpecificationMappings: commodity.SpecificationMappings ?? [] },
    CssMetadata: { ComponentsMappings: commodity.ComponentsMappings ?? [] },
  };
}

/** Versions in order: numbered ascending, then the draft. */
export function orderedVersions(service: ServiceRecord): ServiceVersionRecord[] {
  return Object.values(service.versions).sort((a, b) => versionRank(a.Version) - versionRank(b.Version));
}

function versionRank(version: string): number {
  return version === 'draft' ? Number.MAX_SAFE_INTEGER : Number(version);
}

/** The version an unversioned read means: [I] the default, else the newest numbered one, else the draft. */
export function currentVersion(service: ServiceRecord): ServiceVersionRecord | undefined {
  if (service.defaultVersion && service.versions[service.defaultVersion])
    return service.versions[service.defaultVersion];
  const versions = orderedVersions(service);
  return versions.filter((v) => v.Version !== 'draft').pop() ?? service.versions.draft;
}
