import { CloudClient, type CloudClientOptions, type RegionOptional } from './client';
import { collectAll, paginate } from './paging';
import type * as T from './supplier-types';

/** The Compute Nest supplier API (2021-05-21), typed by the official model. Construct with `createSupplierApi`. */
export class SupplierApi {
  constructor(readonly client: CloudClient<T.SupplierActions>) {}

  createService(request: RegionOptional<T.CreateServiceRequest>) {
    return this.client.call('CreateService', request);
  }
  updateService(request: RegionOptional<T.UpdateServiceRequest>) {
    return this.client.call('UpdateService', request);
  }
  getService(request: RegionOptional<T.GetServiceRequest>) {
    return this.client.call('GetService', request);
  }
  listServices(request: RegionOptional<T.ListServicesRequest> = {}) {
    return this.client.call('ListServices', request);
  }
  /** Every service (or version, with AllVersions) matching the filters, across pages. */
  listAllServices(request: Omit<RegionOptional<T.ListServicesRequest>, 'NextToken'> = {}) {
    return collectAll(async (NextToken) => {
      const page = await this.listServices({ MaxResults: 100, ...request, NextToken });
      return { items: page.Services ?? [], nextToken: page.NextToken };
    });
  }
  deleteService(request: RegionOptional<T.DeleteServiceRequest>) {
    return this.client.call('DeleteService', request);
  }
  preLaunchService(request: RegionOptional<T.PreLaunchServiceRequest>) {
    return this.client.call('PreLaunchService', request);
  }
  registerService(request: RegionOptional<T.RegisterServiceRequest>) {
    return this.client.call('RegisterService', request);
  }
  getServiceRegistration(request: RegionOptional<T.GetServiceRegistrationRequest>) {
    return this.client.call('GetServiceRegistration', request);
  }
  launchService(request: RegionOptional<T.LaunchServiceRequest>) {
    return this.client.call('LaunchService', request);
  }
  withdrawService(request: RegionOptional<T.WithdrawServiceRequest>) {
    return this.client.call('WithdrawService', request);
  }
  getUploadCredentials(request: RegionOptional<T.GetUploadCredentialsRequest>) {
    return this.client.call('GetUploadCredentials', request);
  }
  createServiceInstance(request: RegionOptional<T.CreateServiceInstanceRequest>) {
    return this.client.call('CreateServiceInstance', request);
  }
  getServiceInstance(request: RegionOptional<T.GetServiceInstanceRequest>) {
    return this.client.call('GetServiceInstance', request);
  }
  listServiceInstances(request: RegionOptional<T.ListServiceInstancesRequest> = {}) {
    return this.client.call('ListServiceInstances', request);
  }
  /** Iterates every instance matching the filters, 100 per page. */
  serviceInstances(request: Omit<RegionOptional<T.ListServiceInstancesRequest>, 'NextToken'> = {}) {
    return paginate(async (NextToken) => {
      const page = await this.listServiceInstances({ MaxResults: 100, ...request, NextToken });
      return { items: page.ServiceInstances ?? [], nextToken: page.NextToken };
    });
  }
  deleteServiceInstances(request: RegionOptional<T.DeleteServiceInstancesRequest>) {
    return this.client.call('DeleteServiceInstances', request);
  }
  updateServiceInstanceAttribute(request: RegionOptional<T.UpdateServiceInstanceAttributeRequest>) {
    return this.client.call('UpdateServiceInstanceAttribute', request);
  }
  startServiceInstance(request: RegionOptional<T.StartServiceInstanceRequest>) {
    return this.client.call('StartServiceInstance', request);
  }
  stopServiceInstance(request: RegionOptional<T.StopServiceInstanceRequest>) {
    return this.client.call('StopServiceInstance', request);
  }
  restartServiceInstance(request: RegionOptional<T.RestartServiceInstanceRequest>) {
    return this.client.call('RestartServiceInstance', request);
  }
  /** Runs a failed deployment again (a `DeployedFailed` instance), with changed parameters if given. */
  continueDeployServiceInstance(request: RegionOptional<T.ContinueDeployServiceInstanceRequest>) {
    return this.client.call('ContinueDeployServiceInstance', request);
  }
  /** Tags resources (service instances here) after their creation. */
  tagResources(request: RegionOptional<T.TagResourcesRequest>) {
    return this.client.call('TagResources', request);
  }
  /** Starts the upgrade of a deployed instance to a newer version of its service (or checks it, DryRun). */
  upgradeServiceInstance(request: RegionOptional<T.UpgradeServiceInstanceRequest>) {
    return this.client.call('UpgradeServiceInstance', request);
  }
  /** Rolls an upgraded instance back to the version it had before. */
  rollbackServiceInstance(request: RegionOptional<T.RollbackServiceInstanceRequest>) {
    return this.client.call('RollbackServiceInstance', request);
  }
  listServiceInstanceUpgradeHistory(request: RegionOptional<T.ListServiceInstanceUpgradeHistoryRequest>) {
    return this.client.call('ListServiceInstanceUpgradeHistory', request);
  }
  /** Changes a deployed instance's plan and parameters through an operation of ModifyParametersConfig. */
  updateServiceInstanceSpec(request: RegionOptional<T.UpdateServiceInstanceSpecRequest>) {
    return this.client.call('UpdateServiceInstanceSpec', request);
  }
}

export function createSupplierApi(options: Omit<CloudClientOptions, 'product'> = {}): SupplierApi {
  return new SupplierApi(new CloudClient<T.SupplierActions>({ ...options, product: 'supplier' }));
}
