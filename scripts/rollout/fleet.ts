import { CloudError, type SupplierApi } from '../cloud';
import { isTransient } from '../cloud/retry';
import type { RolloutClock } from './clock';
import type { LiveInstance } from './model';
import { forEachLimited } from './pool';
import { parseUpgradeMetadata, type UpgradeMetadata } from './upgrade-metadata';

/** How long a call is retried through transient failures (throttling, 5xx, no answer) before the rollout gives up on it. */
export const PATIENCE_MS = 3600_000;

/**
 * Calls `call` until it answers or fails for good, waiting on the rollout's clock between transient
 * failures (the client has already retried a few times): a throttled or unavailable API only slows a
 * rollout down.
 */
export async function patiently<T>(
  clock: RolloutClock,
  call: () => Promise<T>,
  onWait?: (e: CloudError) => void,
): Promise<T> {
  const started = clock.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof CloudError) || !isTransient(error) || clock.now() - started > PATIENCE_MS)
        throw error;
      onWait?.(error);
      await clock.sleep(Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)));
    }
  }
}

type Summary = NonNullable<
  Awaited<ReturnType<SupplierApi['listServiceInstances']>>['ServiceInstances']
>[number];

export function liveInstance(item: Summary): LiveInstance {
  return {
    id: item.ServiceInstanceId ?? '',
    version: item.Service?.Version ?? '',
    versionName: item.Service?.VersionName,
    status: item.Status ?? '',
    bizStatus: item.BizStatus,
  };
}

/** Every instance of the service Compute Nest lists (deleted ones are not listed). */
export async function listFleet(
  supplier: SupplierApi,
  clock: RolloutClock,
  serviceId: string,
): Promise<LiveInstance[]> {
  const fleet: LiveInstance[] = [];
  let token: string | undefined;
  do {
    const page = await patiently(clock, () =>
      supplier.listServiceInstances({
        Filter: [{ Name: 'ServiceId', Value: [serviceId] }],
        MaxResults: 100,
        NextToken: token,
      }),
    );
    fleet.push(...(page.ServiceInstances ?? []).map(liveInstance));
    token = page.NextToken;
  } while (token);
  return fleet;
}

/** [I] How many ids one ServiceInstanceId filter may carry: the model does not say; 50 is modest. */
export const IDS_PER_LOOK = 50;

/**
 * The current state of these instances, one ListServiceInstances call per 50 ids instead of a
 * GetServiceInstance each (the rate limit is the rollout's budget). An id missing from the answer is
 * read with GetServiceInstance, and gone only when that finds no such instance.
 */
export async function lookAt(
  supplier: SupplierApi,
  clock: RolloutClock,
  serviceId: string,
  ids: string[],
): Promise<Map<string, LiveInstance>> {
  const found = new Map<string, LiveInstance>();
  const chunks: string[][] = [];
  for (let start = 0; start < ids.length; start += IDS_PER_LOOK)
    chunks.push(ids.slice(start, start + IDS_PER_LOOK));
  // A few at once, so the rate limit, not the round trip, sets the pace.
  await forEachLimited(chunks, 4, async (chunk) => {
    let token: string | undefined;
    do {
      const page = await patiently(clock, () =>
        supplier.listServiceInstances({
          Filter: [
            { Name: 'ServiceId', Value: [serviceId] },
            { Name: 'ServiceInstanceId', Value: chunk },
          ],
          MaxResults: 100,
          NextToken: token,
        }),
      );
      for (const item of page.ServiceInstances ?? [])
        found.set(item.ServiceInstanceId ?? '', liveInstance(item));
      token = page.NextToken;
    } while (token);
  });
  // A list may answer short (a backend that has not caught up): an instance is gone only when Get says so.
  const missing = ids.filter((id) => !found.has(id));
  await forEachLimited(missing, 4, async (id) => void found.set(id, await getOne(supplier, clock, id)));
  return found;
}

async function getOne(supplier: SupplierApi, clock: RolloutClock, id: string): Promise<LiveInstance> {
  try {
    const instance = await patiently(clock, () => supplier.getServiceInstance({ ServiceInstanceId: id }));
    return liveInstance({ ...instance, ServiceInstanceId: id });
  } catch (error) {
    if (error instanceof CloudError && error.code.startsWith('EntityNotExist'))
      return { id, version: '', status: 'Deleted' };
    throw error;
  }
}

export interface TargetVersion {
  version: string;
  metadata: UpgradeMetadata | undefined;
}

/** The version to upgrade to (`--to`, else the service's default) and its UpgradeMetadata. */
export async function targetVersion(
  supplier: SupplierApi,
  clock: RolloutClock,
  serviceId: string,
  wanted: string | undefined,
): Promise<TargetVersion> {
  const service = await patiently(clock, () =>
    supplier.getService({ ServiceId: serviceId, ...(wanted ? { ServiceVersion: wanted } : {}) }),
  );
  return {
    version: service.Version ?? wanted ?? '',
    metadata: parseUpgradeMetadata(service.UpgradeMetadata),
  };
}

/** The instance's outputs (GetServiceInstance: the list carries none), parsed. */
export async function outputsOf(
  supplier: SupplierApi,
  clock: RolloutClock,
  id: string,
): Promise<Record<string, unknown>> {
  const instance = await patiently(clock, () => supplier.getServiceInstance({ ServiceInstanceId: id }));
  try {
    return instance.Outputs ? (JSON.parse(instance.Outputs) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
