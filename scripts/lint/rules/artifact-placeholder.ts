import {
  BUILT_IN_PLACEHOLDERS,
  findPlaceholders,
  normalizePlaceholder,
  PLACEHOLDER_KINDS,
  type PlaceholderKind,
} from '../../../service-config/artifacts';
import type { Report, ServiceRule } from '../model';
import { objectOrJson } from '../service/shapes';
import { didYouMean } from '../../../service-config/suggest';

/** The relation sections that resolve a placeholder kind. */
const RELATION_OF: Record<PlaceholderKind, string> = {
  file: 'FileArtifactRelation',
  acrimage: 'AcrImageArtifactRelation',
  helmchart: 'HelmChartArtifactRelation',
};

export const artifactPlaceholder: ServiceRule = {
  id: 'artifact-placeholder',
  scope: 'service',
  severity: 'error',
  short: 'A {{ computenest::... }} placeholder in a template names no artifact relation of its kind.',
  long:
    'Compute Nest replaces {{ computenest::file::<name> }}, {{ computenest::acrimage::<name> }} and ' +
    '{{ computenest::helmchart::<name> }} with the artifact that the key of File/AcrImage/HelmChartArtifactRelation ' +
    'names, and the registry secrets {{ computenest::acr::dockerconfigjson }} / {{ computenest::helm::dockerconfigjson }} ' +
    'when the service relates such an artifact. A placeholder nothing resolves stays in the deployed template ' +
    '(a download of a literal "{{ ... }}"), and one of an unknown kind is never replaced.',
  docUrl: 'https://www.alibabacloud.com/help/en/compute-nest/ecs-image-deployment-package',
  appliesTo: ['Resources/**', 'Service/DeployMetadata/SupplierDeployMetadata/*ArtifactRelation'],
  check(definition) {
    const supplier = objectOrJson(definition.deployMetadata.SupplierDeployMetadata);
    const keysOf = (kind: PlaceholderKind) =>
      Object.keys(objectOrJson(supplier[RELATION_OF[kind]])).map(normalizePlaceholder);
    const seen = new Set<string>();
    const reports: Report[] = [];
    for (const entry of [...definition.templates, ...definition.supplierTemplates]) {
      const doc = entry.doc;
      if (!doc || seen.has(doc.file)) continue;
      seen.add(doc.file);
      for (const found of findPlaceholders(doc.text)) {
        const message = problemOf(found, keysOf);
        if (!message) continue;
        const pos = doc.lines.linePos(found.index);
        reports.push({ where: { file: doc.file, line: pos.line, column: pos.col }, message });
      }
    }
    return reports;
  },
};

function problemOf(
  found: { text: string; kind: string; name: string },
  keysOf: (kind: PlaceholderKind) => string[],
): string | undefined {
  const builtIn = BUILT_IN_PLACEHOLDERS[`${found.kind}::${found.name}`];
  if (builtIn)
    return keysOf(builtIn).length > 0
      ? undefined
      : `${found.text} is filled in only for a service with a ${RELATION_OF[builtIn]}; it has none`;
  if (!(PLACEHOLDER_KINDS as readonly string[]).includes(found.kind))
    return `${found.text}: "${found.kind}" is not a placeholder kind Compute Nest replaces (${PLACEHOLDER_KINDS.join(', ')})${didYouMean(found.kind, [...PLACEHOLDER_KINDS])}`;
  const kind = found.kind as PlaceholderKind;
  const keys = keysOf(kind);
  if (keys.includes(normalizePlaceholder(found.text))) return undefined;
  const names = keys.map((k) => findPlaceholders(k)[0]?.name ?? k);
  return `${found.text} names no ${RELATION_OF[kind]} key${names.length ? didYouMean(found.name, names) : ` (the service has no ${RELATION_OF[kind]})`}`;
}
