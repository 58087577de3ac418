import type { ServiceModel } from '../../service-config/model';
import { UserError } from '../errors';
import type { HookLogger } from '../hook/logger';
import type { Policy } from '../hook/machine';
import type { HookStore } from '../hook/store/store';
import { operatorConsoleActions } from './actions';
import { createConsole, type ConsoleHandler } from './handler';
import type { PassLog } from './pass-log';
import type { RolloutReader } from './rollout-view';

/** TODO: use the hook's shared minimum for keys and tokens (issue 14) once it is committed. */
export const MIN_CONSOLE_TOKEN_LENGTH = 16;

/**
 * The console the hook mounts at `/console`, or undefined (off) without NESTKIT_CONSOLE_TOKEN. A token
 * too short to resist guessing is refused at start, not accepted quietly.
 */
export function consoleFor(
  token: string | undefined,
  deps: {
    rollouts?: RolloutReader;
    store: HookStore;
    model: ServiceModel;
    policy: Policy;
    now: () => Date;
    log: HookLogger;
    passes: PassLog;
  },
): ConsoleHandler | undefined {
  if (!token) return undefined;
  assertConsoleToken(token);
  return createConsole({ ...deps, token, actions: operatorConsoleActions(deps) });
}

/** Refuses a console token too short to resist guessing (checked at start, before anything opens). */
export function assertConsoleToken(token: string | undefined): void {
  if (token !== undefined && token !== '' && token.length < MIN_CONSOLE_TOKEN_LENGTH)
    throw new UserError(
      'WeakConsoleToken',
      `NESTKIT_CONSOLE_TOKEN must be at least ${MIN_CONSOLE_TOKEN_LENGTH} characters (e.g. openssl rand -hex 24)`,
    );
}
