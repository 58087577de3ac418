import { denied, invalid, notFound } from '../errors';
import type { SandboxCore } from '../core';
import type { CommodityRecord, ServiceRecord, ServiceVersionRecord } from '../state';
import { page } from './paging';
import { bool, filters, integer, json, optional, required, structs, type Params } from './params';
import { read, write, type ActionContext, type ActionTable } from './registry';
import { currentVersion, orderedVersions, serviceView, summaryView } from './service-views';

/** Service-level fields kept as sent. The JSON ones must parse. */
const JSON_FIELDS = [
  'DeployMetadata',
  'OperationMetadata',
  'UpgradeMetadata',
  'LicenseMetadata',
  'AlarmMetadata',
  'LogMetadata',
];
const PLAIN_FIELDS = [
  'ShareType',
  'ApprovalType',
  'TenantType',
  'TrialDuration',
  'ResourceGroupId',
  'IsSupportOperated',
  'PolicyNames',
  'Duration',
];

export const serviceActions: ActionTable = {
  CreateService: write(createService),
  UpdateService: write(updateService),
  GetService: read(getService),
  ListServices: read(listServices),
  DeleteService: write(deleteService),
  RegisterService: write(registerService),
  PreLaunchService: write(preLaunchService),
  LaunchService: write(launchService),
};

export function findService(core: SandboxCore, accountId: string, serviceId: string): ServiceRecord {
  const service = core.state.services[serviceId];
  if (!service || service.AccountId !== accountId) throw notFound('Service', serviceId);
  return service;
}

export function findVersion(service: ServiceRecord, version: string | undefined): ServiceVersionRecord {
  const found = version === undefined ? currentVersion(service) : service.versions[version];
  // [V] computenest-cli relies on EntityNotExist.Service for a missing draft.
  if (!found) throw notFound('Service', `${service.ServiceId}:${version ?? 'default'}`);
  return found;
}

function createService({ core, params, caller }: ActionContext) {
  required(params, 'RegionId');
  const deployType = required(params, 'DeployType');
  const now = core.iso();
  const existingId = optional(params, 'ServiceId');
  const service: ServiceRecord = existingId
    ? findService(core, caller.accountId, existingId)
    : {
        ServiceId: core.newId('service-', 8),
        AccountId: caller.accountId,
        CreateTime: now,
        versions: {},
        lastVersion: 0,
      };
  // [I] One draft per service; a second CreateService with the ServiceId is refused.
  if (service.versions.draft)
    throw denied('DraftExists', `Service ${service.ServiceId} already has a draft; update it.`);
  const draft: ServiceVersionRecord = {
    Version: 'draft',
    Status: 'Draft',
    DeployType: deployType,
    ServiceInfos: [],
    fields: {},
    CreateTime: now,
    UpdateTime: now,
  };
  applyFields(draft, params);
  service.versions.draft = draft;
  core.state.services[service.ServiceId] = service;
  return { ServiceId: service.ServiceId, Version: 'draft', Status: 'Created' };
}

function updateService({ core, params, caller }: ActionContext) {
  required(params, 'RegionId');
  const service = findService(core, caller.accountId, required(params, 'ServiceId'));
  const version = findVersion(service, optional(params, 'ServiceVersion') ?? 'draft');
  const commodity = parseCommodity(params);
  const onlyCommodity = Object.keys(params).every((k) =>
    ['RegionId', 'ServiceId', 'ServiceVersion', 'Commodity', 'ClientToken', 'UpdateOption'].includes(k),
  );
  // [I] A draft is editable; later versions accept only a new Marketplace binding, and never while in review.
  if (version.Status === 'Submitted' || (version.Status !== 'Draft' && !onlyCommodity)) {
    throw denied(
      'ServiceStatus',
      `Version ${version.Version} of ${service.ServiceId} is ${version.Status} and cannot be changed.`,
    );
  }
  applyFields(version, params);
  if (commodity) version.Commodity = commodity;
  version.UpdateTime = core.iso();
  return {};
}

function applyFields(version: ServiceVersionRecord, params: Params): void {
  for (const name of JSON_FIELDS) {
    if (optional(params, name) === undefined) continue;
    json(params, name);
    version.fields[name] = params[name];
  }
  for (const name of PLAIN_FIELDS)
    if (optional(params, name) !== undefined) version.fields[name] = params[name];
  if (optional(params, 'DeployType')) version.DeployType = params.DeployType;
  if (optional(params, 'ServiceType')) version.ServiceType = params.ServiceType;
  if (optional(params, 'VersionName')) version.VersionName = params.VersionName;
  const infos = structs(params, 'ServiceInfo');
  if (infos.length > 0) {
    version.ServiceInfos = infos.map((info, i) => {
      if (!info.Locale || !info.Name) throw invalid(`ServiceInfo.${i + 1}`, 'Locale and Name are required.');
      return Object.fromEntries(Object.entries(info).filter(([, v]) => typeof v === 'string')) as Record<
        string,
        string
      >;
    });
  }
}

function parseCommodity(params: Params): CommodityRecord | undefined {
  const commodity = json<CommodityRecord>(params, 'Commodity');
  if (commodity === undefined) return undefined;
  if (typeof commodity !== 'object' || commodity === null || Array.isArray(commodity))
    throw invalid('Commodity', 'Expected a JSON object.');
  for (const [i, m] of (commodity.SpecificationMappings ?? []).entries()) {
    if (
      typeof m?.SpecificationCode !== 'string' ||
      typeof m.TemplateName !== 'string' ||
      typeof m.SpecificationName !== 'string'
    ) {
      throw invalid(
        'Commodity',
        `SpecificationMappings[${i}] needs SpecificationCode, TemplateName and SpecificationName.`,
      );
    }
  }
  return commodity;
}

