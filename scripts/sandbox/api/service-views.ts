import type { CommodityRecord, RegistrationRecord, ServiceRecord, ServiceVersionRecord } from '../state';

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
    ...typedFields(version.fields),
    Commodity: commodityView(version.Commodity),
    RegistrationId: version.RegistrationId,
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

/** GetService's scalar fields of the model that are not strings (kept as sent, a string, in state). */
const LONG_FIELDS = new Set(['TrialDuration', 'Duration']);
const BOOLEAN_FIELDS = new Set(['IsSupportOperated']);

function typedFields(fields: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [
      name,
      LONG_FIELDS.has(name)
        ? Number(value)
        : BOOLEAN_FIELDS.has(name)
          ? value.toLowerCase() === 'true'
          : value,
    ]),
  );
}

/**
 * GetService returns the binding under the model's MarketplaceMetadata (SpecificationMappings,
 * MeteringEntityMappings) rather than echoing the UpdateService input. ComponentsMappings are documented
 * as not public and returned only under CssMetadata (another sales channel): [I] shown there only when
 * some were sent. [I] Type Marketplace and ChargeType PREPAY for every binding.
 */
function commodityView(commodity: CommodityRecord | undefined): Record<string, unknown> | undefined {
  if (!commodity) return undefined;
  const metering = commodity.MeteringEntityMappings as
    { TemplateName?: string; SpecificationName?: string; EntityIds?: string[] }[] | undefined;
  return {
    Type: 'Marketplace',
    ChargeType: 'PREPAY',
    MarketplaceMetadata: {
      SpecificationMappings: commodity.SpecificationMappings ?? [],
      // The request sends EntityIds as a list; the model's response has one string [I: comma-joined].
      ...(metering
        ? {
            MeteringEntityMappings: metering.map((m) => ({ ...m, EntityIds: (m.EntityIds ?? []).join(',') })),
          }
        : {}),
    },
    ...(commodity.ComponentsMappings?.length
      ? { CssMetadata: { ComponentsMappings: commodity.ComponentsMappings } }
      : {}),
  };
}

/** How a review reads in GetServiceRegistration. */
export function registrationView(registration: RegistrationRecord): Record<string, unknown> {
  return {
    RegistrationId: registration.RegistrationId,
    ServiceId: registration.ServiceId,
    ServiceVersion: registration.ServiceVersion,
    Status: registration.Status,
    Comment: registration.Comment,
    SubmitTime: registration.SubmitTime,
    FinishTime: registration.FinishTime,
    ServiceInfo: { VersionName: registration.VersionName, ServiceType: registration.ServiceType },
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
