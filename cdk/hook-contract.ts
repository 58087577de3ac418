/**
 * What the lifecycle hook (`scripts/hook`) relies on in what synth writes: the template's output keys it
 * hands the Marketplace (appInfo) and the SSO redirect, the parameters it sets on every order's
 * instance, and the operation it changes an edition with. Named here once; the constructs, the
 * service definition and the hook import them. No imports, so the hook can read it without ROS CDK.
 */

/** Output keys the service definition (OutputConfigs) and the hook (appInfo, SSO) read. */
export const OUTPUT_KEYS = {
  frontendUrl: 'FrontendUrl',
  adminUrl: 'AdminUrl',
  adminUser: 'AdminUser',
  backupBucket: 'BackupBucketName',
} as const;

/** Template parameters the hook sets itself on each order's CreateServiceInstance. */
export const ORDER_PARAMETERS = {
  zoneId: 'ZoneId',
  adminPassword: 'AdminPassword',
} as const;

/** The ModifyParametersConfig operation that moves an instance to another edition's plan. */
export const CHANGE_EDITION_OPERATION = 'ChangeEdition';