function getService({ core, params, caller }: ActionContext) {
  required(params, 'RegionId');
  const service = findService(core, caller.accountId, required(params, 'ServiceId'));
  return serviceView(service, findVersion(service, optional(params, 'ServiceVersion')));
}

function listServices({ core, params, caller }: ActionContext) {
  required(params, 'RegionId');
  const allVersions = bool(params, 'AllVersions');
  const maxResults = integer(params, 'MaxResults', 20, 1, 100);
  const wanted = filters(params);
  const rows: Record<string, unknown>[] = [];
  for (const service of Object.values(core.state.services)) {
    if (service.AccountId !== caller.accountId) continue;
    const versions = allVersions
      ? orderedVersions(service)
      : [currentVersion(service)].filter((v) => v !== undefined);
    for (const version of versions) {
      if (wanted.every((f) => serviceMatches(f.Name, f.Value, service, version)))
        rows.push(summaryView(service, version));
    }
  }
  const result = page(rows, maxResults, optional(params, 'NextToken'));
  return {
    Services: result.items,
    NextToken: result.nextToken,
    TotalCount: String(rows.length),
    MaxResults: maxResults,
  };
}

function serviceMatches(
  name: string,
  values: string[],
  service: ServiceRecord,
  version: ServiceVersionRecord,
): boolean {
  if (values.length === 0) return true;
  switch (name) {
    case 'ServiceId':
      return values.includes(service.ServiceId);
    case 'Status':
      return values.includes(version.Status);
    case 'Version':
      return values.includes(version.Version);
    case 'SupplierName':
      return values.includes('sandbox-supplier');
    case 'Name':
      return version.ServiceInfos.some((info) => values.some((v) => fuzzy(v, info.Name ?? '')));
    default:
      throw invalid('Filter', `Unknown filter name ${name}.`);
  }
}

/** `*x*` matches a substring; anything else matches exactly. */
export function fuzzy(pattern: string, text: string): boolean {
  return pattern.startsWith('*') && pattern.endsWith('*') && pattern.length > 1
    ? text.includes(pattern.slice(1, -1))
    : pattern === text;
}

function deleteService({ core, params, caller }: ActionContext) {
  required(params, 'RegionId');
  const service = findService(core, caller.accountId, required(params, 'ServiceId'));
  const versionName = optional(params, 'ServiceVersion');
  // [I] Without ServiceVersion the whole service goes.
  const versions =
    versionName === undefined ? Object.values(service.versions) : [findVersion(service, versionName)];
  for (const version of versions) {
    if (version.Status === 'Online' || version.Status === 'Submitted') {
      throw denied('ServiceStatus', `Version ${version.Version} is ${version.Status}; it cannot be deleted.`);
    }
    const inUse = Object.values(core.state.instances).some(
      (i) =>
        i.ServiceId === service.ServiceId && i.ServiceVersion === version.Version && i.Status !== 'Deleted',
    );
    if (inUse)
      throw denied('ServiceInstanceExists', `Version ${version.Version} still has service instances.`);
  }
  for (const version of versions) delete service.versions[version.Version];
  if (service.defaultVersion && !service.versions[service.defaultVersion]) service.defaultVersion = undefined;
  if (Object.keys(service.versions).length === 0) delete core.state.services[service.ServiceId];
  return {};
}

/** [I] Submitting turns the draft into the next numbered version, in review until approved on the clock. */
function registerService({ core, params, caller }: ActionContext) {
  required(params, 'RegionId');
  const service = findService(core, caller.accountId, required(params, 'ServiceId'));
  const draft = findVersion(service, optional(params, 'ServiceVersion') ?? 'draft');
  if (draft.Status !== 'Draft')
    throw denied('ServiceStatus', `Version ${draft.Version} is ${draft.Status}, not Draft.`);
  service.lastVersion += 1;
  const number = String(service.lastVersion);
  service.versions[number] = { ...draft, Version: number, Status: 'Submitted', UpdateTime: core.iso() };
  delete service.versions[draft.Version];
  core.schedule(
    'service.approve',
    `${service.ServiceId}:${number}`,
    core.now() + core.timings.approvalSeconds * 1000,
  );
  return {};
}

function preLaunchService({ core, params, caller }: ActionContext) {
  required(params, 'RegionId');
  const service = findService(core, caller.accountId, required(params, 'ServiceId'));
  const name = optional(params, 'ServiceVersion');
  const version =
    name !== undefined
      ? findVersion(service, name)
      : orderedVersions(service)
          .filter((v) => v.Status === 'Approved')
          .pop();
  if (!version || version.Status !== 'Approved')
    throw denied('ServiceStatus', 'Only an Approved version can be pre-launched.');
  version.Status = 'Beta';
  version.UpdateTime = core.iso();
  return {};
}

function launchService({ core, params, caller }: ActionContext) {
  required(params, 'RegionId');
  const service = findService(core, caller.accountId, required(params, 'ServiceId'));
  const version = findVersion(service, required(params, 'ServiceVersion'));
  if (version.Status !== 'Approved' && version.Status !== 'Beta') {
    throw denied(
      'ServiceStatus',
      `Version ${version.Version} is ${version.Status}; only Approved versions can be launched.`,
    );
  }
  version.Status = 'Online';
  version.PublishTime = version.UpdateTime = core.iso();
  service.defaultVersion = version.Version;
  return {};
}

export function approveOnTimer(core: SandboxCore, ref: string): void {
  const [serviceId, number] = ref.split(':');
  const version = core.state.services[serviceId]?.versions[number];
  if (version?.Status !== 'Submitted') return;
  version.Status = 'Approved';
  version.UpdateTime = core.iso();
}
