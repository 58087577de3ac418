import {
  BUILT_IN_PLACEHOLDERS,
  findPlaceholders,
  normalizePlaceholder,
  PLACEHOLDER_KINDS,
  type PlaceholderKind,
} from '../../../service-config/artifacts';
import type { SandboxCore } from '../core';
import { resolveArtifact } from '../api/artifacts';

/** The relation sections of SupplierDeployMetadata and the placeholder kind each resolves. */
const RELATIONS: Record<string, PlaceholderKind | undefined> = {
  ArtifactRelation: undefined, // ECS images: the key is written as the ImageId itself
  FileArtifactRelation: 'file',
  AcrImageArtifactRelation: 'acrimage',
  HelmChartArtifactRelation: 'helmchart',
};

/**
 * Why a deployment cannot resolve its artifacts, as Compute Nest would refuse it [I]: a relation naming an
 * artifact version that does not exist, is not Available or (when known) does not reach the region, a
 * `${Artifact...}` left unreplaced, and a template placeholder that no relation of its kind resolves.
 */
export function artifactProblems(
  core: SandboxCore,
  accountId: string,
  deployMetadata: unknown,
  template: unknown,
  regionId?: string,
): string[] {
  const supplier = ((deployMetadata as { SupplierDeployMetadata?: unknown } | undefined)
    ?.SupplierDeployMetadata ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  const keys = new Map<string, PlaceholderKind | undefined>();
  for (const [section, kind] of Object.entries(RELATIONS)) {
    const entries = supplier[section];
    if (!entries || typeof entries !== 'object') continue;
    for (const [key, reference] of Object.entries(entries as Record<string, Record<string, unknown>>)) {
      keys.set(normalizePlaceholder(key), kind);
      const id = String(reference?.ArtifactId ?? '');
      if (id.includes('${')) {
        problems.push(`${section} ${key}: ArtifactId ${id} was never replaced by the artifact's id`);
        continue;
      }
      const resolved = resolveArtifact(core, accountId, reference ?? {}, regionId);
      if (resolved.problem) problems.push(`${section} ${key}: ${resolved.problem}`);
    }
  }
  const kinds = [...keys.values()];
  for (const found of findPlaceholders(JSON.stringify(template))) {
    if (
      !(PLACEHOLDER_KINDS as readonly string[]).includes(found.kind) &&
      !BUILT_IN_PLACEHOLDERS[`${found.kind}::${found.name}`]
    ) {
      problems.push(`the template's placeholder ${found.text} is of no kind Compute Nest knows`);
      continue;
    }
    const builtIn = BUILT_IN_PLACEHOLDERS[`${found.kind}::${found.name}`];
    const resolved = builtIn ? kinds.includes(builtIn) : keys.has(normalizePlaceholder(found.text));
    if (!resolved)
      problems.push(`the template's placeholder ${found.text} is resolved by no artifact relation`);
  }
  return problems;
}
