import type { ServiceRule } from '../model';
import { isRecord } from '../source/source-doc';
import { mapKeys } from '../service/shapes';

/** `${Artifact.<key>.` anywhere in the Service section: the key is used by a relation or another field. */
const REFERENCE = /\$\{\s*Artifact\.([^.}\s]+)\./g;

export const unusedArtifact: ServiceRule = {
  id: 'unused-artifact',
  scope: 'service',
  severity: 'warning',
  short: 'An entry of the Artifact section is named by no relation of the service.',
  long:
    'computenest-cli builds and distributes every entry of the Artifact section, but only an entry that an ' +
    'ArtifactRelation, FileArtifactRelation, AcrImageArtifactRelation or HelmChartArtifactRelation names ' +
    '(${Artifact.<key>.ArtifactId}) reaches a deployment: any other is built and paid for nothing, or the ' +
    'relation that should name it is missing.',
  docUrl: 'https://github.com/aliyun-computenest/computenest-cli-docs',
  appliesTo: ['Artifact/*'],
  check(definition) {
    const artifacts = definition.root.Artifact;
    if (!isRecord(artifacts)) return [];
    const used = new Set(
      [...JSON.stringify(definition.service ?? {}).matchAll(REFERENCE)].map((match) => match[1]),
    );
    return mapKeys(artifacts, ['Artifact'])
      .filter(({ key }) => !used.has(key))
      .map(({ key, path }) => ({
        where: { doc: definition.doc, path, key: true },
        message: `artifact ${key} is named by no artifact relation (\${Artifact.${key}.ArtifactId}): it is built and shipped for nothing`,
      }));
  },
};
