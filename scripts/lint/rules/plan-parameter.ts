import type { Report, ServiceRule } from '../model';
import { plansOf } from '../service/plans';
import { stringItems } from '../service/shapes';
import { didYouMean } from '../../../service-config/suggest';

export const planParameter: ServiceRule = {
  id: 'plan-parameter',
  scope: 'service',
  severity: 'error',
  short: 'A plan (PredefinedParameters) sets or orders a parameter its template does not declare.',
  long:
    'A plan fixes values of template parameters; Compute Nest passes them to ROS, which rejects a parameter the ' +
    'template does not declare. OrderList names the parameters the order page shows, so it must name declared ' +
    'ones too.',
  docUrl: 'https://www.alibabacloud.com/help/en/compute-nest/create-package-settings-for-a-service',
  appliesTo: ['Service/DeployMetadata/TemplateConfigs/*/PredefinedParameters/*/Parameters', '.../OrderList'],
  check(definition) {
    return plansOf(definition).flatMap((plan) => {
      const declared = Object.keys(plan.declared);
      const unknown = (name: string): boolean => !(name in plan.declared);
      const reports: Report[] = Object.keys(plan.parameters)
        .filter(unknown)
        .map((name) => ({
          where: { doc: definition.doc, path: [...plan.path, 'Parameters', name], key: true },
          message: `plan "${plan.name}" of template "${plan.entry.name}" sets "${name}", which the template does not declare${didYouMean(name, declared)}`,
        }));
      for (const item of stringItems(plan.orderList, [...plan.path, 'OrderList']).filter((i) =>
        unknown(i.value),
      )) {
        reports.push({
          where: { doc: definition.doc, path: item.path },
          message: `OrderList of plan "${plan.name}" names "${item.value}", which template "${plan.entry.name}" does not declare${didYouMean(item.value, declared)}`,
        });
      }
      return reports;
    });
  },
};
