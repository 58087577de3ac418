import type { ListServicesRequest, ServiceCommodity, ServiceSummary, SupplierApi } from '../cloud';
import type { RegionOptional } from '../cloud/client';
import {
  pickServiceVersions,
  serviceFilter,
  ServiceLookupError,
  type ServiceIdentity,
} from '../cloud/find-service';
import type { CallRecorder } from './calls';
import type { DesiredService } from './desired';
import { DRAFT, holderOf, PublishConflict, type RemoteState, type RemoteVersion } from './plan';

/** The version read in full, against which `--dry-run` shows its diff. */
export interface Baseline {
  version: string;
  versionName?: string;
  status: string;
  deployMetadata?: unknown;
  commodity?: ServiceCommodity;
  /** The review the version was last submitted with (GetService `RegistrationId`). */
  registrationId?: string;
}

export interface RemoteRead extends RemoteState {
  /** How the service was found: by the id in service.yaml, by its name, or not at all (a new service). */
  foundBy: 'id' | 'name' | 'none';
  baseline?: Baseline;
}

/**
 * Reads what publish needs in two calls: ListServices with AllVersions (every version's name and status),
 * then GetService of one version for its DeployMetadata and Marketplace mappings.
 */
export async function readRemote(
  api: SupplierApi,
  calls: CallRecorder,
  desired: DesiredService,
): Promise<RemoteRead> {
  const summaries = await findServiceVersions(api, calls, desired);
  const serviceId = summaries[0]?.ServiceId;
  if (!serviceId) return { foundBy: 'none', versions: [] };
  const versions = summaries.map(toRemoteVersion);
  const baseline = await readBaseline(api, calls, serviceId, pickBaseline(desired, versions));
  const holder = holderOf(desired, versions);
  const held = holder && holder.version === baseline.version;
  return {
    foundBy: desired.serviceId ? 'id' : 'name',
    serviceId,
    versions,
    baseline,
    commodity: held ? baseline.commodity : undefined,
    registrationId: held ? baseline.registrationId : undefined,
  };
}

/**
 * Every version of the service (ListServices with AllVersions), found by id or by exact name; empty
 * when no service has the name. The lookup itself is `scripts/cloud/find-service.ts`, which the lifecycle
 * hook uses too; here each page is recorded, and a lookup that names no single service is a conflict.
 */
export async function findServiceVersions(
  api: SupplierApi,
  calls: CallRecorder,
  desired: ServiceIdentity,
): Promise<ServiceSummary[]> {
  const items = await listAll(api, calls, { AllVersions: true, Filter: [serviceFilter(desired)] });
  try {
    return pickServiceVersions(items, desired);
  } catch (error) {
    throw error instanceof ServiceLookupError ? new PublishConflict(error.message) : error;
  }
}

/** Every page, each recorded as its own call; one page holds 100 versions. */
export async function listAll(
  api: SupplierApi,
  calls: CallRecorder,
  request: Omit<RegionOptional<ListServicesRequest>, 'NextToken' | 'MaxResults'>,
): Promise<ServiceSummary[]> {
  const items: ServiceSummary[] = [];
  let NextToken: string | undefined;
  do {
    const params = { ...request, MaxResults: 100, NextToken };
    const page = await calls.call('ListServices', false, params, () => api.listServices(params));
    items.push(...(page.Services ?? []));
    NextToken = page.NextToken || undefined;
  } while (NextToken);
  return items;
}

function toRemoteVersion(s: ServiceSummary): RemoteVersion {
  return {
    version: s.Version ?? '',
    versionName: s.VersionName,
    status: s.Status ?? '',
    updateTime: s.UpdateTime,
    defaultVersion: s.DefaultVersion,
  };
}

/** The holder of the desired content, else the draft it would replace, else the default version. */
function pickBaseline(desired: DesiredService, versions: RemoteVersion[]): RemoteVersion {
  return (
    holderOf(desired, versions) ??
    versions.find((v) => v.version === DRAFT) ??
    versions.find((v) => v.defaultVersion) ??
    versions[versions.length - 1]
  );
}

async function readBaseline(
  api: SupplierApi,
  calls: CallRecorder,
  serviceId: string,
  version: RemoteVersion,
): Promise<Baseline> {
  const request = { ServiceId: serviceId, ServiceVersion: version.version };
  const service = await calls.call('GetService', false, request, () => api.getService(request));
  return {
    version: service.Version ?? version.version,
    versionName: service.VersionName,
    status: service.Status ?? version.status,
    deployMetadata: parseJson(service.DeployMetadata),
    commodity: service.Commodity,
    registrationId: service.RegistrationId,
  };
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
