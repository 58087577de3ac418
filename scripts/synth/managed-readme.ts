import { supplierRolePolicy, supplierRoleTrustPolicy } from '../../cdk/supplier-role-policy';
import type { ServiceModel } from '../../service-config/model';

/**
 * The README section of a managed service: the role Compute Nest assumes in the ISV's account with the
 * RAM policy it needs, the network choice and the isolation it gives, and the billing the ISV fixed.
 */
export function managedSection(model: ServiceModel): string[] {
  const managed = model.service.managed;
  if (!managed) return [];
  const json = (value: unknown) => ['```json', JSON.stringify(value, null, 2), '```', ''];
  const network =
    managed.network === 'shared'
      ? [
          'Network: **shared**. Every order of a region goes into the ISV network of `service.managed.sharedNetworks`',
          '(VpcId, VSwitchId, ZoneId mapped by `ParameterMappings` on the deployment region). Each order gets',
          'its own security group: nodes of different orders cannot reach each other (a security group admits',
          'no traffic from another unless a rule says so), but they share the VPC address space, its route',
          'table and its quotas. There is no per-order VSwitch: ROS cannot allocate a free CIDR block per order',
          '[I]. For stronger isolation use `network: per-order`.',
        ]
      : [
          'Network: **per-order**. Each order gets its own VPC, VSwitch and security group: full network',
          'isolation, but the default quota is 10 VPCs per region in the ISV account, so raise the quota or',
          'switch to `network: shared` (one ISV VPC per region, a security group per order) before selling more.',
        ];
  return [
    '## Managed deployment (in the ISV account)',
    '',
    `Compute Nest assumes the RAM role \`${managed.roleName}\` (\`service.managed.roleName\`) of the ISV account`,
    `(UserType \`${managed.userType}\`) to deploy \`SupplierDeployMetadata.SupplierTemplateConfigs\`. Create it with`,
    'this trust policy:',
    '',
    ...json(supplierRoleTrustPolicy()),
    'and attach this permission policy:',
    '',
    ...json(supplierRolePolicy(model)),
    ...network,
    '',
    `Billing of the ISV resources: \`${managed.billing.payType}\`` +
      (managed.billing.payType === 'PrePaid'
        ? ` for ${managed.billing.period} ${managed.billing.periodUnit}, renewed automatically while the order lives and released (forced) at teardown.`
        : ' (pay-as-you-go): nothing to renew, nothing left at teardown.') +
      ' Every plan fixes it; the buyer never chooses it.',
    '',
  ];
}
