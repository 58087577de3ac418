import { CloudClient, type CloudClientOptions, type RegionOptional } from './client';
import type * as G from '../api-models/generated/user';

export type UserActions = G.Actions;
export type UserCreateServiceInstanceRequest = G.CreateServiceInstanceRequest;
export type UserServiceInstance = G.GetServiceInstanceResponse;

/** The Compute Nest customer API (2021-06-01), typed by the official model. */
export class UserApi {
  constructor(readonly client: CloudClient<UserActions>) {}

  createServiceInstance(request: RegionOptional<G.CreateServiceInstanceRequest>) {
    return this.client.call('CreateServiceInstance', request);
  }
  getServiceInstance(request: RegionOptional<G.GetServiceInstanceRequest>) {
    return this.client.call('GetServiceInstance', request);
  }
  deleteServiceInstances(request: RegionOptional<G.DeleteServiceInstancesRequest>) {
    return this.client.call('DeleteServiceInstances', request);
  }
}

export function createUserApi(options: Omit<CloudClientOptions, 'product'> = {}): UserApi {
  return new UserApi(new CloudClient<UserActions>({ ...options, product: 'user' }));
}
