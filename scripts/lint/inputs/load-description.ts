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
    const refused = synthRefusal(file, model);
    if (refused) return { doc, templateName: '', editions: [], modules: [], issues: [refused] };
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

/**
 * What `nestkit synth` would refuse in this description (a plan that breaks the template's own
 * constraints, a module parameter the template lacks ...), located in service.yaml, so lint and
 * publish stop on what synth stops on. Whether templates/ is current is `nestkit synth --check`'s job.
 */
function synthRefusal(file: string, model: import('../../../service-config/model').ServiceModel) {
  const { synthesizeService } =
    require('../../../cdk/service-app') as typeof import('../../../cdk/service-app');
  const { SynthError } = require('../../../cdk/synth-error') as typeof import('../../../cdk/synth-error');
  const { locateField } =
    require('../../../service-config/load') as typeof import('../../../service-config/load');
  try {
    synthesizeService(model);
    return undefined;
  } catch (error) {
    if (!(error instanceof SynthError)) throw error;
    const at = error.field.length > 0 ? locateField(file, error.field) : { line: 1, column: 1 };
    return { line: at.line, column: at.column, message: `synth refuses it: ${error.message}` };
  }
}
