import type { ServiceModel } from '../../service-config/model';
import type { HookLogger } from '../hook/logger';
import type { Policy } from '../hook/machine';
import { assertSecretLength } from '../hook/secrets';
import type { HookStore } from '../hook/store/store';
import type { TeardownLimits } from '../hook/teardown-guard';
import { operatorConsoleActions } from './actions';
import { createConsole, type ConsoleHandler } from './handler';
import type { PassLog } from './pass-log';
import type { RolloutReader } from './rollout-view';

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
    /** The hook's teardown limits: the console's resume is guarded by them, as the hook's passes are. */
    limits: TeardownLimits;
  },
): ConsoleHandler | undefined {
  if (!token) return undefined;
  assertConsoleToken(token);
  return createConsole({ ...deps, token, actions: operatorConsoleActions(deps) });
}

/** Refuses a console token that is too short or too plain to resist guessing (checked at start). */
export function assertConsoleToken(token: string | undefined): void {
  assertSecretLength('NESTKIT_CONSOLE_TOKEN', token);
}
