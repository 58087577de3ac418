import { managedLayoutProblem } from '../../../cdk/ros/managed-layout';
import { ApiError, denied, invalid, notFound } from '../errors';
import type { SandboxCore } from '../core';
import type { CommodityRecord, RegistrationRecord, ServiceRecord, ServiceVersionRecord } from '../state';
import { page } from './paging';
import { bool, filters, integer, json, optional, required, structs, type Params } from './params';
import { read, write, type ActionContext, type ActionTable } from './registry';
import { currentVersion, orderedVersions, registrationView, serviceView, summaryView } from './service-views';

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
  GetServiceRegistration: read(getServiceRegistration),
  PreLaunchService: write(preLaunchService),
  LaunchService: write(launchService),
  WithdrawService: write(withdrawService),
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
  refuseManagedWithoutSupplierTemplates(draft, params);
  applyFields(draft, params);
  service.versions.draft = draft;
  core.state.services[service.ServiceId] = service;
  return { ServiceId: service.ServiceId, Version: 'draft', Status: 'Created' };
}

function updateService({ core, params, caller }: ActionContext) {
  const service = findService(core, caller.accountId, required(params, 'ServiceId'));
  const version = findVersion(service, optional(params, 'ServiceVersion') ?? 'draft');
  const commodity = parseCommodity(params);
  const onlyCommodity = Object.keys(params).every((k) =>
    ['RegionId', 'ServiceId', 'ServiceVersion', 'Commodity', 'ClientToken', 'UpdateOption'].includes(k),
  );
  // [I] A Draft draft is editable; an Approved draft and numbered versions accept only a new Marketplace
  // binding (UpdateService with Commodity alone), and nothing is changed while in review.
  if (version.Status === 'Submitted' || (version.Status !== 'Draft' && !onlyCommodity)) {
    throw denied(
      'ServiceStatus',
      `Version ${version.Version} of ${service.ServiceId} is ${version.Status} and cannot be changed.`,
    );
  }
  refuseManagedWithoutSupplierTemplates(version, params);
  applyFields(version, params);
  if (commodity) version.Commodity = commodity;
  version.UpdateTime = core.iso();
  return {};
}

/**
 * [I] A managed service (deployed in the provider account) needs its templates under
 * SupplierDeployMetadata.SupplierTemplateConfigs; refused with the error computenest-cli's check raises.
 */
