/**
 * Requests and responses of the Compute Nest supplier API (ComputeNestSupplier 2021-05-21) that the kit
 * uses. Field names follow the generated SDK models; JSON-string parameters accept an object too.
 */

export interface ServiceInfoInput {
  Locale: 'zh-CN' | 'en-US' | string;
  Name: string;
  ShortDescription?: string;
  Image?: string;
  LongDescriptionUrl?: string;
}

export interface Filter {
  Name: string;
  Value: string[];
}

export interface Tag {
  Key: string;
  Value?: string;
}

type JsonParam = string | object;

export interface ServiceFields {
  DeployType?: string;
  ServiceType?: string;
  VersionName?: string;
  ServiceInfo?: ServiceInfoInput[];
  DeployMetadata?: JsonParam;
  OperationMetadata?: JsonParam;
  UpgradeMetadata?: JsonParam;
  LicenseMetadata?: JsonParam;
  AlarmMetadata?: JsonParam;
  LogMetadata?: JsonParam;
  ShareType?: string;
  ApprovalType?: string;
  TenantType?: string;
  TrialDuration?: number;
  ResourceGroupId?: string;
  Tag?: Tag[];
  ClientToken?: string;
  DryRun?: boolean;
}

/** Fields that travel as one JSON string. */
export const SERVICE_JSON_FIELDS = [
  'DeployMetadata',
  'OperationMetadata',
  'UpgradeMetadata',
  'LicenseMetadata',
  'AlarmMetadata',
  'LogMetadata',
  'Commodity',
  'UpdateOption',
  'ComplianceMetadata',
] as const;

export interface CreateServiceRequest extends ServiceFields {
  /** Set: a new draft of an existing service. */
  ServiceId?: string;
}
export interface CreateServiceResponse {
  ServiceId: string;
  Version: string;
  Status: string;
}

export interface CommodityInput {
  SpecificationMappings?: { SpecificationCode: string; TemplateName: string; SpecificationName: string }[];
  ComponentsMappings?: { TemplateName: string; Mappings: Record<string, string> }[];
  MeteringEntityMappings?: { TemplateName: string; SpecificationName: string; EntityIds: string[] }[];
}

export interface UpdateServiceRequest extends ServiceFields {
  ServiceId: string;
  /** Omitted: the draft. */
  ServiceVersion?: string;
  Commodity?: CommodityInput | string;
  UpdateOption?: { UpdateArtifact?: boolean; UpdateFrom?: 'CODE' | 'PARAMETERS' } | string;
}

export interface GetServiceRequest {
  ServiceId: string;
  /** `draft` reads the draft; omitted, the default version. */
  ServiceVersion?: string;
}

export interface ServiceInfo {
  Locale: string;
  Name: string;
  ShortDescription?: string;
  Image?: string;
}

export interface ServiceCommodity {
  CommodityCode?: string;
  Type?: string;
  ChargeType?: string;
  MarketplaceMetadata?: { SpecificationMappings?: CommodityInput['SpecificationMappings'] };
  CssMetadata?: { ComponentsMappings?: CommodityInput['ComponentsMappings'] };
}

export interface GetServiceResponse {
  ServiceId: string;
  Version: string;
  VersionName?: string;
  Status: string;
  DeployType: string;
  ServiceType?: string;
  ServiceInfos: ServiceInfo[];
  DeployMetadata?: string;
  OperationMetadata?: string;
  UpgradeMetadata?: string;
  LicenseMetadata?: string;
  ShareType?: string;
  ApprovalType?: string;
  DefaultVersion?: boolean;
  Commodity?: ServiceCommodity;
  CommodityCode?: string;
  CreateTime?: string;
  UpdateTime?: string;
  PublishTime?: string;
  StatusDetail?: string;
  SupplierName?: string;
}

export interface ListServicesRequest {
  Filter?: Filter[];
  AllVersions?: boolean;
  MaxResults?: number;
  NextToken?: string;
  Tag?: Tag[];
  ResourceGroupId?: string;
}

