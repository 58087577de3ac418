import type { ModuleKind, ServiceModel } from '../service-config/model';
import { planParameters } from './plans';
import type { RosTemplate } from './ros/template';
import { SynthError } from './synth-error';

/** Where each effective parameter value of an order comes from. */
export type ValueSource = 'default' | 'plan' | 'module' | 'buyer';

export interface OrderPreview {
  edition: string;
  modules: ModuleKind[];
  parameters: Record<string, { value: unknown; source: ValueSource }>;
  conditions: Record<string, boolean | null>;
  /** The template with decided conditions applied: resources and outputs left out, Fn::If resolved. */
  template: RosTemplate;
}

/**
 * What one Marketplace order of an edition with the given extra billing items gets: the merged parameter
 * values (template defaults, then the plan, then the modules bought; the buyer fills the rest) and the
 * template as deployed, with every condition that those values decide resolved.
 * [I] merge order: Compute Nest applies the plan over the defaults and the billing items over both.
 */
export function previewOrder(
  model: ServiceModel,
  template: RosTemplate,
  editionName: string,
  bought: string[],
): OrderPreview {
  const edition = model.editions.find((e) => e.name === editionName);
  if (!edition) {
    throw new SynthError(
      'UnknownEdition',
      `no edition "${editionName}" (editions: ${model.editions.map((e) => e.name).join(', ')})`,
    );
  }
  const modules = bought.map((name) => {
    const module = model.modules.find((m) => m.name === name);
    if (!module) {
      throw new SynthError(
        'UnknownModule',
        `no module "${name}" (modules: ${model.modules.map((m) => m.name).join(', ') || 'none'})`,
      );
    }
    return module;
  });
  const parameters: OrderPreview['parameters'] = {};
  for (const [name, declaration] of Object.entries(template.Parameters ?? {})) {
    parameters[name] =
      declaration.Default !== undefined
        ? { value: declaration.Default, source: 'default' }
        : { value: null, source: 'buyer' };
  }
  for (const [name, value] of Object.entries(planParameters(model, edition)))
    parameters[name] = { value, source: 'plan' };
  for (const module of modules) {
    if (parameters[module.parameter]?.source !== 'plan')
      parameters[module.parameter] = { value: true, source: 'module' };
  }

  const values = Object.fromEntries(
    Object.entries(parameters)
      .filter(([, p]) => p.source !== 'buyer')
      .map(([name, p]) => [name, p.value]),
  );
  const conditions = evaluateConditions(template, values);
  const includedModules = [...new Set([...edition.includedModules, ...modules.map((m) => m.name)])].sort();
  return {
    edition: edition.name,
    modules: includedModules,
    parameters,
    conditions,
    template: applyConditions(template, conditions),
  };
}

/** Evaluates each condition; `null` when it depends on a value only the buyer gives. */
export function evaluateConditions(
  template: RosTemplate,
  values: Record<string, unknown>,
): Record<string, boolean | null> {
  const definitions = (template.Conditions ?? {}) as Record<string, unknown>;
  const results: Record<string, boolean | null> = {};
  const evaluate = (expr: unknown): unknown => {
    if (Array.isArray(expr) || expr === null || typeof expr !== 'object') return expr;
    const [fn, args] = Object.entries(expr)[0] ?? [];
    const list = Array.isArray(args) ? args : [args];
    switch (fn) {
      case 'Ref':
        return typeof args === 'string' && args in values ? values[args] : null;
      case 'Condition':
        return conditionValue(String(args));
      case 'Fn::Equals': {
        const [a, b] = list.map(evaluate);
        return a === null || b === null ? null : String(a) === String(b);
      }
      case 'Fn::Not': {
        const v = evaluate(list[0]);
        return v === null ? null : !v;
      }
      case 'Fn::And':
        return combine(list.map(evaluate), (vs) => vs.every(Boolean), false);
      case 'Fn::Or':
        return combine(list.map(evaluate), (vs) => vs.some(Boolean), true);
      default:
        return null;
    }
  };
  const conditionValue = (name: string): boolean | null => {
    if (!(name in results)) {
      results[name] = null; // guards against a cycle
      const v = evaluate(definitions[name]);
      results[name] = typeof v === 'boolean' ? v : null;
    }
    return results[name];
  };
  for (const name of Object.keys(definitions)) conditionValue(name);
  return results;
}

/** With `shortCircuit` present the result is known even if other operands are unknown. */
function combine(values: unknown[], all: (vs: unknown[]) => boolean, shortCircuit: boolean): boolean | null {
  if (values.some((v) => v === shortCircuit)) return shortCircuit;
  return values.some((v) => v === null) ? null : all(values);
}

function applyConditions(template: RosTemplate, conditions: Record<string, boolean | null>): RosTemplate {
  const keep = (entry: { Condition?: string }) => !entry.Condition || conditions[entry.Condition] !== false;
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (!value || typeof value !== 'object') return value;
    const fnIf = (value as Record<string, unknown>)['Fn::If'];
    if (Array.isArray(fnIf) && typeof fnIf[0] === 'string' && typeof conditions[fnIf[0]] === 'boolean') {
      return resolve(conditions[fnIf[0]] ? fnIf[1] : fnIf[2]);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  };
  const filter = <T extends { Condition?: string }>(section?: Record<string, T>) =>
    section && Object.fromEntries(Object.entries(section).filter(([, entry]) => keep(entry)));
  return resolve({
    ...template,
    Resources: filter(template.Resources),
    Outputs: filter(template.Outputs),
  }) as RosTemplate;
}
