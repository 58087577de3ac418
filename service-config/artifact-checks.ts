import { findPlaceholders, PLACEHOLDER_KIND_OF, BUILT_IN_PLACEHOLDERS, type ArtifactSpec } from './artifacts';
import type { ServiceModel } from './model';
import type { SchemaProblem } from './validate-schema';
import { suggest } from './validate-schema';

/** The application's commands, where placeholders of container images and files are written. */
const COMMAND_FIELDS = ['installCommand', 'startCommand'] as const;

/**
 * What the schema cannot say about artifacts: unique names, regions among the allowed ones, an ECS
 * image either built or existing, every placeholder naming a declared artifact of its kind, and every
 * artifact used (by `application.imageId` or a placeholder), else it is built for nothing.
 */
export function artifactProblems(model: ServiceModel): SchemaProblem[] {
  return [
    ...model.artifacts.flatMap((artifact, index) => shapeProblems(model, artifact, index)),
    ...placeholderProblems(model),
    ...imageProblems(model),
    ...unusedArtifacts(model),
  ];
}

function shapeProblems(model: ServiceModel, artifact: ArtifactSpec, index: number): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const first = model.artifacts.findIndex((a) => a.name === artifact.name);
  if (first !== index)
    problems.push({
      path: ['artifacts', index, 'name'],
      atKey: false,
      message: `duplicate artifact name "${artifact.name}" (already used by artifacts[${first}])`,
    });
  artifact.regions.forEach((region, r) => {
    if (!model.service.allowedRegions.includes(region))
      problems.push({
        path: ['artifacts', index, 'regions', r],
        atKey: false,
        message: `region ${region} is not one of service.allowedRegions (${model.service.allowedRegions.join(', ')})`,
      });
  });
  const missing = model.service.allowedRegions.filter((region) => !artifact.regions.includes(region));
  if (missing.length > 0)
    problems.push({
      path: ['artifacts', index, 'regions'],
      atKey: false,
      message: `the artifact must reach every allowed region, or orders there cannot deploy; missing: ${missing.join(', ')}`,
    });
  if (artifact.type === 'ecs-image' && !artifact.build === !artifact.imageId)
    problems.push({
      path: ['artifacts', index],
      atKey: false,
      message:
        'an ecs-image artifact has either build (baseImage and commands) or imageId, not both nor neither',
    });
  return problems;
}

function placeholderProblems(model: ServiceModel): SchemaProblem[] {
  const app = model.service.application;
  return COMMAND_FIELDS.flatMap((field) =>
    findPlaceholders(app[field]).flatMap((found) => {
      const path = ['service', 'application', field];
      const key = `${found.kind}::${found.name}`;
      const builtIn = BUILT_IN_PLACEHOLDERS[key];
      if (builtIn)
        return model.artifacts.some((a) => PLACEHOLDER_KIND_OF[a.type] === builtIn)
          ? []
          : [{ path, atKey: false, message: `${found.text} needs an artifact of kind ${builtIn}` }];
      const artifact = model.artifacts.find((a) => a.name === found.name);
      if (!artifact) {
        const hint = suggest(
          found.name,
          model.artifacts.map((a) => a.name),
        );
        return [
          {
            path,
            atKey: false,
            message: `${found.text} names no declared artifact${hint ? `; did you mean "${hint}"?` : ''}`,
          },
        ];
      }
      const kind = PLACEHOLDER_KIND_OF[artifact.type];
      return kind === found.kind
        ? []
        : [
            {
              path,
              atKey: false,
              message: `${found.text}: artifact "${artifact.name}" is a ${artifact.type}, written ${kind ? `{{ computenest::${kind}::${artifact.name} }}` : 'as application.imageId'}`,
            },
          ];
    }),
  );
}

function imageProblems(model: ServiceModel): SchemaProblem[] {
  const imageId = model.service.application.imageId;
  const named = model.artifacts.find((a) => a.name === imageId);
  if (!named || named.type === 'ecs-image') return [];
  return [
    {
      path: ['service', 'application', 'imageId'],
      atKey: false,
      message: `artifact "${imageId}" is a ${named.type}; the nodes boot only from an ecs-image artifact`,
    },
  ];
}

function unusedArtifacts(model: ServiceModel): SchemaProblem[] {
  const app = model.service.application;
  const written = COMMAND_FIELDS.flatMap((field) => findPlaceholders(app[field]).map((p) => p.name));
  return model.artifacts.flatMap((artifact, index) => {
    const used =
      artifact.type === 'ecs-image' ? app.imageId === artifact.name : written.includes(artifact.name);
    if (used) return [];
    const how =
      artifact.type === 'ecs-image'
        ? `set service.application.imageId to "${artifact.name}"`
        : `write {{ computenest::${PLACEHOLDER_KIND_OF[artifact.type]}::${artifact.name} }} in a command`;
    return [
      {
        path: ['artifacts', index, 'name'],
        atKey: false,
        message: `artifact "${artifact.name}" is used nowhere: ${how}, or remove it`,
      },
    ];
  });
}
