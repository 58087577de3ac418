import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EffectKind } from './machine';
import type { HookStore } from './store/store';

/** The hook's Prometheus metrics on a registry of its own (several hooks can run in one test process). */
export class HookMetrics {
  readonly registry = new Registry();
  private readonly notifications = new Counter({
    name: 'nestkit_spi_notifications_total',
    help: 'SPI notifications by action and result',
    labelNames: ['action', 'result'],
    registers: [this.registry],
  });
  private readonly jobs = new Counter({
    name: 'nestkit_jobs_finished_total',
    help: 'Effects finished, by kind and outcome (done or dead)',
    labelNames: ['kind', 'outcome'],
    registers: [this.registry],
  });
  private readonly teardownLatency = new Histogram({
    name: 'nestkit_teardown_latency_seconds',
    help: 'From the time a teardown was due to the instance being deleted',
    buckets: [1, 5, 15, 60, 300, 900, 3600, 21600],
    registers: [this.registry],
  });
  private readonly guardTrips = new Counter({
    name: 'nestkit_teardown_guard_trips_total',
    help: 'Teardown passes stopped because they would delete an unusual number or share of instances',
    registers: [this.registry],
  });
  private readonly reconcilePasses = new Counter({
    name: 'nestkit_reconcile_passes_total',
    help: 'Reconciler passes by result',
    labelNames: ['result'],
    registers: [this.registry],
  });

  constructor(store: HookStore) {
    new Gauge({
      name: 'nestkit_jobs',
      help: 'Jobs in the durable job table by state',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const counts = await store.jobCounts();
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
  }

  notification(action: string, result: string): void {
    this.notifications.inc({ action, result });
  }
  jobFinished(kind: EffectKind, outcome: 'done' | 'dead'): void {
    this.jobs.inc({ kind, outcome });
  }
  teardownDone(dueAt: string, now: Date): void {
    this.teardownLatency.observe(Math.max(0, (now.getTime() - Date.parse(dueAt)) / 1000));
  }
  guardTripped(): void {
    this.guardTrips.inc();
  }
  reconcilePass(result: 'ok' | 'failed'): void {
    this.reconcilePasses.inc({ result });
  }
}
