/** Reads service-config/service.yaml for the checks that tie the definition to the editions. */
import type { ServiceDescription } from '../service/definition';
import type { FileCache } from './file-cache';

export function loadDescription(file: string, files: FileCache): ServiceDescription {
  // Loaded here rather than imported at the top: only linting this repository needs the loader (and ajv).
  const { loadServiceConfig } =
    require('../../../service-config/load') as typeof import('../../../service-config/load');
  const { ServiceConfigError } =
    require('../../../service-config/errors') as typeof import('../../../service-config/errors');
  const doc = files.load(file)!;
  try {
    const model = loadServiceConfig(file);
    return {
      doc,
      templateName: model.service.template.name,
      editions: model.editions,
      modules: model.modules,
      issues: [],
    };
  } catch (error) {
    if (!(error instanceof ServiceConfigError)) throw error;
    const issues = error.issues.map((i) => ({
      line: i.line,
      column: i.column,
      message: i.field ? `${i.field}: ${i.message}` : i.message,
    }));
    return { doc, templateName: '', editions: [], modules: [], issues };
  }
}
