import { CloudError, type SupplierApi } from '../cloud';
import type { RolloutClock } from './clock';
import { lookAt, outputsOf, patiently } from './fleet';
import type { HealthProbe } from './health';
import { FINAL_STEP_STATES, HOLDING_STEP_STATES, type LiveInstance, type StepState } from './model';
import { skipReason } from './plan';
import { forEachLimited } from './pool';
import { withOrders, type OrderView } from './orders';
import type { RolloutRecord, RolloutStore, StepChange, StepRecord } from './store';
import type { UpgradeMetadata } from './upgrade-metadata';
import { tooManyFailures } from './waves';

export interface ExecutorDeps {
  supplier: SupplierApi;
  store: RolloutStore;
  clock: RolloutClock;
  /** Wait between looks at a wave in progress (rollout clock). */
  pollMs: number;
  /** Upgrade calls in flight at once (the client's rate limit paces them). */
  concurrency: number;
  /** The target's UpgradeMetadata, asked again before each instance's turn. */
  metadata: UpgradeMetadata | undefined;
  health?: HealthProbe;
  /** The hook's view of the orders, asked again before each wave. */
  orders?: OrderView;
  onProgress?: (rollout: RolloutRecord, steps: StepRecord[]) => void;
  onNote?: (message: string) => void;
}

/** How an executor's run ended: the rollout's state when it returned. */
export type RunEnd = 'finished' | 'stopped' | 'paused' | 'aborted';

/** The same token for every attempt at one instance's upgrade (or rollback) in one rollout. */
export const upgradeToken = (rolloutId: string, instanceId: string) =>
  `nk-up-${rolloutId}-${instanceId}`.slice(0, 64);
export const rollbackToken = (rolloutId: string, instanceId: string) =>
  `nk-rb-${rolloutId}-${instanceId}`.slice(0, 64);

const isFinal = (state: StepState) => FINAL_STEP_STATES.includes(state);

/**
 * Works a rollout from where its store says it is: each wave's upgrades are asked for (state first,
 * then the call, with a ClientToken, so a crash in between repeats the call and the cloud answers the
 * first one), watched until deployed on the target and healthy for the soak, failures counted; then
 * the next wave. Pause and abort are read from the store between looks.
 */
export class RolloutExecutor {
  constructor(private readonly deps: ExecutorDeps) {}

  async run(rolloutId: string): Promise<RunEnd> {
    const { store } = this.deps;
    for (;;) {
      const rollout = await store.get(rolloutId);
      if (!rollout) throw new Error(`no rollout ${rolloutId}`);
      if (rollout.state !== 'running')
        return rollout.state === 'finished' ? 'finished' : (rollout.state as RunEnd);
      if (rollout.currentWave >= rollout.waveSizes.length) {
        await store.setState(rolloutId, 'finished');
        await this.progress(rolloutId);
        return 'finished';
      }
      const end = await this.runWave(rollout);
      if (end) return end;
    }
  }

  /** One wave to its end; a RunEnd when the rollout is not to go on. */
  private async runWave(rollout: RolloutRecord): Promise<RunEnd | undefined> {
    const { store } = this.deps;
    const wave = rollout.currentWave;
    await this.start(rollout, await store.steps(rollout.id, wave));
    for (;;) {
      const steps = await store.steps(rollout.id, wave);
      await this.progress(rollout.id);
      // A failed step is rolled back (with --rollback-failed) on the next look, also after a crash.
      const toRollBack = steps.filter((s) => s.state === 'failed' && rollout.options.rollbackFailed);
      await forEachLimited(toRollBack, this.deps.concurrency, (step) => this.rollback(rollout, step));
      if (toRollBack.length === 0 && steps.every((s) => isFinal(s.state))) break;
      const state = (await store.get(rollout.id))?.state;
      if (state === 'aborted') return 'aborted';
      // Paused: what is under way is watched to its end; what has not started waits for `resume`.
      if (state === 'paused' && steps.every((s) => s.state === 'pending' || isFinal(s.state)))
        return 'paused';
      await this.deps.clock.sleep(this.nap(rollout, steps));
      await this.watch(
        rollout,
        steps.filter((s) => HOLDING_STEP_STATES.includes(s.state)),
      );
    }
    const steps = await store.steps(rollout.id, wave);
    const failures = steps.filter((s) => ['failed', 'rolledBack', 'rollbackFailed'].includes(s.state)).length;
    if (tooManyFailures(failures, steps.length, rollout.options.maxFailures)) {
      const reason = `${failures} of ${steps.length} upgrades failed in wave ${wave + 1}${wave === 0 ? ' (the canary)' : ''}, more than --max-failures allows`;
      await store.setState(rollout.id, 'stopped', reason);
      this.deps.onNote?.(`stopped: ${reason}`);
      await this.progress(rollout.id);
      return 'stopped';
    }
    const state = (await store.get(rollout.id))?.state;
    await store.setWave(rollout.id, wave + 1);
    if (state === 'paused' || state === 'aborted') return state;
    return undefined;
  }

