/**
 * The typed service description: the one contract between `service.yaml` and everything derived from it.
 * Nothing in this folder imports anything else of ours.
 */

/** Text in the two locales Compute Nest shows (ServiceInfo uses `en-US` / `zh-CN`). */
export interface LocalizedText {
  'en-US': string;
  'zh-CN': string;
}

export type ServiceType = 'managed' | 'private';

/** The modules the ROS CDK app knows how to build; `service.yaml` may only name these. */
export const MODULE_KINDS = ['backup', 'public-endpoint'] as const;
export type ModuleKind = (typeof MODULE_KINDS)[number];

export interface ApplicationSpec {
  /** ECS image the nodes boot from; an artifact placeholder (ArtifactRelation key) works as well. */
  imageId: string;
  /** TCP port the application listens on, on every node. */
  port: number;
  /** Path of the admin console, appended to the endpoint URL. */
  adminPath: string;
  /** Name of the administrator account created at first start. */
  adminUser: string;
  /** HTTP path that answers 200 once the application is up; the stack waits for it. */
  healthPath: string;
  /** Shell run once at first boot, before the application starts. */
  installCommand: string;
  /** Shell that starts the application; `$ADMIN_PASSWORD` holds the order's admin password. */
  startCommand: string;
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
  allowedRegions: string[];
  instanceNamePrefix: string;
  /** Zone the lifecycle hook deploys SPI and licence orders into; the buyer fills no form in those modes. */
  deployZoneId?: string;
  template: { name: string; file: string };
  application: ApplicationSpec;
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
}

export interface BackupSettings {
  retentionDays: number;
}
export interface PublicEndpointSettings {
  listenerPort: number;
}

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
export type ModuleSpec = BackupModule | PublicEndpointModule;

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
  lifecycle: LifecyclePolicy;
}

/** Default module settings, so `service.yaml` may leave `settings` out. */
export const DEFAULT_MODULE_SETTINGS: { backup: BackupSettings; 'public-endpoint': PublicEndpointSettings } =
  {
    backup: { retentionDays: 30 },
    'public-endpoint': { listenerPort: 80 },
  };

export function findModule(model: ServiceModel, kind: ModuleKind): ModuleSpec | undefined {
  return model.modules.find((m) => m.name === kind);
}
