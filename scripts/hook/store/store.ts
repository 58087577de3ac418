import type { EffectKind, InstanceRecord, LifecycleEvent, Source, State, Transition } from '../machine';

/** A unit of work the worker runs for one instance, leased so that two workers never run it at once. */
export interface Job {
  id: number;
  instanceId: string;
  kind: EffectKind;
  /** Revision of the record that asked for it; with the kind, the call's ClientToken. */
  revision: number;
  attempts: number;
  runAt: number;
  state: JobState;
  lastError?: string;
  /** When the current run of failures began (ms on the hook's clock): the retry budget counts from it. */
  firstFailedAt?: number;
}
export type JobState = 'pending' | 'leased' | 'done' | 'dead';

export interface AppliedEvent {
  record: InstanceRecord;
  transition: Transition;
}

/** A page of records for the operator (`nestkit orders`, the console): every filter is an indexed column. */
export interface RecordQuery {
  states?: State[];
  skuId?: string;
  /** Matches the record's id, serviceInstanceId, aliUid or one of its orderIds, exactly or as a prefix. */
  text?: string;
  /** ISO-8601 UTC bounds on `createdAt`: before is exclusive, after inclusive. */
  createdBefore?: string;
  createdAfter?: string;
  /** Only records with (true) or without (false) a dead-lettered job. */
  hasDeadLetter?: boolean;
  limit: number;
  offset: number;
}

/** A page of records, newest `updatedAt` first, and how many match in all. */
export interface RecordPage {
  records: InstanceRecord[];
  total: number;
}

/** One entry of an instance's audit log. */
export interface StoredEvent {
  seq: number;
  type: LifecycleEvent['type'];
  /** The event's own time (`event.at`). */
  at: string;
  event: LifecycleEvent;
  /** False when the event changed nothing (a duplicate or a late event). */
  changed: boolean;
  stateAfter: State;
}

/** Fields `countsBy` groups records by; records without a SKU count under the empty string. */
export type CountField = 'state' | 'skuId';

/**
 * The hook's durable state. Every method commits before it resolves, so an answer given after it
 * survives a crash. SQLite (`sqlite-store.ts`) is the default; a PostgreSQL store for several replicas
 * implements the same interface (row locks where SQLite has one writer).
 */
export interface HookStore {
  /**
   * Atomically: reads the record (a new one when unknown), lets `decide` compute the transition, and
   * saves the record, a job per effect, and the event in the audit log, in one transaction.
   */
  applyEvent(
    id: string,
    source: Source,
    event: LifecycleEvent,
    decide: (record: InstanceRecord) => Transition,
  ): Promise<AppliedEvent>;
  /** The same for many records in one transaction (one durable commit): the teardown pass uses it. */
  applyEvents(
    entries: { id: string; source: Source; event: LifecycleEvent }[],
    decide: (record: InstanceRecord, event: LifecycleEvent) => Transition,
  ): Promise<AppliedEvent[]>;
  get(id: string): Promise<InstanceRecord | undefined>;
  findByServiceInstanceId(serviceInstanceId: string): Promise<InstanceRecord | undefined>;
  /** Records in the given states (all when omitted). */
  list(states?: readonly InstanceRecord['state'][]): Promise<InstanceRecord[]>;
  /** Released records whose teardown time has come. */
  dueForTeardown(nowIso: string): Promise<InstanceRecord[]>;
  /** A page of records matching every given filter, newest `updatedAt` first (ties by id). */
  queryRecords(q: RecordQuery): Promise<RecordPage>;
  /** The audit log of one instance, oldest first. */
  eventsOf(instanceId: string): Promise<StoredEvent[]>;
  /** How many records there are per state or per SKU. */
  countsBy(field: CountField): Promise<Record<string, number>>;