  /**
   * How long to wait before the next look: the poll interval while anything is changing; when every
   * step under way is soaking, until the first soak ends (its status is read then, as at its start).
   */
  private nap(rollout: RolloutRecord, steps: StepRecord[]): number {
    const busy = steps.some((s) => s.state === 'upgrading' || s.state === 'rollingBack');
    const soaking = steps.filter((s) => s.state === 'soaking');
    if (busy || soaking.length === 0) return this.deps.pollMs;
    const firstEnd = Math.min(...soaking.map((s) => (s.healthySinceMs ?? 0) + rollout.options.soakMs));
    return Math.max(1, firstEnd - this.deps.clock.now());
  }

  /**
   * Asks for the upgrade of every pending step of the wave (and again, by token, of steps a crash
   * interrupted). The wave's steps are marked `upgrading` in one commit before any call: a crash after it
   * repeats each call with its ClientToken, and the cloud answers the first one.
   */
  private async start(rollout: RolloutRecord, steps: StepRecord[]): Promise<void> {
    const { supplier, store, clock } = this.deps;
    const toStart = steps.filter((s) => s.state === 'pending' || s.state === 'upgrading');
    if (toStart.length === 0 || (await store.get(rollout.id))?.state !== 'running') return;
    const looked = await lookAt(
      supplier,
      clock,
      rollout.serviceId,
      toStart.map((s) => s.instanceId),
    );
    const now = new Map((await withOrders([...looked.values()], this.deps.orders)).map((i) => [i.id, i]));
    const changes: (StepChange & { instanceId: string })[] = [];
    const toCall: string[] = [];
    for (const step of toStart) {
      const live = now.get(step.instanceId)!;
      if (step.state === 'upgrading') {
        // Asked for before a crash and the cloud has it: only watch. Else ask again, same token.
        if (live.status !== 'Upgrading' && live.version !== rollout.targetVersion)
          toCall.push(step.instanceId);
        continue;
      }
      const skip = skipReason(live, rollout.targetVersion, this.deps.metadata);
      if (skip)
        changes.push({
          instanceId: step.instanceId,
          state: 'skipped',
          detail: `${skip.reason}: ${skip.detail}`,
        });
      else {
        changes.push({ instanceId: step.instanceId, state: 'upgrading', countAttempt: true });
        toCall.push(step.instanceId);
      }
    }
    await store.updateSteps(rollout.id, changes);
    await forEachLimited(toCall, this.deps.concurrency, (id) => this.upgrade(rollout, id));
  }

  private async upgrade(rollout: RolloutRecord, instanceId: string): Promise<void> {
    const { supplier, store, clock } = this.deps;
    try {
      await patiently(clock, () =>
        supplier.upgradeServiceInstance({
          ServiceInstanceId: instanceId,
          ServiceVersion: rollout.targetVersion,
          ClientToken: upgradeToken(rollout.id, instanceId),
        }),
      );
    } catch (error) {
      if (!(error instanceof CloudError)) throw error;
      // Refused: released, expired or changed since the plan is a skip; anything else a failure.
      const live = (await lookAt(supplier, clock, rollout.serviceId, [instanceId])).get(instanceId)!;
      // An earlier attempt (its answer lost) has started it: the watch takes it from here.
      if (live.status === 'Upgrading' || live.version === rollout.targetVersion) return;
      const skip = skipReason(live, rollout.targetVersion, this.deps.metadata);
      const detail = `${error.code}: ${error.message}`;
      await store.updateStep(
        rollout.id,
        instanceId,
        skip && ['released', 'expired', 'deploying'].includes(skip.reason)
          ? { state: 'skipped', detail: `${skip.reason}: ${detail}` }
          : { state: 'failed', detail },
      );
    }
  }

