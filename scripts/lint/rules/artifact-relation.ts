import type { ServiceRule } from '../model';
import type { Path } from '../source/source-doc';
import { mapKeys, objectOrJson } from '../service/shapes';

const RELATIONS = [
  'ArtifactRelation',
  'FileArtifactRelation',
  'HelmChartArtifactRelation',
  'AcrImageArtifactRelation',
];

export const artifactRelation: ServiceRule = {
  id: 'artifact-relation',
  scope: 'service',
  severity: 'error',
  short: 'An artifact relation key does not occur in any template of the service.',
  long:
    'Compute Nest replaces each ArtifactRelation key (an ImageId literal) and each File/HelmChart/AcrImage ' +
    'relation key ({{ computenest::file::name }} ...) in the templates with the artifact. A key that occurs in no ' +
    'template replaces nothing: the template keeps a placeholder image id or file URL and deployment fails.',
  docUrl: 'https://www.alibabacloud.com/help/en/compute-nest/ecs-image-deployment-package',
  appliesTo: RELATIONS.map((r) => `Service/DeployMetadata/SupplierDeployMetadata/${r}`),
  check(definition) {
    const texts = [...definition.templates, ...definition.supplierTemplates].flatMap((t) =>
      t.doc ? [normalise(t.doc.text)] : [],
    );
    if (texts.length === 0) return [];
    const supplier = objectOrJson(definition.deployMetadata.SupplierDeployMetadata);
    const base: Path = ['Service', 'DeployMetadata', 'SupplierDeployMetadata'];
    return RELATIONS.flatMap((relation) =>
      mapKeys(supplier[relation], [...base, relation])
        .filter(({ key }) => !texts.some((text) => text.includes(normalise(key))))
        .map(({ key, path }) => ({
          where: { doc: definition.doc, path, key: true },
          message: `${relation} key "${key}" occurs in no template of the service`,
        })),
    );
  },
};

/** Placeholders are written with and without inner spaces: `{{ computenest::file::x }}`, `{{computenest::file::x}}`. */
function normalise(text: string): string {
  return text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, '{{$1}}');
}
