/**
 * Compute Nest artifacts as `service.yaml` declares them, and the placeholders by which a template
 * refers to them. The placeholder grammar is named here once: cdk writes it, lint and the sandbox read it.
 * Nothing in this file imports anything else of ours.
 */

/** What Compute Nest ships: an ECS image it builds (or an existing one), a container image, or a file. */
export const ARTIFACT_TYPES = ['ecs-image', 'container-image', 'file'] as const;
export type ArtifactKind = (typeof ARTIFACT_TYPES)[number];

interface ArtifactBase<K extends ArtifactKind> {
  /** The artifact's name (`ArtifactName`) and its key in `Artifact` and in the relations. */
  name: string;
  type: K;
  /** @default the service's name and the artifact's */
  description?: string;
  /** Regions the artifact is distributed to (`SupportRegionIds`). @default service.allowedRegions */
  regions: string[];
}

/** An ECS image Compute Nest builds from a base image and commands, or an image that exists already. */
export interface EcsImageArtifact extends ArtifactBase<'ecs-image'> {
  build?: {
    /** Image the build starts from (`SourceImageId`). */
    baseImage: string;
    /** Shell run once while building (`CommandContent`, RunShellScript); what it installs is in every node. */
    commands: string;
    /** Region the image is built in. @default service.regionId */
    regionId?: string;
  };
  /** An existing image (`ArtifactProperty.ImageId`) instead of a build. */
  imageId?: string;
}

/** A container image Compute Nest copies into its registry (`AcrImage`), pulled in the region at boot. */
export interface ContainerImageArtifact extends ArtifactBase<'container-image'> {
  repository: string;
  tag: string;
}

/** A file (`File`) Compute Nest keeps in each region's object store; the template downloads it. */
export interface FileArtifact extends ArtifactBase<'file'> {
  url: string;
}

export type ArtifactSpec = EcsImageArtifact | ContainerImageArtifact | FileArtifact;

/**
 * The placeholder kinds Compute Nest replaces in a template, as Alibaba's public examples write them:
 * `{{ computenest::file::<name> }}` (the file's URL in the region), `{{ computenest::acrimage::<name> }}`
 * (the image's repository address), `{{ computenest::helmchart::<name> }}`. An ECS image is named by its
 * ArtifactRelation key written as the ImageId itself (quickstart-LobeChat: `ImageId: ecs_image_...`).
 */
export const PLACEHOLDER_KINDS = ['file', 'acrimage', 'helmchart'] as const;
export type PlaceholderKind = (typeof PLACEHOLDER_KINDS)[number];

/**
 * Placeholders that name no artifact: the registry secret of the ACR and Helm artifacts
 * (`{{ computenest::acr::dockerconfigjson }}`, `{{ computenest::helm::dockerconfigjson }}`), by the kind
 * of relation that makes Compute Nest fill them in [I].
 */
export const BUILT_IN_PLACEHOLDERS: Record<string, PlaceholderKind> = {
  'acr::dockerconfigjson': 'acrimage',
  'helm::dockerconfigjson': 'helmchart',
};

/** The placeholder kind of an artifact type; an ECS image has none (its key is the ImageId). */
export const PLACEHOLDER_KIND_OF: Record<ArtifactKind, PlaceholderKind | undefined> = {
  'ecs-image': undefined,
  'container-image': 'acrimage',
  file: 'file',
};

/** `{{ computenest::file::name }}`, spaced as the public examples write it. */
export function placeholder(kind: PlaceholderKind, name: string): string {
  return `{{ computenest::${kind}::${name} }}`;
}

/** Any `{{ computenest::<kind>::<name> }}`, with or without inner spaces. */
const PLACEHOLDER_PATTERN = /\{\{\s*computenest::([A-Za-z0-9_-]+)::([^{}\s]+)\s*\}\}/g;

export interface FoundPlaceholder {
  /** The text as written. */
  text: string;
  kind: string;
  name: string;
  /** Offset in the text searched. */
  index: number;
}

/** Every Compute Nest placeholder in a text, in order. */
export function findPlaceholders(text: string): FoundPlaceholder[] {
  return [...text.matchAll(PLACEHOLDER_PATTERN)].map((m) => ({
    text: m[0],
    kind: m[1],
    name: m[2],
    index: m.index ?? 0,
  }));
}

/** `{{computenest::file::x}}` and `{{ computenest::file::x }}` name the same artifact. */
export function normalizePlaceholder(text: string): string {
  return text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, '{{ $1 }}');
}
