import type { SandboxCore } from '../core';
import type { Caller } from '../signature/authenticate';
import type { Params } from './params';

/** What an action handler gets: the business parameters, who calls, and the sandbox. */
export interface ActionContext {
  core: SandboxCore;
  params: Params;
  caller: Caller;
  /** The endpoint as the caller reached it (for URLs the sandbox hands out). */
  host: string;
}

export interface ActionSpec {
  handler: (ctx: ActionContext) => Record<string, unknown>;
  /** Writes change state: the sandbox saves after them and honours ClientToken. */
  writes: boolean;
}

export type ActionTable = Record<string, ActionSpec>;

export const read = (handler: ActionSpec['handler']): ActionSpec => ({ handler, writes: false });
export const write = (handler: ActionSpec['handler']): ActionSpec => ({ handler, writes: true });
