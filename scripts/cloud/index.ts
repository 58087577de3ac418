export {
  CloudClient,
  type CloudClientOptions,
  type CallOptions,
  type ActionTypes,
  ContractError,
} from './client';
export { CloudError, toCloudError } from './errors';
export {
  resolveEndpoint,
  parseEndpointUrl,
  endpointUrl,
  PRODUCTS,
  ENDPOINT_ENV,
  type Product,
} from './endpoint';
export { TokenBucket, type RateLimitOptions } from './rate-limiter';
export { isSafeToRepeat, isTransient, backoffDelay, type RetryOptions } from './retry';
export { paginate, collectAll, type Page } from './paging';
export { encodeRequest } from './encode';
export { SupplierApi, createSupplierApi } from './supplier';
export { UserApi, createUserApi } from './user';
export { MarketApi, createMarketApi } from './market';
export { licenseAttributes } from './market-types';
export { uploadToOss, ossSignature } from './oss-upload';
export type * from './supplier-types';
export type {
  MarketActions,
  LicenseStatus,
  MarketLicense,
  DescribeLicenseRequest,
  DescribeLicenseResponse,
  ActivateLicenseRequest,
  ActivateLicenseResponse,
} from './market-types';
