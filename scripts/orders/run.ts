/**
 * The I/O of `nestkit orders`: opens the hook's database (beside a running hook: SQLite in WAL mode lets
 * one reader and one writer in), reads or acts, prints. What is shown is computed in format.ts.
 */
import { existsSync } from 'node:fs';
import { loadServiceConfig } from '../../service-config/load';
import { EXIT, UserError } from '../errors';
import { sandboxClock } from '../hook/clock';
import {
  releaseOrder,
  resumeOrder,
  retryOrder,
  type OperatorActionResult,
  type OperatorDeps,
} from '../hook/operator-actions';
import { keptTeardownLimits } from '../hook/scheduler';
import { describeTarget, openStore, storeTarget } from '../hook/store/open-store';
import type { HookStore, Job } from '../hook/store/store';
import { paint as paintFor, printJson } from '../output';
import { formatAction, formatList, formatShow, listView, masked, showView, type Paint } from './format';
import { listQuery, type ListOptions } from './query';

export interface OrdersOptions {
  /** An SQLite file or a postgres:// URL; unset: NESTKIT_DATABASE_URL, else the default file. */
  db?: string;
  config: string;
  endpoint?: string;
  sandboxClock?: boolean;
  json?: boolean;
}

const paint: Paint = (text, colour) => paintFor(text, colour, process.stdout);

export async function listOrders(options: OrdersOptions & ListOptions): Promise<number> {
  const now = await clockOf(options);
  const query = listQuery(options, now());
  return withStore(options.db, async (store) => {
    const page = await store.queryRecords(query);
    const jobs = new Map<string, Job[]>();
    for (const record of page.records) jobs.set(record.id, await store.jobsOf(record.id));
    const view = listView(page, jobs, query, await store.countsBy('state'), await store.deadLetters());
    if (options.json) printJson(view);
    else process.stdout.write(formatList(view, now(), paint));
    return EXIT.ok;
  });
}

export async function showOrder(id: string, options: OrdersOptions): Promise<number> {
  return withStore(options.db, async (store) => {
    const record = await store.get(id);
    if (!record)
      throw new UserError(
        'UnknownOrder',
        `no order ${id} in this database`,
        `--db ${describeTarget(storeTarget(options.db))}`,
      );
    const view = showView(record, await store.eventsOf(id), await store.jobsOf(id));
    if (options.json) printJson(view);
    else process.stdout.write(formatShow(view, paint));
    return EXIT.ok;
  });
}

export async function retry(id: string, options: OrdersOptions): Promise<number> {
  return act(options, (deps) => retryOrder(deps, id));
}

export async function release(id: string, options: OrdersOptions & { reason: string }): Promise<number> {
  return act(options, (deps) => releaseOrder(deps, id, options.reason));
}

/** A held teardown let through, guarded with the limits the hook keeps in its database. */
export async function resume(id: string, options: OrdersOptions): Promise<number> {
  return act(options, (deps) => resumeOrder(deps, id));
}

/**
 * Runs an operator action with the hook's own rules: its policy from the same service.yaml (`--config`),
 * its teardown limits as the hook kept them in the database at start (else the hook's defaults).
 */
async function act(
  options: OrdersOptions,
  action: (deps: OperatorDeps) => Promise<OperatorActionResult>,
): Promise<number> {
  const policy = loadServiceConfig(options.config).lifecycle;
  const now = await clockOf(options);
  return withStore(options.db, async (store) => {
    const limits = await keptTeardownLimits(store);
    const result = await action({ store, policy, now, limits });
    if (options.json) printJson({ ...result, record: masked(result.record) });
    else process.stdout.write(formatAction(result));
    return EXIT.ok;
  });
}

/** The wall clock, or with --sandbox-clock the sandbox's, as the hook reads it. */
async function clockOf(options: OrdersOptions): Promise<() => Date> {
  if (!options.sandboxClock) return () => new Date();
  const endpoint = options.endpoint ?? process.env.NESTKIT_ENDPOINT;
  if (!endpoint)
    throw new UserError(
      'UsageError',
      '--sandbox-clock needs --endpoint (a sandbox)',
      '--endpoint',
      EXIT.usage,
    );
  const clock = await sandboxClock(endpoint).catch((error: unknown) => {
    throw new UserError('SandboxUnreachable', (error as Error).message, '--endpoint');
  });
  return () => clock.now();
}

/**
 * Opens the hook's existing database (an SQLite file is never made empty: a mistyped --db is named as
 * such; a PostgreSQL URL is opened as the hook opens it), then closes it.
 */
async function withStore(
  db: string | undefined,
  work: (store: HookStore) => Promise<number>,
): Promise<number> {
  const target = storeTarget(db);
  const where = `--db ${describeTarget(target)}`;
  if (target.engine === 'sqlite' && !existsSync(target.file))
    throw new UserError(
      'DatabaseNotFound',
      'no hook database here; give the one `nestkit hook --db` uses',
      where,
    );
  let store: HookStore;
  try {
    store = await openStore(target);
  } catch (error) {
    throw new UserError('DatabaseUnreadable', (error as Error).message, where);
  }
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
