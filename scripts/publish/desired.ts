import { createHash } from 'node:crypto';
import type { SynthesizedService } from '../../cdk/service-app';
import type { ServiceDefinition } from '../../cdk/service-definition';
import type { ServiceModel } from '../../service-config/model';

/** What the cloud should hold after publishing: derived only from the synthesized output. */
export interface DesiredService {
  /** From service.yaml when the service already exists; else publish finds it by name. */
  serviceId?: string;
  /** The en-US service name, used to find the service when no id is given. */
  name: string;
  /** `<semantic version>-<first 8 hex of the content hash>`: the remote version that holds this content. */
  versionName: string;
  contentHash: string;
  regionId: string;
  templates: { name: string; file: string; content: string }[];
  definition: ServiceDefinition;
}

/** Canonical JSON: keys sorted at every level, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The content hash covers the service definition (with template Urls still relative, since uploaded
 * Urls change per upload) and every template, so the same inputs always give the same version name.
 */
export function contentHash(
  definition: ServiceDefinition,
  templates: { file: string; content: string }[],
): string {
  const hash = createHash('sha256').update(canonicalJson(definition));
  for (const t of [...templates].sort((a, b) => a.file.localeCompare(b.file)))
    hash.update(`\0${t.file}\0${t.content}`);
  return hash.digest('hex');
}

export function desiredService(model: ServiceModel, synthesized: SynthesizedService): DesiredService {
  const templates = synthesized.templates.map((t) => ({
    name: t.name,
    file: t.file,
    content: `${JSON.stringify(t.template, null, 2)}\n`,
  }));
  const hash = contentHash(synthesized.serviceDefinition, templates);
  return {
    serviceId: model.service.id,
    name: model.service.name['en-US'],
    versionName: `${model.service.version}-${hash.slice(0, 8)}`,
    contentHash: hash,
    regionId: model.service.regionId,
    templates,
    definition: synthesized.serviceDefinition,
  };
}

/**
 * DeployMetadata with each template's Url replaced by where it was uploaded: in TemplateConfigs, and in
 * SupplierDeployMetadata.SupplierTemplateConfigs (a managed service, whose TemplateConfigs carry names only).
 */
export function deployMetadataWithUrls(
  definition: ServiceDefinition,
  urls: Map<string, string>,
): Record<string, unknown> {
  const metadata = definition.Service.DeployMetadata as {
    TemplateConfigs: { Url?: string }[];
    SupplierDeployMetadata?: { SupplierTemplateConfigs?: { Url?: string }[] };
  };
  const withUrl = <T extends { Url?: string }>(config: T): T =>
    config.Url === undefined ? config : { ...config, Url: urls.get(config.Url) ?? config.Url };
  const supplier = metadata.SupplierDeployMetadata;
  return {
    ...metadata,
    TemplateConfigs: metadata.TemplateConfigs.map(withUrl),
    ...(supplier?.SupplierTemplateConfigs
      ? {
          SupplierDeployMetadata: {
            ...supplier,
            SupplierTemplateConfigs: supplier.SupplierTemplateConfigs.map(withUrl),
          },
        }
      : {}),
  };
}

/**
 * The definition with each `${Artifact.<key>.ArtifactId}` and `${Artifact.<key>.ArtifactVersion}` of its
 * DeployMetadata replaced by the built artifact's id and released version, as computenest-cli does.
 * Refuses to leave one unreplaced: Compute Nest would deploy nothing from it.
 */
export function definitionWithArtifacts(
  definition: ServiceDefinition,
  references: Record<string, { artifactId: string; version: string }>,
  /** Leave the placeholders of artifacts not built yet (the `--dry-run` diff shows them as changing). */
  partial = false,
): ServiceDefinition {
  const text = JSON.stringify(definition.Service.DeployMetadata).replace(
    /\$\{Artifact\.([^.}]+)\.(ArtifactId|ArtifactVersion)\}/g,
    (whole, key: string, field: string) => {
      const reference = references[key];
      if (!reference) {
        if (partial) return whole;
        throw new Error(`no built artifact ${key} for ${whole}`);
      }
      return field === 'ArtifactId' ? reference.artifactId : reference.version;
    },
  );
  return {
    ...definition,
    Service: { ...definition.Service, DeployMetadata: JSON.parse(text) as Record<string, unknown> },
  };
}