export interface ServiceSummary {
  ServiceId: string;
  Version: string;
  VersionName?: string;
  Status: string;
  DefaultVersion: boolean;
  HasDraft?: boolean;
  HasBeta?: boolean;
  DeployType?: string;
  ServiceType?: string;
  CommodityCode?: string;
  ServiceInfos?: ServiceInfo[];
  PublishTime?: string;
  CreateTime?: string;
  UpdateTime?: string;
}

export interface ListServicesResponse {
  Services: ServiceSummary[];
  NextToken?: string;
  TotalCount?: string | number;
  MaxResults?: number;
}

export interface ServiceVersionRequest {
  ServiceId: string;
  ServiceVersion?: string;
}
export interface LaunchServiceRequest extends ServiceVersionRequest {
  ServiceVersion: string;
  Categories?: string[];
  Recommend?: boolean;
}

export interface GetUploadCredentialsRequest {
  FileName: string;
  Visibility?: 'Public' | 'Private' | string;
}
export interface UploadCredentials {
  AccessKeyId: string;
  AccessKeySecret: string;
  SecurityToken: string;
  ExpireDate: string;
  RegionId: string;
  BucketName: string;
  Key: string;
}
export interface GetUploadCredentialsResponse {
  Data: UploadCredentials;
}

export interface CreateServiceInstanceRequest {
  ServiceId: string;
  ServiceVersion?: string;
  Name?: string;
  TemplateName?: string;
  SpecificationName?: string;
  SpecificationCode?: string;
  /** A JSON object of template parameter values. */
  Parameters?: Record<string, unknown> | string;
  /** Release time, ISO-8601 UTC (provider-owned instances). */
  EndTime?: string;
  UserId?: string;
  ResourceGroupId?: string;
  Tag?: Tag[];
  ClientToken?: string;
  DryRun?: boolean;
}
export interface CreateServiceInstanceResponse {
  ServiceInstanceId: string;
  Status: string;
  MarketInstanceId?: string;
  OrderId?: string;
}

export interface ServiceInstance {
  ServiceInstanceId: string;
  Name?: string;
  Status: string;
  StatusDetail?: string;
  BizStatus?: string;
  Progress?: number;
  Parameters?: string;
  Outputs?: string;
  Resources?: string;
  Components?: string;
  TemplateName?: string;
  PredefinedParameterName?: string;
  MarketInstanceId?: string;
  PayType?: string;
  Source?: string;
  UserId?: number | string;
  EndTime?: string;
  LicenseEndTime?: string;
  CreateTime?: string;
  UpdateTime?: string;
  Service?: {
    ServiceId: string;
    Version: string;
    VersionName?: string;
    Status?: string;
    DeployType?: string;
    ServiceInfos?: ServiceInfo[];
  };
}

export type GetServiceInstanceResponse = ServiceInstance;

export interface ListServiceInstancesRequest {
  Filter?: Filter[];
  MaxResults?: number;
  NextToken?: string;
  ShowDeleted?: boolean;
  Tag?: Tag[];
  ResourceGroupId?: string;
}
export interface ListServiceInstancesResponse {
  ServiceInstances: ServiceInstance[];
  NextToken?: string;
  TotalCount?: number;
  MaxResults?: number;
}

export interface DeleteServiceInstancesRequest {
  ServiceInstanceId: string[];
  ClientToken?: string;
}

export interface UpdateServiceInstanceAttributeRequest {
  ServiceInstanceId: string;
  EndTime?: string;
  LicenseData?: { CustomData?: string; ResponseInfo?: string } | string;
  Reason?: string;
}

export interface UpdateServiceInstanceSpecRequest {
  ServiceInstanceId: string;
  /** The plan (PredefinedParameters name) to move to. */
  PredefinedParametersName?: string;
  /** Parameter values to change, as a JSON object. */
  Parameters?: Record<string, unknown> | string;
  /** An operation of OperationMetadata.ModifyParametersConfig. */
  OperationName?: string;
  ClientToken?: string;
}

export interface ServiceInstanceOperationRequest {
  ServiceInstanceId: string;
  ClientToken?: string;
}