  /** Leases up to `limit` runnable jobs, the oldest unfinished job of each instance only. */
  leaseJobs(owner: string, now: number, limit: number, leaseMs: number): Promise<Job[]>;
  completeJob(id: number, owner: string): Promise<void>;
  /**
   * Puts a job back to run at `runAt`; `countAttempt` false for a poll that is simply not finished. A
   * counted attempt at `failedAt` starts the job's run of failures unless one is under way already.
   */
  retryJob(
    id: number,
    owner: string,
    runAt: number,
    error: string | undefined,
    countAttempt: boolean,
    failedAt?: number,
  ): Promise<void>;
  deadJob(id: number, owner: string, error: string): Promise<void>;
  /**
   * Runs an effect of an instance again (the reconciler's repair): a dead or finished job of this kind at
   * this revision becomes pending at `runAt` with a fresh retry budget, or a new one is queued. Nothing
   * when one is open already. True when something was queued.
   */
  redriveJob(instanceId: string, kind: Job['kind'], revision: number, runAt: number): Promise<boolean>;
  /** Gives back every lease of this owner (graceful shutdown). */
  releaseLeases(owner: string): Promise<number>;
  jobCounts(): Promise<Record<JobState, number>>;
  /** Dead-lettered jobs by effect kind. */
  deadLetters(): Promise<Partial<Record<Job['kind'], number>>>;
  jobsOf(instanceId: string): Promise<Job[]>;
  /** Up to `limit` dead-lettered jobs, the most recently run first, each with its last error. */
  deadJobs(limit: number): Promise<Job[]>;

  /** Remembers an SSO (instanceId, timeStamp) pair; false when it was already used. */
  rememberSso(instanceId: string, timeStamp: string, now: number, forgetAfter: number): Promise<boolean>;
  /**
   * A random secret made once per store and kept in it: instance admin passwords are derived from it,
   * so they survive a rotation of the SPI key and cannot be derived by anyone who only knows that key.
   */
  instanceSecret(): Promise<string>;
  /**
   * This installation's identity, made once per store and kept in it: tagged on every instance the hook
   * creates, so that a second installation (another database) against the same service leaves them alone.
   */
  installationId(): Promise<string>;
  /** A small write that proves the database can commit again (after a full or read-only disk). */
  probe(): Promise<void>;
  /** A kept setting (e.g. the service id found at start): `value` replaces it when given; the current value. */
  setting(key: string, value?: string): Promise<string | undefined>;

  // --- Several replicas on one database (issue 19).
  /**
   * Takes the lease of a background pass (reconcile, teardown, ...) until `now + ttlMs` when it is free,
   * expired, or already this owner's: true when taken. One replica runs a pass at a time.
   */
  tryLeasePass(name: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  /** Gives the lease back (`until` given: keeps it until then, so the fleet runs the pass once a period). */
  releasePass(name: string, owner: string, until?: number): Promise<void>;
  /**
   * Claims the activation of a licence code until `now + ttlMs` (free, expired or this owner's): while
   * one replica activates a code with the Marketplace, another answers that it is in progress.
   */
  claimLicense(licenseCode: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  releaseLicense(licenseCode: string, owner: string): Promise<void>;
  close(): Promise<void>;

  // --- Missed notifications (issue 12): Marketplace notifications pulled with DescribeFailedNotifications.
  /**
   * `applyEvent` and the notification's id in one transaction: the record and the fact that this
   * notification was applied are committed together. Undefined (nothing applied) when the id was
   * applied before.
   */
  applyNotification(
    notificationId: string,
    id: string,
    source: Source,
    event: LifecycleEvent,
    decide: (record: InstanceRecord) => Transition,
  ): Promise<AppliedEvent | undefined>;
  /** Remembers a pulled notification that has nothing to apply (e.g. `verify`); false when known already. */
  rememberNotification(notificationId: string, instanceId: string, action: string): Promise<boolean>;
  /** Whether the id was applied, and whether its ConfirmNotification succeeded. */
  notificationStatus(notificationId: string): Promise<{ applied: boolean; confirmed: boolean }>;
  markNotificationConfirmed(notificationId: string, at: string): Promise<void>;
}
