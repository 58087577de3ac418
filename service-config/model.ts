/**
 * The typed service description: the one contract between `service.yaml` and everything derived from it.
 * Nothing in this folder imports anything else of ours.
 */

import type { ArtifactSpec } from './artifacts';

export type { ArtifactSpec } from './artifacts';

/** Text in the two locales Compute Nest shows (ServiceInfo uses `en-US` / `zh-CN`). */
export interface LocalizedText {
  'en-US': string;
  'zh-CN': string;
}

export type ServiceType = 'managed' | 'private';

/**
 * A module's name: a folder of `cdk/constructs/modules/`. The names `service.yaml` may use are the enum
 * of `schema.json`, which `cdk/constructs/modules/generate.ts` writes from the module folders (this folder
 * imports nothing of cdk's).
 */
export type ModuleKind = string;

export interface ApplicationSpec {
  /**
   * ECS image the nodes boot from: an image id, or the name of an `ecs-image` artifact (written as its
   * ArtifactRelation key, which Compute Nest replaces with the artifact's image in the region).
   */
  imageId: string;
  /** TCP port the application listens on, on every node. */
  port: number;
  /** Path of the admin console, appended to the endpoint URL. */
  adminPath: string;
  /** Name of the administrator account created at first start. */
  adminUser: string;
  /** HTTP path that answers 200 once the application is up; the stack waits for it. */
  healthPath: string;
  /** Shell run once at first boot, before the application starts. @default '' (the artifact holds it all) */
  installCommand: string;
  /** Shell that starts the application; `$ADMIN_PASSWORD` (environment) holds the application admin password. */
  startCommand: string;
}

/** How each order's nodes are networked in the ISV's account (managed services). */
export type ManagedNetwork = 'per-order' | 'shared';

/** The ISV's network of one region, shared by every order deployed there (`network: shared`). */
export interface SharedRegionNetwork {
  vpcId: string;
  vSwitchId: string;
  /** Zone of the VSwitch; the nodes of every order of the region go there. */
  zoneId: string;
}

/** The billing of the ISV's own resources behind every order: fixed by the ISV, never chosen by the buyer. */
export interface ResourceBilling {
  /** @default PostPaid */
  payType: 'PostPaid' | 'PrePaid';
  /** Subscription period unit of PrePaid resources. @default Month */
  periodUnit: 'Month' | 'Year';
  /** Subscription period of PrePaid resources; they renew automatically until teardown. @default 1 */
  period: number;
}

/** What Compute Nest needs to deploy in the ISV's account (`service.type: managed`). */
export interface ManagedSpec {
  /**
   * The RAM role in the ISV's account that Compute Nest assumes to deploy each order
   * (`SupplierDeployMetadata.RoleName`); the policy it needs is written in templates/README.md.
   * @default ComputeNestSupplierDeployRole
   */
  roleName: string;
  /** `SupplierDeployMetadata.UserType`, as in Alibaba's managed examples. @default Aliyun */
  userType: 'Aliyun';
  /**
   * `per-order`: a VPC per order (a default quota of 10 VPCs per region caps the orders of a region);
   * `shared`: one ISV VPC and VSwitch per region (`sharedNetworks`), a security group per order.
   * @default per-order
   */
  network: ManagedNetwork;
  /** Region → the shared network (`network: shared`); mapped into each order by ParameterMappings. */
  sharedNetworks: Record<string, SharedRegionNetwork>;
  /** Billing of the ISV's resources. */
  billing: ResourceBilling;
}

export interface ServiceSpec {
  name: LocalizedText;
  shortDescription: LocalizedText;
  type: ServiceType;
  /** Semantic version; published version names are `<version>-<short content hash>`. */
  version: string;
  /** Compute Nest service id once the service exists; publish finds it by name otherwise. */
  id?: string;
  regionId: string;
  /**
   * Region of the Marketplace licence API (Market 2015-11-01), which picks its site: China regions
   * use the central endpoint, international regions the Singapore one.
   * @default the site of `regionId` (see `marketRegionOf`)
   */
  marketRegionId?: string;
  allowedRegions: string[];
  instanceNamePrefix: string;
  /** Zone the lifecycle hook deploys SPI and licence orders into; the buyer fills no form in those modes. */
  deployZoneId?: string;
  template: { name: string; file: string };
  application: ApplicationSpec;
  /** Managed deployment settings; defaults filled in for `type: managed`, absent for `private`. */
  managed?: ManagedSpec;
  /**
   * Earlier releases (`service.version` values) whose instances can be upgraded in place to this one
   * (`UpgradeMetadata.SupportUpgradeFromVersions`). @default []
   */
  upgradeFrom: string[];
}

