import { placeholder, PLACEHOLDER_KIND_OF, type ArtifactSpec } from '../service-config/artifacts';
import type { ServiceModel } from '../service-config/model';

/**
 * One entry of the service definition's `Artifact` section, in the shape of computenest-cli's
 * config.yaml (quickstart-LobeChat, wordpress-managed-demo): the CreateArtifact fields publish sends.
 */
export interface ArtifactDefinition {
  ArtifactType: 'EcsImage' | 'AcrImage' | 'File';
  ArtifactName: string;
  Description: string;
  SupportRegionIds: string[];
  ArtifactBuildType?: 'EcsImage' | 'ContainerImage';
  ArtifactBuildProperty?: Record<string, string>;
  ArtifactProperty?: Record<string, string>;
}

/** `ArtifactId` / `ArtifactVersion` of a relation: publish replaces them once the artifact is built. */
export interface ArtifactReference {
  ArtifactId: string;
  ArtifactVersion: string;
}

/** The relation sections of SupplierDeployMetadata, by the kind of artifact they relate. */
export type ArtifactRelations = Partial<
  Record<
    'ArtifactRelation' | 'AcrImageArtifactRelation' | 'FileArtifactRelation',
    Record<string, ArtifactReference>
  >
>;

/** The computenest-cli placeholder of a field of a built artifact: `${Artifact.<name>.ArtifactId}`. */
export function artifactField(name: string, field: keyof ArtifactReference): string {
  return `\${Artifact.${name}.${field}}`;
}

const RELATION_OF: Record<ArtifactSpec['type'], keyof ArtifactRelations> = {
  'ecs-image': 'ArtifactRelation',
  'container-image': 'AcrImageArtifactRelation',
  file: 'FileArtifactRelation',
};

/**
 * The key Compute Nest replaces in the templates: an ECS image's name (written as the ImageId), else the
 * placeholder `{{ computenest::<kind>::<name> }}`.
 */
export function relationKey(artifact: ArtifactSpec): string {
  const kind = PLACEHOLDER_KIND_OF[artifact.type];
  return kind ? placeholder(kind, artifact.name) : artifact.name;
}

export function artifactRelations(model: ServiceModel): ArtifactRelations {
  const relations: ArtifactRelations = {};
  for (const artifact of model.artifacts) {
    const section = (relations[RELATION_OF[artifact.type]] ??= {});
    section[relationKey(artifact)] = {
      ArtifactId: artifactField(artifact.name, 'ArtifactId'),
      ArtifactVersion: artifactField(artifact.name, 'ArtifactVersion'),
    };
  }
  return relations;
}

export function artifactDefinitions(model: ServiceModel): Record<string, ArtifactDefinition> {
  return Object.fromEntries(model.artifacts.map((a) => [a.name, artifactDefinition(model, a)]));
}

function artifactDefinition(model: ServiceModel, artifact: ArtifactSpec): ArtifactDefinition {
  const base = {
    ArtifactName: artifact.name,
    Description: artifact.description ?? `${model.service.name['en-US']}: ${artifact.name}`,
    SupportRegionIds: artifact.regions,
  };
  const regionId = model.service.regionId;
  switch (artifact.type) {
    case 'ecs-image':
      return artifact.build
        ? {
            ArtifactType: 'EcsImage',
            ...base,
            ArtifactBuildType: 'EcsImage',
            ArtifactBuildProperty: {
              RegionId: artifact.build.regionId ?? regionId,
              SourceImageId: artifact.build.baseImage,
              CommandType: 'RunShellScript',
              CommandContent: artifact.build.commands,
            },
          }
        : {
            ArtifactType: 'EcsImage',
            ...base,
            ArtifactProperty: { RegionId: regionId, ImageId: artifact.imageId! },
          };
    case 'container-image':
      // [I] Compute Nest copies the source image into its own registry (build type ContainerImage), so the
      // nodes pull it from the region's ACR; RepoName and Tag name it there.
      return {
        ArtifactType: 'AcrImage',
        ...base,
        ArtifactBuildType: 'ContainerImage',
        ArtifactBuildProperty: {
          RegionId: regionId,
          SourceContainerImage: `${artifact.repository}:${artifact.tag}`,
        },
        ArtifactProperty: { RepoName: artifact.name, Tag: artifact.tag },
      };
    case 'file':
      return { ArtifactType: 'File', ...base, ArtifactProperty: { RegionId: regionId, Url: artifact.url } };
  }
}
