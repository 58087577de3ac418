/** A problem in a service description, located so that an editor can jump to it. */
export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Field path in the document, e.g. `editions[1].nodeCount` (empty for the whole file). */
  field: string;
  message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.field ? ` ${issue.field}:` : '';
  return `${issue.file}:${issue.line}:${issue.column}:${where} ${issue.message}`;
}

/** Thrown by the loader with every issue found; the CLI prints them without a stack trace and exits 1. */
export class ServiceConfigError extends Error {
  readonly code = 'InvalidServiceConfig';
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ServiceConfigError';
  }
}