/** A Marketplace SKU: one plan (PredefinedParameters) of the template. */
export interface Edition {
  name: string;
  title: LocalizedText;
  specificationCode: string;
  instanceType: string;
  nodeCount: number;
  systemDiskSize: number;
  dataDiskSize: number;
  /** Public bandwidth in Mbit/s of each node (0: no public IP). */
  bandwidth: number;
  /** Modules every order of this edition gets, whether or not it buys the billing item. */
  includedModules: ModuleKind[];
  /**
   * Marketplace codes of this SKU where they differ from `specificationCode`, e.g. the product's SKU
   * code `cmgj00001-prepay` that the SPI may send as `skuId` (the hook matches `package_version` first).
   */
  marketplaceSkuCodes?: string[];
  /**
   * Purchasable module combinations of this edition for orders Compute Nest deploys itself (no SPI, so no
   * billing items reach a template): each is its own SKU and plan (`<edition>+<module>...`), mapped by
   * `Commodity.SpecificationMappings`. @default []
   */
  bundles: Bundle[];
}

/** One SKU of an edition with modules: the edition's plan plus these modules switched on. */
export interface Bundle {
  modules: ModuleKind[];
  specificationCode: string;
}

/** Settings are type aliases, not interfaces, so that each is a `Record<string, unknown>` as plugins take. */
export type BackupSettings = {
  retentionDays: number;
};
export type PublicEndpointSettings = {
  /** HTTPS port of the load balancer. @default 443 */
  listenerPort: number;
  /**
   * Region → the SLB server certificate (in the account that runs the stack) the HTTPS listener serves;
   * a managed service maps it per region, a private one asks its buyer. @default {}
   */
  certificateIds: Record<string, string>;
};

interface ModuleBase<K extends ModuleKind, S> {
  name: K;
  title: LocalizedText;
  /** The Marketplace extra billing item (component code) that sells this module. */
  billingItem: string;
  /** The Boolean template parameter the billing item switches on. */
  parameter: string;
  settings: S;
}
export type BackupModule = ModuleBase<'backup', BackupSettings>;
export type PublicEndpointModule = ModuleBase<'public-endpoint', PublicEndpointSettings>;
/** A module of its own folder (a plugin): its settings are what its schema fragment allows. */
export type PluginModule = ModuleBase<string, Record<string, unknown>>;
export type ModuleSpec = BackupModule | PublicEndpointModule | PluginModule;

export function isBackupModule(module: ModuleSpec | undefined): module is BackupModule {
  return module?.name === 'backup';
}

export function isPublicEndpointModule(module: ModuleSpec | undefined): module is PublicEndpointModule {
  return module?.name === 'public-endpoint';
}

export interface LifecyclePolicy {
  /** What the hook does when a subscription lapses. */
  onExpiry: 'stop' | 'keep';
  /** Days an instance is kept after release before it is torn down. */
  retentionDays: number;
  /** When false, releases are recorded but nothing is torn down. */
  deleteOnRelease: boolean;
}

export interface ServiceModel {
  service: ServiceSpec;
  editions: Edition[];
  modules: ModuleSpec[];
  /** What Compute Nest ships to every order (images, files), by name. @default [] */
  artifacts: ArtifactSpec[];
  lifecycle: LifecyclePolicy;
}

/** Defaults of `service.managed`, so `service.yaml` may leave any of it out. */
export const DEFAULT_MANAGED: ManagedSpec = {
  roleName: 'ComputeNestSupplierDeployRole',
  userType: 'Aliyun',
  network: 'per-order',
  sharedNetworks: {},
  billing: { payType: 'PostPaid', periodUnit: 'Month', period: 1 },
};

/** Default settings of the built-in modules, so `service.yaml` may leave `settings` out. */
export const DEFAULT_MODULE_SETTINGS: Record<string, Record<string, unknown>> = {
  backup: { retentionDays: 30 } satisfies BackupSettings,
  'public-endpoint': { listenerPort: 443, certificateIds: {} } satisfies PublicEndpointSettings,
};

/**
 * The region the hook's Market client uses: `service.marketRegionId`, else [I] the service's own region,
 * so that a service in a China region talks to the China site and any other to the international site.
 */
export function marketRegionOf(service: Pick<ServiceSpec, 'regionId' | 'marketRegionId'>): string {
  return service.marketRegionId ?? service.regionId;
}

export function findModule(model: ServiceModel, kind: ModuleKind): ModuleSpec | undefined {
  return model.modules.find((m) => m.name === kind);
}