function refuseManagedWithoutSupplierTemplates(version: ServiceVersionRecord, params: Params): void {
  const serviceType = optional(params, 'ServiceType') ?? version.ServiceType;
  const text = optional(params, 'DeployMetadata') ?? version.fields.DeployMetadata;
  if (serviceType !== 'managed' || text === undefined) return;
  let metadata: unknown;
  try {
    metadata = JSON.parse(text);
  } catch {
    return; // applyFields answers the parse error
  }
  const problem = managedLayoutProblem(serviceType, metadata);
  if (problem) throw invalid('DeployMetadata', problem.message);
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

/**
 * GetService: the model requires nothing (not even RegionId); the service is named by ServiceId, else by
 * the ServiceInstanceId of one of its instances, else by ServiceName (an exact name in some locale) [I].
 */
function getService({ core, params, caller }: ActionContext) {
  const service = findService(core, caller.accountId, serviceIdOf(core, caller.accountId, params));
  return serviceView(service, findVersion(service, optional(params, 'ServiceVersion')));
}

function serviceIdOf(core: SandboxCore, accountId: string, params: Params): string {
  const id = optional(params, 'ServiceId');
  if (id !== undefined) return id;
  const instanceId = optional(params, 'ServiceInstanceId');
  if (instanceId !== undefined) {
    const instance = core.state.instances[instanceId];
    if (!instance) throw notFound('ServiceInstance', instanceId);
    return instance.ServiceId;
  }
  const name = optional(params, 'ServiceName');
  if (name !== undefined) {
    const named = Object.values(core.state.services).find(
      (s) =>
        s.AccountId === accountId &&
        Object.values(s.versions).some((v) => v.ServiceInfos.some((info) => info.Name === name)),
    );
    if (!named) throw notFound('Service', name);
    return named.ServiceId;
  }
  throw invalid('ServiceId', 'Name the service by ServiceId, ServiceInstanceId or ServiceName.');
}

function listServices({ core, params, caller }: ActionContext) {
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
    TotalCount: rows.length,
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
  const service = findService(core, caller.accountId, required(params, 'ServiceId'));
  // ServiceVersion is required by the model: one version goes per call.
  const version = findVersion(service, required(params, 'ServiceVersion'));
  // [I] Online and in-review versions cannot be deleted (withdraw an Online one first).
  if (version.Status === 'Online' || version.Status === 'Submitted')
    throw denied('ServiceStatus', `Version ${version.Version} is ${version.Status}; it cannot be deleted.`);
  const inUse = Object.values(core.state.instances).some(
    (i) =>
      i.ServiceId === service.ServiceId && i.ServiceVersion === version.Version && i.Status !== 'Deleted',
  );
  if (inUse) throw denied('ServiceInstanceExists', `Version ${version.Version} still has service instances.`);
  delete service.versions[version.Version];
  if (service.defaultVersion === version.Version) service.defaultVersion = undefined;
  // [I] Deleting the last version deletes the service.
  if (Object.keys(service.versions).length === 0) delete core.state.services[service.ServiceId];
  return {};
}

/** Statuses of a draft that RegisterService accepts. [I] The failed ones can be fixed and resubmitted. */
const SUBMITTABLE = new Set(['Draft', 'CreateFailed', 'UpdateFailed']);

/**
 * RegisterService (ServiceId only) submits the draft for review and answers a RegistrationId; the review is
 * followed with GetServiceRegistration. [I] The draft keeps its version `draft` while it is reviewed (Status
 * Submitted, then Approved after `approvalSeconds` on the clock); it becomes a numbered version only when it
 * is launched or pre-launched.
 */
function registerService({ core, params, caller }: ActionContext) {
  const service = findService(core, caller.accountId, required(params, 'ServiceId'));
  const draft = service.versions.draft;
  if (!draft) throw notFound('Service', `${service.ServiceId}:draft`);
  if (!SUBMITTABLE.has(draft.Status))
    throw denied('ServiceStatus', `The draft of ${service.ServiceId} is ${draft.Status}, not Draft.`);
  const registration: RegistrationRecord = {
    RegistrationId: core.newId('sr-', 10),
    ServiceId: service.ServiceId,
    ServiceVersion: draft.Version,
    VersionName: draft.VersionName,
    ServiceType: draft.ServiceType,
    Status: 'Submitted',
    SubmitTime: core.iso(),
  };
  (service.registrations ??= []).push(registration);
  Object.assign(draft, {
    Status: 'Submitted',
    RegistrationId: registration.RegistrationId,
    UpdateTime: core.iso(),
  });
  core.schedule(
    'service.approve',
    `${service.ServiceId}:${registration.RegistrationId}`,
    core.now() + core.timings.approvalSeconds * 1000,
  );
  return { RegistrationId: registration.RegistrationId };
}

function getServiceRegistration({ core, params, caller }: ActionContext) {
  // Not required by the model, but there is nothing to read without it.
  const id = optional(params, 'RegistrationId');
  if (id === undefined) throw invalid('RegistrationId', 'Name the registration to read.');
  for (const service of Object.values(core.state.services)) {
    if (service.AccountId !== caller.accountId) continue;
    const found = service.registrations?.find((r) => r.RegistrationId === id);
    if (found) return registrationView(found);
  }
  throw new ApiError(
    404,
    'EntityNotExist.ServiceRegistration',
    `The specified registration ${id} does not exist.`,
  );
}

/**
 * PreLaunchService (ServiceId only: the model has no version) pre-releases the Approved draft.
 * [I] It becomes the next numbered version with Status Beta; find its number with ListServices{AllVersions}.
 */
function preLaunchService({ core, params, caller }: ActionContext) {
  const service = findService(core, caller.accountId, required(params, 'ServiceId'));
  const draft = service.versions.draft;
  if (draft?.Status !== 'Approved')
    throw denied('ServiceStatus', `Service ${service.ServiceId} has no Approved draft to pre-launch.`);
  number(core, service, draft, 'Beta');
  return {};
}

/**
 * LaunchService of the Approved draft (ServiceVersion `draft`) publishes it as the next numbered version;
 * of a Beta version, publishes that version; of an Offline one, publishes it again. The launched version is
 * Online and the default [I]; other Online versions stay Online [I]. The answer names the version.
 */
function launchService({ core, params, caller }: ActionContext) {
  const service = findService(core, caller.accountId, required(params, 'ServiceId'));
  const version = findVersion(service, required(params, 'ServiceVersion'));
  let launched: ServiceVersionRecord;
  let result: 'PublishNewVersion' | 'PublishOfflineVersion';
  if (version.Version === 'draft') {
    if (version.Status !== 'Approved')
      throw denied('ServiceStatus', `The draft of ${service.ServiceId} is ${version.Status}, not Approved.`);
    launched = number(core, service, version, 'Online');
    result = 'PublishNewVersion';
  } else if (version.Status === 'Beta' || version.Status === 'Approved' || version.Status === 'Offline') {
    launched = version;
    // [I] A Beta version was never Online: launching it publishes a new version.
    result = version.Status === 'Offline' ? 'PublishOfflineVersion' : 'PublishNewVersion';
    launched.Status = 'Online';
  } else {
    throw denied(
      'ServiceStatus',
      `Version ${version.Version} is ${version.Status}; only an Approved draft, a Beta or an Offline version can be launched.`,
    );
  }
  launched.PublishTime = launched.UpdateTime = core.iso();
  service.defaultVersion = launched.Version;
  return { Version: launched.Version, ServiceLaunchResultType: result };
}

/**
 * WithdrawService takes an Online (or Beta [I]) version off sale: [I] it becomes Offline (a status the
 * GetService model lists, and LaunchService's `PublishOfflineVersion` publishes again). A withdrawn default
 * version passes the default to the newest other Online version, if any [I].
 */
function withdrawService({ core, params, caller }: ActionContext) {
  const service = findService(core, caller.accountId, required(params, 'ServiceId'));
  const version = findVersion(service, required(params, 'ServiceVersion'));
  if (version.Status !== 'Online' && version.Status !== 'Beta')
    throw denied(
      'ServiceStatus',
      `Version ${version.Version} is ${version.Status}; only Online or Beta versions can be withdrawn.`,
    );
  version.Status = 'Offline';
  version.UpdateTime = core.iso();
  if (service.defaultVersion === version.Version) {
    service.defaultVersion = orderedVersions(service)
      .filter((v) => v.Status === 'Online')
      .pop()?.Version;
  }
  return {};
}

/** The draft becomes the next numbered version in `status`; its review is executed. */
function number(
  core: SandboxCore,
  service: ServiceRecord,
  draft: ServiceVersionRecord,
  status: 'Online' | 'Beta',
): ServiceVersionRecord {
  service.lastVersion += 1;
  const Version = String(service.lastVersion);
  const numbered: ServiceVersionRecord = { ...draft, Version, Status: status, UpdateTime: core.iso() };
  service.versions[Version] = numbered;
  delete service.versions.draft;
  const registration = service.registrations?.find((r) => r.RegistrationId === draft.RegistrationId);
  if (registration) Object.assign(registration, { Status: 'Executed', ServiceVersion: Version });
  return numbered;
}

export function approveOnTimer(core: SandboxCore, ref: string): void {
  const [serviceId, registrationId] = ref.split(':');
  const service = core.state.services[serviceId];
  const registration = service?.registrations?.find((r) => r.RegistrationId === registrationId);
  if (registration?.Status !== 'Submitted') return;
  Object.assign(registration, { Status: 'Approved', FinishTime: core.iso() });
  const draft = service.versions.draft;
  if (draft?.RegistrationId === registrationId && draft.Status === 'Submitted') {
    draft.Status = 'Approved';
    draft.UpdateTime = core.iso();
  }
}
