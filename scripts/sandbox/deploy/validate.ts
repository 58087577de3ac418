import { managedLayoutProblem } from '../../../cdk/ros/managed-layout';
import { parameterValueViolations } from '../../../cdk/ros/parameter-constraints';
import type { RosTemplate } from '../../../cdk/ros/template';

/**
 * Pure checks of an order against the service version and its template, the same rules synth and the
 * linter apply (via `parameterValueViolations`). No I/O: the engine fetches the template.
 */
export interface TemplateConfig {
  Name: string;
  Url?: string;
  PredefinedParameters?: { Name: string; Parameters?: Record<string, unknown> }[];
}

export interface Order {
  templateName?: string;
  planName?: string;
  parameters: Record<string, unknown>;
}

export type Planned =
  | { ok: true; config: TemplateConfig; parameters: Record<string, unknown> }
  | { ok: false; reasons: string[] };

/**
 * Finds the template and the plan the order names, and merges the plan's values with the order's. A
 * managed service deploys from SupplierDeployMetadata.SupplierTemplateConfigs (its TemplateConfigs carry
 * names only) and is refused without them; any other from TemplateConfigs.
 */
export function planDeployment(deployMetadata: unknown, order: Order, serviceType?: string): Planned {
  const managed = managedLayoutProblem(serviceType, deployMetadata);
  if (managed) return { ok: false, reasons: [managed.message] };
  const metadata = deployMetadata as
    | {
        TemplateConfigs?: TemplateConfig[];
        SupplierDeployMetadata?: { SupplierTemplateConfigs?: TemplateConfig[] };
      }
    | undefined;
  const listed =
    serviceType === 'managed'
      ? metadata?.SupplierDeployMetadata?.SupplierTemplateConfigs
      : metadata?.TemplateConfigs;
  const configs = (listed ?? []).filter((c) => typeof c?.Name === 'string');
  if (configs.length === 0) return { ok: false, reasons: ['the service version has no TemplateConfigs'] };
  // [I] With a single template the name may be omitted.
  const config =
    order.templateName === undefined && configs.length === 1
      ? configs[0]
      : configs.find((c) => c.Name === order.templateName);
  if (!config) {
    return {
      ok: false,
      reasons: [
        `template ${JSON.stringify(order.templateName ?? '')} does not exist; known: ${configs.map((c) => c.Name).join(', ')}`,
      ],
    };
  }
  if (order.planName === undefined) return { ok: true, config, parameters: { ...order.parameters } };
  const plan = (config.PredefinedParameters ?? []).find((p) => p.Name === order.planName);
  if (!plan)
    return {
      ok: false,
      reasons: [`plan ${JSON.stringify(order.planName)} does not exist in template ${config.Name}`],
    };
  // [I] A plan fixes its values: they win over the order's.
  return { ok: true, config, parameters: { ...order.parameters, ...(plan.Parameters ?? {}) } };
}

/** Every reason the values do not fit the template's parameters: unknown names, missing required ones, bad values. */
export function parameterProblems(
  template: Pick<RosTemplate, 'Parameters'>,
  values: Record<string, unknown>,
): string[] {
  const declared = template.Parameters ?? {};
  const problems: string[] = [];
  for (const name of Object.keys(values)) {
    if (!(name in declared)) problems.push(`parameter ${name} is not declared by the template`);
  }
  for (const [name, spec] of Object.entries(declared)) {
    if (!(name in values)) {
      if (spec.Default === undefined) problems.push(`parameter ${name} is required (it has no Default)`);
      continue;
    }
    for (const why of parameterValueViolations(spec, values[name]))
      problems.push(`parameter ${name}: ${why}`);
  }
  return problems;
}
