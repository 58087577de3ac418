import { artifactProblems } from './artifact-checks';
import { isPublicEndpointModule, type ServiceModel } from './model';
import schema from './schema.json';

/** The modules the ROS CDK app can build: the enum generated from the module folders. */
const KNOWN_MODULES: readonly string[] = schema.definitions.module.properties.name.enum;
import type { SchemaProblem } from './validate-schema';
import { suggest } from './validate-schema';

/** ECS instance types look like `ecs.<family>.<size>`, e.g. `ecs.c7.2xlarge`, `ecs.g8i.large`. */
const INSTANCE_TYPE = /^ecs\.[a-z][a-z0-9-]*\.[0-9]*[a-z][a-z0-9]*$/;

/** Checks a schema-valid model for what JSON Schema cannot say: uniqueness and cross references. */
export function semanticProblems(model: ServiceModel): SchemaProblem[] {
  return [
    ...duplicates(
      model.editions.map((e) => e.name),
      'editions',
      'name',
      'edition name',
    ),
    ...duplicates(
      model.editions.map((e) => e.specificationCode),
      'editions',
      'specificationCode',
      'SKU code',
    ),
    ...skuCodeClashes(model),
    ...bundles(model),
    ...duplicates(
      model.modules.map((m) => m.name),
      'modules',
      'name',
      'module',
    ),
    ...duplicates(
      model.modules.map((m) => m.billingItem),
      'modules',
      'billingItem',
      'billing item',
    ),
    ...duplicates(
      model.modules.map((m) => m.parameter),
      'modules',
      'parameter',
      'module parameter',
    ),
    ...instanceTypes(model),
    ...includedModules(model),
    ...managedSettings(model),
    ...artifactProblems(model),
  ];
}

/**
 * A managed service maps per region what lives in the ISV's account: the shared network (when chosen) and
 * the certificate of the public endpoint's HTTPS listener; the buyer URL must be public.
 */
function managedSettings(model: ServiceModel): SchemaProblem[] {
  const managed = model.service.managed;
  if (!managed) return [];
  const endpointIndex = model.modules.findIndex((m) => m.name === 'public-endpoint');
  const endpoint = model.modules[endpointIndex];
  const certificates = isPublicEndpointModule(endpoint)
    ? model.service.allowedRegions
        .filter((region) => !endpoint.settings.certificateIds[region])
        .map((region) => ({
          path: ['modules', endpointIndex, 'settings'],
          atKey: true,
          message: `the HTTPS listener of a managed service needs the ISV certificate of every allowed region (settings.certificateIds); ${region} has none`,
        }))
    : [];
  // The buyer cannot reach a private address of the ISV's VPC: an edition without public bandwidth
  // must come with the public endpoint.
  const unreachable = model.editions.flatMap((edition, index) =>
    edition.bandwidth === 0 && !edition.includedModules.includes('public-endpoint')
      ? [
          {
            path: ['editions', index, 'bandwidth'],
            atKey: false,
            message: `edition "${edition.name}" of a managed service has no public bandwidth and no public endpoint: the buyer could not reach it`,
          },
        ]
      : [],
  );
  if (managed.network !== 'shared') return [...certificates, ...unreachable];
  return [
    ...certificates,
    ...unreachable,
    ...model.service.allowedRegions
      .filter((region) => !managed.sharedNetworks[region])
      .map((region) => ({
        path: ['service', 'managed', 'sharedNetworks'],
        atKey: true,
        message: `network: shared needs the ISV network of every allowed region; ${region} has none`,
      })),
  ];
}

/**
 * A bundle's modules are declared and not already included in its edition (bought twice otherwise), and
 * its SKU code is used once across editions and bundles.
 */
function bundles(model: ServiceModel): SchemaProblem[] {
  const declared = model.modules.map((m) => m.name as string);
  const codes = new Set(model.editions.map((e) => e.specificationCode));
  const problems: SchemaProblem[] = [];
  model.editions.forEach((edition, e) =>
    edition.bundles.forEach((bundle, b) => {
      bundle.modules.forEach((name, m) => {
        const path = ['editions', e, 'bundles', b, 'modules', m];
        if (!declared.includes(name))
          problems.push({ path, atKey: false, message: `module "${name}" is not declared under modules` });
        else if ((edition.includedModules as string[]).includes(name))
          problems.push({
            path,
            atKey: false,
            message: `edition "${edition.name}" already includes module "${name}"; it cannot be bought again on it`,
          });
      });
      if (codes.has(bundle.specificationCode))
        problems.push({
          path: ['editions', e, 'bundles', b, 'specificationCode'],
          atKey: false,
          message: `duplicate SKU code "${bundle.specificationCode}"`,
        });
      codes.add(bundle.specificationCode);
    }),
  );
  return problems;
}

function duplicates(values: string[], list: string, field: string, what: string): SchemaProblem[] {
  const firstSeen = new Map<string, number>();
  const problems: SchemaProblem[] = [];
  values.forEach((value, index) => {
    const first = firstSeen.get(value);
    if (first === undefined) firstSeen.set(value, index);
    else
      problems.push({
        path: [list, index, field],
        atKey: false,
        message: `duplicate ${what} "${value}" (already used by ${list}[${first}])`,
      });
  });
  return problems;
}

/** A Marketplace SKU code (marketplaceSkuCodes) names one edition, never another's specification code. */
function skuCodeClashes(model: ServiceModel): SchemaProblem[] {
  const owner = new Map(model.editions.map((e, index) => [e.specificationCode, index]));
  const problems: SchemaProblem[] = [];
  model.editions.forEach((edition, index) =>
    (edition.marketplaceSkuCodes ?? []).forEach((code, k) => {
      const first = owner.get(code);
      if (first === undefined) owner.set(code, index);
      else if (first !== index || edition.specificationCode === code)
        problems.push({
          path: ['editions', index, 'marketplaceSkuCodes', k],
          atKey: false,
          message: `SKU code "${code}" already names editions[${first}]`,
        });
    }),
  );
  return problems;
}

function instanceTypes(model: ServiceModel): SchemaProblem[] {
  return model.editions.flatMap((edition, index) =>
    INSTANCE_TYPE.test(edition.instanceType)
      ? []
      : [
          {
            path: ['editions', index, 'instanceType'],
            atKey: false,
            message: `"${edition.instanceType}" is not an ECS instance type (expected ecs.<family>.<size>, e.g. ecs.c7.large)`,
          },
        ],
  );
}

function includedModules(model: ServiceModel): SchemaProblem[] {
  const declared = model.modules.map((m) => m.name as string);
  return model.editions.flatMap((edition, e) =>
    edition.includedModules.flatMap((name, m) => {
      if (declared.includes(name)) return [];
      const known = KNOWN_MODULES.includes(name);
      const hint = suggest(name, declared);
      return [
        {
          path: ['editions', e, 'includedModules', m],
          atKey: false,
          message: known
            ? `module "${name}" is not declared under modules`
            : `unknown module "${name}"${hint ? `; did you mean "${hint}"?` : ''} (declared: ${declared.join(', ') || 'none'})`,
        },
      ];
    }),
  );
}
