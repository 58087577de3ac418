import type { ClockSnapshot } from './clock';

/** Everything the sandbox knows, as plain JSON so it can be saved and restored whole. */
export interface SandboxState {
  schema: 1;
  clock?: ClockSnapshot;
  services: Record<string, ServiceRecord>;
  /** Insertion order is creation order: listings page over it. */
  instances: Record<string, InstanceRecord>;
  /** `<action>:<account>:<ClientToken>` → the id the first call created. */
  clientTokens: Record<string, string>;
  /** `<bucket>/<key>` → object. */
  objects: Record<string, StoredObject>;
  /** Temporary OSS keys handed out by GetUploadCredentials. */
  uploadKeys: Record<string, UploadKey>;
  timers: Timer[];
  products: Record<string, MarketProduct>;
  orders: Record<string, MarketOrder>;
  /** Licence code → licence (licence-mode products). */
  licenses: Record<string, LicenseRecord>;
  notifications: SpiNotification[];
  /** Compute Nest artifacts by ArtifactId; absent in states saved before they existed. */
  artifacts?: Record<string, ArtifactRecord>;
  sequence: number;
}

/** A Compute Nest artifact (CreateArtifact) and its versions: at most one `draft`, then `1`, `2` ... */
export interface ArtifactRecord {
  ArtifactId: string;
  AccountId: string;
  Name: string;
  ArtifactType: string;
  Description?: string;
  versions: ArtifactVersionRecord[];
  lastVersion: number;
}

/** One version; its build runs on the virtual clock from `buildStartMs`, its status is read from the time. */
export interface ArtifactVersionRecord {
  ArtifactVersion: string;
  VersionName: string;
  ArtifactBuildType?: string;
  /** JSON text as sent. */
  ArtifactBuildProperty?: string;
  ArtifactProperty?: string;
  SupportRegionIds: string[];
  buildStartMs: number;
  /** Set by the buildFail fault: the build ends failed with this reason. */
  failure?: string;
  deleted?: boolean;
  GmtCreate: string;
  GmtModified: string;
}

export interface ServiceRecord {
  ServiceId: string;
  AccountId: string;
  CreateTime: string;
  /** `draft`, `1`, `2` ... */
  versions: Record<string, ServiceVersionRecord>;
  defaultVersion?: string;
  lastVersion: number;
  /** Reviews of the draft (RegisterService), oldest first; absent in states saved before they existed. */
  registrations?: RegistrationRecord[];
}

/** One RegisterService: the review of the draft, followed with GetServiceRegistration. */
export interface RegistrationRecord {
  RegistrationId: string;
  ServiceId: string;
  /** `draft` until the review is executed (launched or pre-launched), then the number it became [I]. */
  ServiceVersion: string;
  VersionName?: string;
  ServiceType?: string;
  Status: 'Submitted' | 'Approved' | 'Rejected' | 'Canceled' | 'Executed';
  Comment?: string;
  SubmitTime: string;
  FinishTime?: string;
}

export interface ServiceVersionRecord {
  Version: string;
  VersionName?: string;
  Status: string;
  StatusDetail?: string;
  DeployType: string;
  ServiceType?: string;
  ServiceInfos: Record<string, string>[];
  /** JSON-string fields kept as sent (DeployMetadata, OperationMetadata ...), plain fields too. */
  fields: Record<string, string>;
  Commodity?: CommodityRecord;
  CreateTime: string;
  UpdateTime: string;
  PublishTime?: string;
  /** The review the version was last submitted with. */
  RegistrationId?: string;
}

export interface CommodityRecord {
  SpecificationMappings?: { SpecificationCode: string; TemplateName: string; SpecificationName: string }[];
  ComponentsMappings?: { TemplateName: string; Mappings: Record<string, string> }[];
  [key: string]: unknown;
}

export interface InstanceRecord {
  ServiceInstanceId: string;
  Name: string;
  Status: string;
  StatusDetail: string;
  BizStatus: string;
  Progress: number;
  ServiceId: string;
  ServiceVersion: string;
  TemplateName?: string;
  SpecificationName?: string;
  SpecificationCode?: string;
  Parameters: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
  Resources?: unknown[];
  /** Compute Nest-mode orders only; answered by the user API, never by the supplier's (its model lacks it). */
  Components?: Record<string, string>;
  MarketInstanceId?: string;
  OrderId?: string;
  /** `Tag.N` of CreateServiceInstance; absent in states saved before tags were kept. */
  Tags?: { Key: string; Value: string }[];
  PayType: string;
  Source: 'User' | 'Market' | 'Supplier';
  /** The account that owns the instance (the customer), and the account that created it. */
  UserId: string;
  CreatorAccountId: string;
  EndTime?: string;
  CreateTime: string;
  UpdateTime: string;
  /** Upgrades and rollbacks, oldest first (ListServiceInstanceUpgradeHistory); absent before the first. */
  UpgradeHistory?: UpgradeHistoryRecord[];
  /** The version and parameters before the last upgrade: what a rollback restores. */
  PreviousVersion?: string;
  PreviousParameters?: Record<string, unknown>;
}

