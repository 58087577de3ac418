import { CloudClient, type CloudClientOptions } from './client';
import type { ServiceInstance, Tag } from './supplier-types';

/** A customer's order of a service instance (ComputeNest 2021-06-01 CreateServiceInstance). */
export interface UserCreateServiceInstanceRequest {
  ServiceId: string;
  ServiceVersion?: string;
  Name?: string;
  TemplateName?: string;
  SpecificationName?: string;
  /** The Marketplace SKU; maps to a template and plan through the service's Commodity. */
  SpecificationCode?: string;
  Parameters?: Record<string, unknown> | string;
  /** Flattened on the wire (`Commodity.PayPeriod=1`). */
  Commodity?: {
    PayPeriod?: number;
    PayPeriodUnit?: 'Year' | 'Month' | 'Day';
    AutoPay?: boolean;
    AutoRenew?: boolean;
  };
  TrialType?: string;
  Tag?: Tag[];
  ClientToken?: string;
  DryRun?: boolean;
}
export interface UserCreateServiceInstanceResponse {
  ServiceInstanceId: string;
  Status: string;
  OrderId?: string;
  MarketInstanceId?: string;
}

/** The Compute Nest customer API (2021-06-01), typed. */
export class UserApi {
  constructor(readonly client: CloudClient) {}

  createServiceInstance(request: UserCreateServiceInstanceRequest) {
    return this.client.call<UserCreateServiceInstanceResponse>('CreateServiceInstance', request, {
      jsonFields: ['Parameters'],
    });
  }
  /** By ServiceInstanceId, or by the Marketplace instance id. */
  getServiceInstance(request: { ServiceInstanceId?: string; MarketInstanceId?: string }) {
    return this.client.call<ServiceInstance>('GetServiceInstance', request);
  }
  deleteServiceInstances(request: { ServiceInstanceId: string[]; ClientToken?: string }) {
    return this.client.call<object>('DeleteServiceInstances', request);
  }
}

export function createUserApi(options: Omit<CloudClientOptions, 'product'> = {}): UserApi {
  return new UserApi(new CloudClient({ ...options, product: 'user' }));
}
