import type { Report, ServiceRule } from '../model';
import { isRecord, type Path } from '../source/source-doc';
import { locateInText } from '../source/locate-text';
import { didYouMean } from '../../../service-config/suggest';

/** computenest-cli substitutes only these namespaces; any other `${...}` (shell, ROS) is left alone. */
const NAMESPACES = ['Artifact', 'ImageBuilder', 'HelmChartBuilder', 'AcrImageBuilder'];
const PLACEHOLDER = new RegExp(`\\$\\{\\s*(${NAMESPACES.join('|')})\\.([^.}\\s]+)[^}]*\\}`, 'g');

export const configPlaceholder: ServiceRule = {
  id: 'config-placeholder',
  scope: 'service',
  severity: 'error',
  short:
    'A ${Artifact.X...} (or ImageBuilder, HelmChartBuilder, AcrImageBuilder) placeholder names no entry.',
  long:
    'computenest-cli replaces ${Artifact.<key>.ArtifactId}, ${ImageBuilder.<key>.SourceImageId} and the like ' +
    'with values of the sibling sections of config.yaml. A key missing from that section leaves the placeholder ' +
    'in the service definition. Shell ${var} in CommandContent is not one of these namespaces and is ignored.',
  docUrl: 'https://github.com/aliyun-computenest/computenest-cli-docs',
  appliesTo: ['**'],
  check(definition) {
    const reports: Report[] = [];
    visitStrings(definition.root, [], (text, path) => {
      for (const match of text.matchAll(PLACEHOLDER)) {
        const [, namespace, key] = match;
        const section = definition.root[namespace];
        if (isRecord(section) && key in section) continue;
        const keys = isRecord(section) ? Object.keys(section) : [];
        reports.push({
          where: locateInText(definition.doc, path, match.index ?? 0, text),
          message: `${match[0]} names "${key}", which is not an entry of ${namespace}${keys.length ? didYouMean(key, keys) : ` (config.yaml has no ${namespace} section)`}`,
        });
      }
    });
    return reports;
  },
};

function visitStrings(value: unknown, path: Path, visit: (text: string, path: Path) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => visitStrings(item, [...path, i], visit));
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) visitStrings(v, [...path, k], visit);
}
