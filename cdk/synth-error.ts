/**
 * A reason synth refuses the service description. `field` is the path in service.yaml that caused it, so
 * the CLI can name the file, line and column.
 */
export class SynthError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field: (string | number)[] = [],
  ) {
    super(message);
    this.name = 'SynthError';
  }
}
