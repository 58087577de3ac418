import { stringify } from 'yaml';
import type { SynthesizedService } from '../../cdk/service-app';
import type { ServiceModel } from '../../service-config/model';
import { renderTemplatesReadme } from './readme';

export const SERVICE_DEFINITION_FILE = 'service-definition.json';

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** YAML 1.1 quotes `'2015-09-01'`, so YAML 1.1 readers do not take the format version for a date. */
export function toYaml(value: unknown): string {
  return stringify(value, { version: '1.1', aliasDuplicateObjects: false, lineWidth: 0 });
}

/** Every file synth writes, by path relative to the output directory, in a stable order. */
export function renderFiles(model: ServiceModel, synthesized: SynthesizedService): Map<string, string> {
  const files = new Map<string, string>();
  for (const { file, template } of synthesized.templates) {
    files.set(file, toJson(template));
    files.set(file.replace(/\.json$/, '.yaml'), toYaml(template));
  }
  files.set(SERVICE_DEFINITION_FILE, toJson(synthesized.serviceDefinition));
  files.set('README.md', renderTemplatesReadme(model, synthesized.templates));
  return files;
}
