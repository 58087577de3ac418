import type { SupplierApi } from '../cloud';
import type { ServiceModel } from '../../service-config/model';
import { CallRecorder } from '../publish/calls';
import { findServiceVersions } from '../publish/remote';

/** The Compute Nest service of this service description, found exactly as `nestkit publish` finds it. */
export async function findServiceId(supplier: SupplierApi, model: ServiceModel): Promise<string | undefined> {
  const versions = await findServiceVersions(supplier, new CallRecorder(), {
    serviceId: model.service.id,
    name: model.service.name['en-US'],
  });
  return versions[0]?.ServiceId;
}
