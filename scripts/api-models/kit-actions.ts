import type { ModelProduct } from './model';

/**
 * The actions the kit calls or the sandbox serves, per API: the generator writes request and response
 * types for exactly these (`npm run models`). Adding an action here and regenerating is the whole change.
 */
export const KIT_ACTIONS: Record<ModelProduct, readonly string[]> = {
  supplier: [
    'CreateService',
    'UpdateService',
    'GetService',
    'ListServices',
    'DeleteService',
    'PreLaunchService',
    'RegisterService',
    'GetServiceRegistration',
    'LaunchService',
    'WithdrawService',
    'GetUploadCredentials',
    'CreateServiceInstance',
    'GetServiceInstance',
    'ListServiceInstances',
    'DeleteServiceInstances',
    'UpdateServiceInstanceAttribute',
    'UpdateServiceInstanceSpec',
    'StartServiceInstance',
    'StopServiceInstance',
    'RestartServiceInstance',
    'ContinueDeployServiceInstance',
    'UpgradeServiceInstance',
    'RollbackServiceInstance',
    'ListServiceInstanceUpgradeHistory',
    'TagResources',
    'ListTagResources',
    'CreateArtifact',
    'UpdateArtifact',
    'GetArtifact',
    'ListArtifacts',
    'ListArtifactVersions',
    'ReleaseArtifact',
    'DeleteArtifact',
    'ListArtifactBuildLogs',
  ],
  user: ['CreateServiceInstance', 'GetServiceInstance', 'ListServiceInstances', 'DeleteServiceInstances'],
  market: ['DescribeLicense', 'ActivateLicense', 'DescribeFailedNotifications', 'ConfirmNotification'],
};
