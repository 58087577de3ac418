import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EffectKind } from './machine';
import { SPI_ACTIONS } from './spi/requests';
import type { HookStore } from './store/store';

/** The results an SPI notification is counted under. */
export type NotificationResult = 'ok' | 'refused' | 'bad_token' | 'malformed';

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

  private readonly throttles = new Counter({
    name: 'nestkit_throttled_total',
    help: 'Effects throttled by the cloud; each one holds every job back for the shared backoff',
    registers: [this.registry],
  });
  private readonly redriven = new Counter({
    name: 'nestkit_effects_redriven_total',
    help: 'Effects the reconciler ran again because the record still needed them (after a dead letter, or a finished job that left nothing)',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly repairGuardTrips = new Counter({
    name: 'nestkit_reconcile_guard_trips_total',
    help: 'Reconciler steps stopped because they would close or delete an unusual share of the live records',
    labelNames: ['step'],
    registers: [this.registry],
  });
  private readonly deploymentsFailed = new Counter({
    name: 'nestkit_deployments_failed_total',
    help: 'Deployments that failed (the order went to state failed); each needs an operator: nestkit orders retry',
    registers: [this.registry],
  });
  private readonly storeWritable = new Gauge({
    name: 'nestkit_store_writable',
    help: '1 while the database commits, 0 while its disk is full, read-only or locked',
    registers: [this.registry],
  });

  constructor(store: HookStore) {
    this.storeWritable.set(1);
    new Gauge({
      name: 'nestkit_dead_letters',
      help: 'Dead-lettered effects in the job table, by kind: each one is re-driven by the reconciler while its record needs it',
      labelNames: ['kind'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [kind, n] of Object.entries(await store.deadLetters())) this.set({ kind }, n);
      },
    });
    new Gauge({
      name: 'nestkit_orders',
      help: 'Orders in the store by state (failed: deployments waiting for an operator)',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [state, n] of Object.entries(await store.countsBy('state'))) this.set({ state }, n);
      },
    });
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

  /** Labels from closed sets whatever a request says: an action not in the list is `unknown`. */
  notification(action: string | undefined, result: NotificationResult): void {
    const known = (SPI_ACTIONS as readonly string[]).includes(action ?? '') ? action! : 'unknown';
    this.notifications.inc({ action: known, result });
  }
  jobFinished(kind: EffectKind, outcome: 'done' | 'dead'): void {
    this.jobs.inc({ kind, outcome });
  }
  teardownDone(dueAt: string, now: Date): void {
    this.teardownLatency.observe(Math.max(0, (now.getTime() - Date.parse(dueAt)) / 1000));
  }
  deploymentFailed(): void {
    this.deploymentsFailed.inc();
  }
  guardTripped(): void {
    this.guardTrips.inc();
  }
  throttled(): void {
    this.throttles.inc();
  }
  effectRedriven(kind: EffectKind): void {
    this.redriven.inc({ kind });
  }
  reconcileGuardTripped(step: 'vanished' | 'redrive'): void {
    this.repairGuardTrips.inc({ step });
  }
  storeHealth(writable: boolean): void {
    this.storeWritable.set(writable ? 1 : 0);
  }
  reconcilePass(result: 'ok' | 'failed'): void {
    this.reconcilePasses.inc({ result });
  }
}
