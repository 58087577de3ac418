import { SynthError } from '../../cdk/synth-error';
import { locateField } from '../../service-config/load';
import { formatFieldPath } from '../../service-config/positions';
import { EXIT, UserError } from '../errors';

/** Refusals that are about the command line (a preview of an edition or module that does not exist). */
const USAGE = new Set(['UnknownEdition', 'UnknownModule']);

/**
 * Runs a synthesis step and turns a SynthError into a UserError that names the service.yaml file, line
 * and field (synth and publish both show it this way); a wrong --edition or --modules is a usage error.
 */
export function withLocation<T>(configFile: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof SynthError)) throw error;
    if (USAGE.has(error.code)) throw new UserError(error.code, error.message, undefined, EXIT.usage);
    const at = error.field.length > 0 ? locateField(configFile, error.field) : { line: 1, column: 1 };
    const message =
      error.field.length > 0 ? `${formatFieldPath(error.field)}: ${error.message}` : error.message;
    throw new UserError(error.code, message, `${configFile}:${at.line}:${at.column}`);
  }
}
