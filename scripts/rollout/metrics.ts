import { Gauge, type Registry } from 'prom-client';
import { ROLLOUT_STATES, STEP_STATES } from './model';
import { countSteps } from './report';
import type { RolloutStore } from './store';

/**
 * The latest rollout in the hook's `/metrics`, read from the store at each scrape (prom-client awaits each collect): its state (1 for the
 * current one), the wave, and its instances by step state.
 */
export function registerRolloutMetrics(
  registry: Registry,
  store: Pick<RolloutStore, 'latest' | 'steps'>,
): void {
  new Gauge({
    name: 'nestkit_rollout_state',
    help: 'The latest rollout: 1 on its state (running, paused, stopped, aborted, finished), by target version',
    labelNames: ['state', 'target_version'],
    registers: [registry],
    async collect() {
      this.reset();
      const latest = await store.latest();
      if (!latest) return;
      for (const state of ROLLOUT_STATES)
        this.set({ state, target_version: latest.targetVersion }, state === latest.state ? 1 : 0);
    },
  });
  new Gauge({
    name: 'nestkit_rollout_wave',
    help: 'The wave the latest rollout works on (1 is the canary) and, with total, how many it has',
    labelNames: ['of'],
    registers: [registry],
    async collect() {
      this.reset();
      const latest = await store.latest();
      if (!latest) return;
      this.set({ of: 'current' }, Math.min(latest.currentWave + 1, latest.waveSizes.length));
      this.set({ of: 'total' }, latest.waveSizes.length);
    },
  });
  new Gauge({
    name: 'nestkit_rollout_instances',
    help: 'Instances of the latest rollout by step state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      this.reset();
      const latest = await store.latest();
      if (!latest) return;
      const counts = countSteps(await store.steps(latest.id));
      for (const state of STEP_STATES) this.set({ state }, counts[state]);
    },
  });
}
