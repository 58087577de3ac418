import { UserError } from '../errors';
import { transition, type InstanceRecord } from '../hook/machine';
import {
  MAX_REASON_LENGTH,
  planResume,
  planRetry,
  releaseOrder,
  resumeOrder,
  retryOrder,
  type OperatorDeps,
} from '../hook/operator-actions';
import type { Job } from '../hook/store/store';
import type { ConsoleActions } from './deps';
import type { OfferedAction } from './pages/order';

const RETRY: OfferedAction = {
  name: 'retry',
  label: 'Retry',
  explain: 'Runs the failed deployment or the dead-lettered effect again, through the job queue.',
};
const RELEASE: OfferedAction = {
  name: 'release',
  label: 'Release and tear down',
  explain: `Releases the order now: the next teardown pass deletes its instance, within the teardown guard. Say why (up to ${MAX_REASON_LENGTH} characters).`,
  reason: true,
  danger: true,
};
const resume = (record: InstanceRecord): OfferedAction => ({
  name: 'resume',
  label: 'Resume teardown',
  explain: `Its teardown has been due since ${record.teardownAt}, held while the teardown guard stops the passes. Resume tears this one order down now: the guard still counts it, and the hook deletes its instance through the same job as any teardown.`,
  danger: true,
});

/**
 * The console's actions are the operator's (`scripts/hook/operator-actions.ts`, as `nestkit orders`
 * runs them, with the hook's policy and teardown limits): offered when the machine would act on them,
 * refused with the same message otherwise.
 */
export function operatorConsoleActions(deps: OperatorDeps): ConsoleActions {
  return {
    offered(record: InstanceRecord, jobs: Job[]) {
      const offered: OfferedAction[] = [];
      if (planRetry(record, jobs).kind !== 'refuse') offered.push(RETRY);
      const release = { type: 'operatorRelease', at: deps.now().toISOString(), reason: 'asked' } as const;
      if (transition(record, release, deps.policy).changed) offered.push(RELEASE);
      if (planResume(record, deps.now()).kind === 'resume') offered.push(resume(record));
      return offered;
    },
    async run(name, id, reason) {
      try {
        if (name === 'retry') return { ok: true, message: (await retryOrder(deps, id)).summary };
        if (name === 'release')
          return { ok: true, message: (await releaseOrder(deps, id, reason ?? '')).summary };
        if (name === 'resume') return { ok: true, message: (await resumeOrder(deps, id)).summary };
        return { ok: false, message: `the console has no action "${name}"` };
      } catch (error) {
        if (error instanceof UserError) return { ok: false, message: error.message };
        throw error;
      }
    },
  };
}