  /** Looks at the unfinished steps once and moves each as its instance says, in one commit. */
  private async watch(rollout: RolloutRecord, steps: StepRecord[]): Promise<void> {
    const { supplier, clock } = this.deps;
    const live = await lookAt(
      supplier,
      clock,
      rollout.serviceId,
      steps.map((s) => s.instanceId),
    );
    const changes: (StepChange & { instanceId: string })[] = [];
    await forEachLimited(steps, this.deps.concurrency, async (step) => {
      const change = await this.move(rollout, step, live.get(step.instanceId)!);
      if (change) changes.push({ instanceId: step.instanceId, ...change });
    });
    await this.deps.store.updateSteps(rollout.id, changes);
  }

  private async move(
    rollout: RolloutRecord,
    step: StepRecord,
    live: LiveInstance,
  ): Promise<StepChange | undefined> {
    const now = this.deps.clock.now();
    if (live.status === 'Deleting' || live.status === 'Deleted')
      return { state: 'skipped', detail: 'released: during the rollout' };
    if (step.state === 'upgrading') {
      if (live.status === 'Upgrading') return undefined;
      if (live.status === 'Deployed' && live.version === rollout.targetVersion) {
        const health = await this.checkHealth(step.instanceId);
        return health ? this.fail(step, health) : { state: 'soaking', healthySinceMs: now };
      }
      // [I] The status is Upgrading as soon as the call answers, so anything else is the upgrade's end.
      return this.fail(step, `the upgrade ended ${live.status} on version ${live.version}`);
    }
    if (step.state === 'soaking') {
      if (live.status !== 'Deployed' || live.version !== rollout.targetVersion)
        return this.fail(step, `while soaking it became ${live.status} on version ${live.version}`);
      if (now - (step.healthySinceMs ?? now) < rollout.options.soakMs) return undefined;
      const health = await this.checkHealth(step.instanceId);
      return health ? this.fail(step, health) : { state: 'done' };
    }
    if (step.state === 'rollingBack') {
      if (live.status === 'UpgradeRollbacking') return undefined;
      return live.status === 'Deployed' && live.version === step.fromVersion
        ? { state: 'rolledBack' }
        : { state: 'rollbackFailed', detail: `the rollback ended ${live.status} on version ${live.version}` };
    }
    return undefined;
  }

  /** A failed step; with `--rollback-failed` the wave's next look rolls it back. */
  private fail(step: StepRecord, detail: string): StepChange {
    this.deps.onNote?.(`${step.instanceId} failed: ${detail}`);
    return { state: 'failed', detail };
  }

  private async rollback(rollout: RolloutRecord, step: StepRecord): Promise<void> {
    const { supplier, store, clock } = this.deps;
    try {
      await patiently(clock, () =>
        supplier.rollbackServiceInstance({
          ServiceInstanceId: step.instanceId,
          ClientToken: rollbackToken(rollout.id, step.instanceId),
        }),
      );
      await store.updateStep(rollout.id, step.instanceId, { state: 'rollingBack' });
    } catch (error) {
      if (!(error instanceof CloudError)) throw error;
      await store.updateStep(rollout.id, step.instanceId, {
        state: 'rollbackFailed',
        detail: `rollback refused: ${error.code}: ${error.message}`,
      });
    }
  }

  /** A reason the application is unhealthy, or undefined (healthy, or not reachable from here). */
  private async checkHealth(instanceId: string): Promise<string | undefined> {
    if (!this.deps.health) return undefined;
    const result = await this.deps.health(await outputsOf(this.deps.supplier, this.deps.clock, instanceId));
    return result.kind === 'unhealthy' ? `health check: ${result.detail}` : undefined;
  }

  private async progress(rolloutId: string): Promise<void> {
    if (!this.deps.onProgress) return;
    const rollout = await this.deps.store.get(rolloutId);
    if (rollout) this.deps.onProgress(rollout, await this.deps.store.steps(rolloutId));
  }
}