export interface UpgradeHistoryRecord {
  UpgradeHistoryId: string;
  Type: 'Upgrade' | 'Rollback';
  FromVersion: string;
  ToVersion: string;
  Status: 'upgrading' | 'UpgradeSuccessful' | 'UpgradeFailed';
  StartTime: string;
  EndTime?: string;
  Results?: string;
}

export interface StoredObject {
  bucket: string;
  key: string;
  contentBase64: string;
  contentType: string;
  etag: string;
  lastModified: string;
}

export interface UploadKey {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  bucket: string;
  key: string;
  expiresAtMs: number;
}

export interface Timer {
  id: number;
  atMs: number;
  kind: string;
  ref: string;
}

export interface MarketProduct {
  productCode: string;
  /**
   * spi: Marketplace notifies the ISV's URL; computenest: Marketplace creates service instances;
   * license: Marketplace issues a licence code the ISV checks with DescribeLicense/ActivateLicense.
   */
  mode: 'spi' | 'computenest' | 'license';
  spiUrl?: string;
  spiKey?: string;
  serviceId?: string;
  serviceVersion?: string;
  /** Seconds between an expiry and the automatic release; none when absent. */
  releaseAfterExpirySeconds?: number;
  /** Licence mode: shown in DescribeLicense. */
  productName?: string;
  supplierName?: string;
  /** Licence mode: the ISV account that may read and activate the licences; default the sandbox key's. */
  supplierAccountId?: string;
  /**
   * Licence mode [I]: how DescribeLicense tells a lapsed licence: `status` (default) answers it with
   * LicenseStatus EXPIRED or DISCARD, `error` refuses with License.Expired or License.Discard.
   */
  licenseLapseAs?: 'status' | 'error';
  /**
   * Licence mode [I]: the licence calls that refuse RAM-user (Auth.SubAccount.Error) and STS
   * (Auth.CallerType) callers; default `['ActivateLicense']`.
   */
  accountOnlyLicenseCalls?: ('DescribeLicense' | 'ActivateLicense')[];
  /**
   * SPI mode: how SKUs are sent. `product` (default) as the Marketplace does [V M4 M22; I]: `skuId` is the
   * product's SKU code (`skuCodes[code]`, default `<productCode>-prepay` [I]) and `package_version` the
   * specification code (unless `packageVersion` is false); `specification`: `skuId` is the specification
   * code and there is no `package_version` (the SPI page's older example).
   */
  skuForm?: 'product' | 'specification';
  /** SPI mode: specification code (`yuncode…`) → the product's SKU code sent as `skuId`. */
  skuCodes?: Record<string, string>;
  packageVersion?: boolean;
  /** SPI mode: `GET` (default), `POST` (action in the query, the rest a form body), or `alternate` [I]. */
  spiMethod?: 'GET' | 'POST' | 'alternate';
}

export interface MarketOrder {
  orderBizId: string;
  productCode: string;
  skuId: string;
  modules: Record<string, string>;
  aliUid: string;
  trial: boolean;
  orderIds: string[];
  status: 'active' | 'expired' | 'released';
  expiredOnMs: number;
  /** What the ISV answered to createInstance (SPI mode). */
  isvInstanceId?: string;
  /** SPI mode: the appInfo the ISV answered; its `authUrl` is the buyer's sign-in entry. */
  appInfo?: Record<string, unknown>;
  serviceInstanceId?: string;
  /** Licence mode: the code issued at purchase. */
  licenseCode?: string;
  createdAt: string;
}

/**
 * A licence issued for an order. Its status, expiry, SKU and items are read from the order, so a
 * renewal, upgrade, expiry or release of the order shows in the licence without copying.
 */
export interface LicenseRecord {
  licenseCode: string;
  orderBizId: string;
  /** The ISV account that owns the product. */
  ownerAccountId: string;
  createdMs: number;
  activatedMs?: number;
  /** What the first ActivateLicense named (the buyer's uid), if anything. */
  identification?: string;
}

export interface SpiNotification {
  id: string;
  orderBizId: string;
  action: string;
  /** Query parameters without the token (it is computed when sending). */
  params: Record<string, string>;
  /**
   * `failed`: the 120 attempts are used up; `confirmed`: the ISV confirmed it (ConfirmNotification)
   * and it is no longer sent. Listed by DescribeFailedNotifications from its first failed attempt until
   * delivered or confirmed [I].
   */
  status: 'pending' | 'delivered' | 'failed' | 'confirmed';
  /** Epoch ms of the notification (DescribeFailedNotifications' CreateTime); absent in older states. */
  createdMs?: number;
  /** How it is sent: GET (all in the query) or POST (`action` in the query, the rest as a form) [I]. */
  method?: 'GET' | 'POST';
  attempts: number;
  lastError?: string;
  lastResponse?: string;
  lastAttemptAt?: string;
}

export function emptyState(): SandboxState {
  return {
    schema: 1,
    services: {},
    instances: {},
    clientTokens: {},
    objects: {},
    uploadKeys: {},
    timers: [],
    products: {},
    orders: {},
    licenses: {},
    notifications: [],
    sequence: 0,
  };
}
