/**
 * How nestkit finds the Compute Nest service of a service description: by the id in service.yaml, else by
 * its exact name. Shared by `nestkit publish` and the lifecycle hook, so both always find the same service.
 */
import type { ServiceSummary } from './supplier-types';

/** What a service is found by: the id in service.yaml, else its name. */
export interface ServiceIdentity {
  serviceId?: string;
  name: string;
}

/** The lookup cannot name one service: the id names none, or several services carry the name. */
export class ServiceLookupError extends Error {
  constructor(
    readonly reason: 'missing' | 'ambiguous',
    message: string,
  ) {
    super(message);
    this.name = 'ServiceLookupError';
  }
}

/** The ListServices filter of the lookup (with `AllVersions`, every version of the service). */
export function serviceFilter(identity: ServiceIdentity): { Name: string; Value: string[] } {
  return identity.serviceId
    ? { Name: 'ServiceId', Value: [identity.serviceId] }
    : { Name: 'Name', Value: [identity.name] };
}

/**
 * The versions of the one service the listing (filtered by `serviceFilter`) shows for the identity; empty
 * when no service has the name. Pure, so publish can record its calls and the hook need not.
 */
export function pickServiceVersions(items: ServiceSummary[], identity: ServiceIdentity): ServiceSummary[] {
  if (identity.serviceId) {
    if (items.length === 0)
      throw new ServiceLookupError(
        'missing',
        `service ${identity.serviceId} (service.id in service.yaml) does not exist in this account and region; ` +
          'correct the id, or remove it to create a new service',
      );
    return items;
  }
  // [I] The Name filter may match loosely; only an exact name in some locale counts.
  const named = items.filter((s) => (s.ServiceInfos ?? []).some((i) => i.Name === identity.name));
  const ids = [...new Set(named.map((s) => s.ServiceId))];
  if (ids.length > 1) {
    throw new ServiceLookupError(
      'ambiguous',
      `${ids.length} services are named "${identity.name}" (${ids.join(', ')}); ` +
        'set service.id in service.yaml to the one to publish to',
    );
  }
  return named;
}
