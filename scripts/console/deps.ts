import type { ServiceModel } from '../../service-config/model';
import type { HookLogger } from '../hook/logger';
import type { InstanceRecord } from '../hook/machine';
import type { HookStore, Job } from '../hook/store/store';
import type { OfferedAction } from './pages/order';
import type { PassLog } from './pass-log';
import type { RolloutReader } from './rollout-view';

/** What the console reads of the store: nothing that writes. */
export type ConsoleStore = Pick<
  HookStore,
  | 'get'
  | 'queryRecords'
  | 'eventsOf'
  | 'countsBy'
  | 'deadJobs'
  | 'deadLetters'
  | 'jobCounts'
  | 'jobsOf'
  | 'dueForTeardown'
>;

/** The operator actions, run through the same machine, job path and guard as the CLI's. */
export interface ConsoleActions {
  /** The actions an order's state allows. */
  offered(record: InstanceRecord, jobs: Job[]): OfferedAction[];
  run(name: string, id: string, reason: string | undefined): Promise<{ ok: boolean; message: string }>;
}

export interface ConsoleDeps {
  /** NESTKIT_CONSOLE_TOKEN: the console is off without it (the hook does not mount it). */
  token: string;
  store: ConsoleStore;
  model: ServiceModel;
  now: () => Date;
  log: HookLogger;
  actions: ConsoleActions;
  passes?: PassLog;
  /** The fleet upgrades in the hook's database (`scripts/rollout`), when the store has them. */
  rollouts?: RolloutReader;
}
