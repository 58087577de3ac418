/**
 * The managed-service layout check shared by the sandbox (CreateService / UpdateService / deploy) and the
 * linter: a `ServiceType: managed` service deploys what `DeployMetadata.SupplierDeployMetadata.
 * SupplierTemplateConfigs` names, in the ISV's account; without them there is nothing to deploy.
 */

/**
 * computenest-cli's own failure on such a config: `CheckProcessor.validate_image_key` reads
 * `deploy_metadata[SUPPLIER_DEPLOY_METADATA][SUPPLIER_TEMPLATE_CONFIGS]` for a managed service and stops
 * with Python's KeyError naming the missing key.
 */
export function computenestCliKeyError(
  missing: 'SupplierDeployMetadata' | 'SupplierTemplateConfigs',
): string {
  return `KeyError: '${missing}'`;
}

export interface ManagedLayoutProblem {
  /** The key computenest-cli fails on. */
  missing: 'SupplierDeployMetadata' | 'SupplierTemplateConfigs';
  message: string;
}

/** Why a managed service's DeployMetadata cannot be deployed, or undefined when it can (or is not managed). */
export function managedLayoutProblem(
  serviceType: unknown,
  deployMetadata: unknown,
): ManagedLayoutProblem | undefined {
  if (serviceType !== 'managed') return undefined;
  const metadata = (deployMetadata && typeof deployMetadata === 'object' ? deployMetadata : {}) as {
    SupplierDeployMetadata?: { SupplierTemplateConfigs?: unknown };
  };
  const supplier = metadata.SupplierDeployMetadata;
  const missing =
    !supplier || typeof supplier !== 'object'
      ? 'SupplierDeployMetadata'
      : !Array.isArray(supplier.SupplierTemplateConfigs) || supplier.SupplierTemplateConfigs.length === 0
        ? 'SupplierTemplateConfigs'
        : undefined;
  if (!missing) return undefined;
  return {
    missing,
    message:
      `${computenestCliKeyError(missing)}: a managed service deploys the templates of ` +
      'DeployMetadata.SupplierDeployMetadata.SupplierTemplateConfigs[] (Url, AllowedRegions, ' +
      'PredefinedParameters) in the provider account, and this one has none',
  };
}
