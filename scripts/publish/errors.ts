import { EXIT } from '../errors';

/** A publish failure the user can act on: a code, what happened, and what to do next. */
export class PublishError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly exitCode: number = EXIT.findings,
    /** Lines shown under the message (lint findings, stale files). */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'PublishError';
  }
}
