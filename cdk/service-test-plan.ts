import { stringify } from 'yaml';
import type { Edition, ServiceModel } from '../service-config/model';
import { allPlans, planParameters } from './plans';
import type { RosTemplate } from './ros/template';

/**
 * The value a test case gives a parameter the test runner resolves itself: Compute Nest's service tests
 * run on iact3, whose pseudo-parameter `$[iact3-auto]` picks an available zone or instance type in the
 * test region and generates a password. Source: the ComputeNestSupplier SDK models' example TestConfig of
 * CreateServiceTestCase / GenerateDefaultServiceTestConfig (`InstancePassword: "$[iact3-auto]"`) and
 * the iact3 documentation. Every secret (a NoEcho parameter) gets it, so no password is ever written.
 */
export const TEST_AUTO_VALUE = '$[iact3-auto]';

/** Any iact3 pseudo-parameter (`$[iact3-auto]`, `$[iact3-current-region]`): resolved by the runner. */
export const TEST_PSEUDO_VALUE = /^\$\[iact3-[a-z-]+\]$/;

/** The folder, below the synth output, that holds one file per test case. */
export const SERVICE_TESTS_DIR = 'service-tests';

/**
 * One Compute Nest service test case: what CreateServiceTestCase takes (TemplateName, TestCaseName,
 * TestConfig; ServiceId and ServiceVersion are the publish run's) plus what the case stands for.
 */
export interface ServiceTestCase {
  TestCaseName: string;
  TemplateName: string;
  /** [I] The plan (PredefinedParameters Name) whose values the case deploys: a bundle's when one matches. */
  PlanName: string;
  Edition: string;
  /** Every module the deployment gets: the edition's included ones and the ones bought. */
  Modules: string[];
  /** [I] The region the test task runs in (CreateServiceTestTask TaskRegionId): the first allowed one. */
  RegionId: string;
  /** The TestConfig text, YAML: `parameters:` with the values of the case. */
  TestConfig: string;
}

/**
 * [I] The TestConfig text. The SDK models' example is a YAML mapping with `parameters:` only (the
 * template and region are request fields), so that is all it holds; this is the one place its shape is
 * decided.
 */
export function renderTestConfig(parameters: Record<string, unknown>): string {
  return stringify({ parameters }, { version: '1.1', lineWidth: 0 });
}

/**
 * One test case per edition and purchasable module combination: every subset of the modules the edition
 * does not include (an included module comes with every order, so it is never bought again). The values:
 * the plan's (a bundle's plan when the modules bought are exactly a bundle's), every module switch set
 * explicitly, and `$[iact3-auto]` for each parameter without a default and for every secret. Values
 * Compute Nest maps per region (ParameterMappings) are left to it, as for an order.
 */
export function serviceTestPlan(model: ServiceModel, template: RosTemplate): ServiceTestCase[] {
  const declared = template.Parameters ?? {};
  const plans = allPlans(model);
  const templateName = model.service.template.name;
  return model.editions.flatMap((edition) =>
    purchasableCombinations(model, edition).map((bought) => {
      const bundle = edition.bundles.find((b) => sameSet(b.modules, bought));
      const plan = plans.find(
        (p) =>
          p.edition === edition &&
          (bundle ? p.specificationCode === bundle.specificationCode : p.name === edition.name),
      );
      const modules = model.modules
        .map((m) => m.name as string)
        .filter((name) => edition.includedModules.includes(name as never) || bought.includes(name));
      const values: Record<string, unknown> = { ...(plan?.parameters ?? planParameters(model, edition)) };
      for (const module of model.modules) values[module.parameter] = modules.includes(module.name);
      for (const [name, declaration] of Object.entries(declared)) {
        if (declaration.NoEcho) values[name] = TEST_AUTO_VALUE;
        else if (!(name in values) && declaration.Default === undefined) values[name] = TEST_AUTO_VALUE;
      }
      const parameters = Object.fromEntries(
        Object.keys(declared)
          .filter((name) => name in values)
          .map((name) => [name, values[name]]),
      );
      const name = [edition.name, ...bought].join('+');
      return {
        TestCaseName: name,
        TemplateName: templateName,
        PlanName: plan?.name ?? edition.name,
        Edition: edition.name,
        Modules: modules,
        RegionId: model.service.allowedRegions[0],
        TestConfig: renderTestConfig(parameters),
      };
    }),
  );
}

/** The module names an order of the edition can buy on top of it, as subsets in the modules' order. */
export function purchasableCombinations(model: ServiceModel, edition: Edition): string[][] {
  const buyable = model.modules
    .map((m) => m.name as string)
    .filter((name) => !edition.includedModules.includes(name as never));
  const subsets: string[][] = [[]];
  for (const name of buyable) for (const subset of [...subsets]) subsets.push([...subset, name]);
  return subsets.sort((a, b) => a.length - b.length);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
