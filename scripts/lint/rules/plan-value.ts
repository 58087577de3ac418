import { parameterValueViolations } from '../../../cdk/ros/parameter-constraints';
import type { ServiceRule } from '../model';
import { plansOf } from '../service/plans';

export const planValue: ServiceRule = {
  id: 'plan-value',
  scope: 'service',
  severity: 'error',
  short: "A plan's parameter value breaks the template parameter's constraints.",
  long:
    "Plan values (a scalar or a one-element list) go to ROS unchanged; a value outside the parameter's Type, " +
    'AllowedValues, AllowedPattern, range or length makes every order of that plan fail to deploy.',
  docUrl: 'https://www.alibabacloud.com/help/en/compute-nest/create-package-settings-for-a-service',
  appliesTo: ['Service/DeployMetadata/TemplateConfigs/*/PredefinedParameters/*/Parameters/*'],
  check(definition) {
    return plansOf(definition).flatMap((plan) =>
      Object.entries(plan.parameters).flatMap(([name, value]) => {
        const spec = plan.declared[name];
        if (!spec) return [];
        return parameterValueViolations(spec, value).map((problem) => ({
          where: { doc: definition.doc, path: [...plan.path, 'Parameters', name] },
          message: `plan "${plan.name}" of template "${plan.entry.name}", parameter "${name}": ${problem}`,
        }));
      }),
    );
  },
};
