/**
 * Names for parts of the generated ComputeNestSupplier 2021-05-21 types that the kit passes around.
 * Every type here is derived from scripts/api-models/generated/supplier.ts: nothing is written by hand.
 */
import type * as G from '../api-models/generated/supplier';

export type * from '../api-models/generated/supplier';
export type SupplierActions = G.Actions;

type Item<T> = T extends readonly (infer U)[] ? U : never;

export type ServiceSummary = Item<NonNullable<G.ListServicesResponse['Services']>>;
export type ServiceInstance = G.GetServiceInstanceResponse;
export type ServiceInstanceSummary = Item<NonNullable<G.ListServiceInstancesResponse['ServiceInstances']>>;
export type ServiceInfo = Item<NonNullable<G.GetServiceResponse['ServiceInfos']>>;
export type ServiceInfoInput = Item<NonNullable<G.CreateServiceRequest['ServiceInfo']>>;
export type Filter = Item<NonNullable<G.ListServiceInstancesRequest['Filter']>>;
export type Tag = Item<NonNullable<G.CreateServiceInstanceRequest['Tag']>>;
export type CommodityInput = NonNullable<G.UpdateServiceRequest['Commodity']>;
export type ServiceCommodity = NonNullable<G.GetServiceResponse['Commodity']>;
export type UploadCredentials = NonNullable<G.GetUploadCredentialsResponse['Data']>;
export type ServiceRegistration = G.GetServiceRegistrationResponse;
