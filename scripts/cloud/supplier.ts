import { CloudClient, type CloudClientOptions } from './client';
import { collectAll, paginate } from './paging';
import * as T from './supplier-types';

const INSTANCE_JSON_FIELDS = ['Parameters', 'LicenseData'] as const;

/** The Compute Nest supplier API (2021-05-21), typed. Construct with `createSupplierApi`. */
export class SupplierApi {
  constructor(readonly client: CloudClient) {}

  createService(request: T.CreateServiceRequest) {
    return this.client.call<T.CreateServiceResponse>('CreateService', request, {
      jsonFields: T.SERVICE_JSON_FIELDS,
    });
  }
  updateService(request: T.UpdateServiceRequest) {
    return this.client.call<object>('UpdateService', request, { jsonFields: T.SERVICE_JSON_FIELDS });
  }
  getService(request: T.GetServiceRequest) {
    return this.client.call<T.GetServiceResponse>('GetService', request);
  }
  listServices(request: T.ListServicesRequest = {}) {
    return this.client.call<T.ListServicesResponse>('ListServices', request);
  }
  /** Every service (or version, with AllVersions) matching the filters, across pages. */
  listAllServices(request: Omit<T.ListServicesRequest, 'NextToken'> = {}) {
    return collectAll(async (NextToken) => {
      const page = await this.listServices({ MaxResults: 100, ...request, NextToken });
      return { items: page.Services ?? [], nextToken: page.NextToken };
    });
  }
  deleteService(request: T.ServiceVersionRequest) {
    return this.client.call<object>('DeleteService', request);
  }
  preLaunchService(request: T.ServiceVersionRequest) {
    return this.client.call<object>('PreLaunchService', request);
  }
  registerService(request: T.ServiceVersionRequest) {
    return this.client.call<object>('RegisterService', request);
  }
  launchService(request: T.LaunchServiceRequest) {
    return this.client.call<object>('LaunchService', request);
  }
  getUploadCredentials(request: T.GetUploadCredentialsRequest) {
    return this.client.call<T.GetUploadCredentialsResponse>('GetUploadCredentials', request);
  }
  createServiceInstance(request: T.CreateServiceInstanceRequest) {
    return this.client.call<T.CreateServiceInstanceResponse>('CreateServiceInstance', request, {
      jsonFields: INSTANCE_JSON_FIELDS,
    });
  }
  getServiceInstance(request: { ServiceInstanceId: string }) {
    return this.client.call<T.GetServiceInstanceResponse>('GetServiceInstance', request);
  }
  listServiceInstances(request: T.ListServiceInstancesRequest = {}) {
    return this.client.call<T.ListServiceInstancesResponse>('ListServiceInstances', request);
  }
  /** Iterates every instance matching the filters, 100 per page. */
  serviceInstances(request: Omit<T.ListServiceInstancesRequest, 'NextToken'> = {}) {
    return paginate(async (NextToken) => {
      const page = await this.listServiceInstances({ MaxResults: 100, ...request, NextToken });
      return { items: page.ServiceInstances ?? [], nextToken: page.NextToken };
    });
  }
  deleteServiceInstances(request: T.DeleteServiceInstancesRequest) {
    return this.client.call<object>('DeleteServiceInstances', request);
  }
  updateServiceInstanceAttribute(request: T.UpdateServiceInstanceAttributeRequest) {
    return this.client.call<object>('UpdateServiceInstanceAttribute', request, {
      jsonFields: INSTANCE_JSON_FIELDS,
    });
  }
  startServiceInstance(request: T.ServiceInstanceOperationRequest) {
    return this.client.call<object>('StartServiceInstance', request);
  }
  /** Changes a deployed instance's plan and parameters through an operation of ModifyParametersConfig. */
  updateServiceInstanceSpec(request: T.UpdateServiceInstanceSpecRequest) {
    return this.client.call<object>('UpdateServiceInstanceSpec', request, { jsonFields: ['Parameters'] });
  }
  stopServiceInstance(request: T.ServiceInstanceOperationRequest) {
    return this.client.call<object>('StopServiceInstance', request);
  }
}

export function createSupplierApi(options: Omit<CloudClientOptions, 'product'> = {}): SupplierApi {
  return new SupplierApi(new CloudClient({ ...options, product: 'supplier' }));
}
