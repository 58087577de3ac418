import type { SupplierApi } from '../cloud';
import { pickServiceVersions, serviceFilter } from '../cloud/find-service';
import type { ServiceModel } from '../../service-config/model';

/** The Compute Nest service of this service description, found exactly as `nestkit publish` finds it. */
export async function findServiceId(supplier: SupplierApi, model: ServiceModel): Promise<string | undefined> {
  const identity = { serviceId: model.service.id, name: model.service.name['en-US'] };
  const items = await supplier.listAllServices({ AllVersions: true, Filter: [serviceFilter(identity)] });
  return pickServiceVersions(items, identity)[0]?.ServiceId;
}
