/** Exit codes shared by every command: ok, findings or a failed operation, usage or runtime error. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/**
 * An error the user can act on: a stable code, a message, and where it happened (a `file:line:col`
 * or a request parameter). The CLI prints it without a stack trace.
 */
export class UserError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly location?: string,
    readonly exitCode: number = EXIT.findings,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
