import type { ServiceModel } from '../service-config/model';

/**
 * The RAM role a managed service names in `SupplierDeployMetadata.RoleName`: Compute Nest assumes it in the
 * ISV's account to create, update and delete each order's stack and its resources.
 *
 * [I] Neither Alibaba managed example (wordpress-managed-demo, mysql-managed-vpcpeering-demo) writes the
 * policy out; these are the actions the synthesized template's resource types need, through ROS, with
 * the Compute Nest service as the trusted principal. Narrow `Resource` further once the ISV's account
 * layout is known.
 */
export function supplierRoleTrustPolicy(): Record<string, unknown> {
  return {
    Version: '1',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: ['computenest.aliyuncs.com'] },
      },
    ],
  };
}

export function supplierRolePolicy(model: ServiceModel): Record<string, unknown> {
  const kinds = new Set(model.modules.map((m) => m.name));
  const statement = (action: string[], resource: string | string[] = '*') => ({
    Effect: 'Allow',
    Action: action,
    Resource: resource,
  });
  return {
    Version: '1',
    Statement: [
      statement(['ros:*']),
      statement([
        'ecs:*Instance*',
        'ecs:*SecurityGroup*',
        'ecs:*Disk*',
        'ecs:*Command*',
        'ecs:*Invocation*',
        'ecs:Describe*',
        'ecs:*Tag*',
      ]),
      statement(['vpc:*Vpc*', 'vpc:*VSwitch*', 'vpc:Describe*', 'vpc:*Tag*']),
      ...(kinds.has('public-endpoint') ? [statement(['slb:*'])] : []),
      ...(kinds.has('backup')
        ? [
            statement(['oss:*'], [`acs:oss:*:*:${model.service.instanceNamePrefix}bk-*`]),
            // The nodes' own role and its bucket policy, created per order (least privilege on the nodes).
            statement([
              'ram:CreateRole',
              'ram:DeleteRole',
              'ram:GetRole',
              'ram:CreatePolicy',
              'ram:DeletePolicy',
              'ram:GetPolicy',
              'ram:AttachPolicyToRole',
              'ram:DetachPolicyFromRole',
              'ram:ListPoliciesForRole',
              'ram:PassRole',
            ]),
          ]
        : []),
    ],
  };
}
