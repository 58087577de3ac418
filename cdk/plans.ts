import type { Bundle, Edition, ServiceModel } from '../service-config/model';
import { parameterValueViolations } from './ros/parameter-constraints';
import type { RosTemplate } from './ros/template';
import { SynthError } from './synth-error';

/** Which field of an edition sets which template parameter; also names the field in errors. */
export const PLAN_FIELDS: Record<string, keyof Edition> = {
  EcsInstanceType: 'instanceType',
  NodeCount: 'nodeCount',
  SystemDiskSize: 'systemDiskSize',
  DataDiskSize: 'dataDiskSize',
  InternetMaxBandwidthOut: 'bandwidth',
};

/**
 * Values a managed service fixes in every plan: the billing of the ISV's resources and the network
 * choice, which the buyer never makes (the stack runs in the ISV's account).
 */
export function managedPlanValues(model: ServiceModel): Record<string, string | number> {
  const managed = model.service.managed;
  if (!managed) return {};
  return {
    PayType: managed.billing.payType,
    PayPeriodUnit: managed.billing.periodUnit,
    PayPeriod: managed.billing.period,
    // [I] shared: the ISV's VPC of the region, mapped by ParameterMappings; per-order: a new VPC.
    VpcOption: managed.network === 'shared' ? 'ExistingVPC' : 'NewVPC',
  };
}

/**
 * The fixed parameter values of an edition's plan: its sizing, `true` for every included module, and for
 * a managed service the billing and network the ISV fixed.
 */
export function planParameters(
  model: ServiceModel,
  edition: Edition,
): Record<string, string | number | boolean> {
  const values: Record<string, string | number | boolean> = {};
  for (const [parameter, field] of Object.entries(PLAN_FIELDS))
    values[parameter] = edition[field] as string | number;
  Object.assign(values, managedPlanValues(model));
  for (const kind of edition.includedModules) {
    const module = model.modules.find((m) => m.name === kind);
    if (module) values[module.parameter] = true;
  }
  return values;
}

/** Plan name of an edition bought with modules: `basic+public-endpoint`. */
export function bundlePlanName(edition: Edition, bundle: Bundle): string {
  return [edition.name, ...bundle.modules].join('+');
}

/** An edition's plan with the bundle's modules switched on as well. */
export function bundlePlanParameters(
  model: ServiceModel,
  edition: Edition,
  bundle: Bundle,
): Record<string, string | number | boolean> {
  const values = planParameters(model, edition);
  for (const kind of bundle.modules) {
    const module = model.modules.find((m) => m.name === kind);
    if (module) values[module.parameter] = true;
  }
  return values;
}

/** Every SKU: the editions, then each edition's bundles, with its plan name and fixed values. */
export function allPlans(model: ServiceModel): {
  name: string;
  edition: Edition;
  specificationCode: string;
  parameters: Record<string, string | number | boolean>;
}[] {
  return model.editions.flatMap((edition) => [
    {
      name: edition.name,
      edition,
      specificationCode: edition.specificationCode,
      parameters: planParameters(model, edition),
    },
    ...edition.bundles.map((bundle) => ({
      name: bundlePlanName(edition, bundle),
      edition,
      specificationCode: bundle.specificationCode,
      parameters: bundlePlanParameters(model, edition, bundle),
    })),
  ]);
}

/**
 * Refuses a plan whose values break the template's own parameter constraints, and a module whose
 * parameter the template lacks; the error names the service.yaml field to fix.
 */
export function checkPlansAgainstTemplate(model: ServiceModel, template: RosTemplate): void {
  const parameters = template.Parameters ?? {};
  model.modules.forEach((module, index) => {
    if (!parameters[module.parameter]) {
      throw new SynthError(
        'UnknownModuleParameter',
        `module "${module.name}" switches parameter "${module.parameter}", which the template does not have`,
        ['modules', index, 'parameter'],
      );
    }
  });
  model.editions.forEach((edition, index) => {
    for (const [name, value] of Object.entries(planParameters(model, edition))) {
      const declaration = parameters[name];
      const field = PLAN_FIELDS[name];
      const path = field ? ['editions', index, field] : ['editions', index, 'includedModules'];
      if (!declaration)
        throw new SynthError(
          'UnknownPlanParameter',
          `plan sets "${name}", which the template does not have`,
          path,
        );
      const violations = parameterValueViolations(declaration, value);
      if (violations.length > 0) {
        throw new SynthError(
          'PlanViolatesTemplate',
          `edition "${edition.name}" sets ${name} = ${JSON.stringify(value)}, which the template refuses: ${violations.join('; ')}`,
          path,
        );
      }
    }
  });
}
