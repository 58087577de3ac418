import type { SupplierApi } from '../cloud';
import type { ServiceModel } from '../../service-config/model';

/**
 * The Compute Nest service of this service description: its id from service.yaml, else the service
 * whose name (in any locale) equals ours. `ListServices` filters names fuzzily, so the match is exact here.
 */
export async function findServiceId(supplier: SupplierApi, model: ServiceModel): Promise<string | undefined> {
  if (model.service.id) return model.service.id;
  const names = Object.values(model.service.name);
  const services = await supplier.listAllServices({
    Filter: [{ Name: 'Name', Value: [model.service.name['en-US']] }],
  });
  return services.find((s) => (s.ServiceInfos ?? []).some((info) => names.includes(info.Name)))?.ServiceId;
}
