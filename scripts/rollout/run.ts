import { existsSync } from 'node:fs';
import { createSupplierApi, TokenBucket, type SupplierApi } from '../cloud';
import { CredentialsMissing, resolveCredential } from '../cloud/credentials';
import { EXIT, UserError } from '../errors';
import { paint, printJson } from '../output';
import { loadServiceConfig } from '../../service-config/load';
import { sandboxClock } from '../hook/clock';
import { findServiceId } from '../hook/find-service';
import { beginRollout, planRollout } from './begin';
import { followingClock, wallRolloutClock, type RolloutClock } from './clock';
import { RolloutExecutor, type RunEnd } from './executor';
import { targetVersion } from './fleet';
import { httpHealthProbe } from './health';
import type { RolloutPlan } from './model';
import { rolloutOptions, usage, type RolloutFlags } from './options';
import { formatMs, progressLine, rolloutReport } from './report';
import { RolloutLease } from './lease';
import { openRolloutStore } from './open-rollout-store';
import type { RolloutRecord, RolloutStore } from './store';
import { describeTarget, openStore, storeTarget, type StoreTarget } from '../hook/store/open-store';
import { orderViewOf, type OrderView } from './orders';

export interface SharedFlags {
  config: string;
  /** The hook's database: an SQLite file or a postgres:// URL (else NESTKIT_DATABASE_URL, else the default file). */
  db?: string;
  endpoint?: string;
  sandboxClock?: boolean;
  rateLimit: string;
  pollInterval: string;
  json?: boolean;
}

export interface RolloutCommandOptions extends RolloutFlags, SharedFlags {
  to?: string;
  dryRun?: boolean;
  concurrency: string;
}

interface Connection {
  supplier: SupplierApi;
  clock: RolloutClock;
  serviceId: string;
  /** The rollout's tables in the hook's database. */
  store: RolloutStore;
  /** The hook's records: released and expired orders are skipped. */
  orders: OrderView;
  close(): Promise<void>;
}

/** `nestkit rollout`: plans; with an active rollout, goes on with it; else keeps the plan and works it. */
export async function runRollout(flags: RolloutCommandOptions): Promise<number> {
  const options = rolloutOptions(flags);
  const concurrency = positive(flags.concurrency, '--concurrency');
  const conn = await connect(flags);
  try {
    const { store } = conn;
    const active = await store.active();
    if (active) {
      if (flags.to && flags.to !== active.targetVersion)
        throw new UserError(
          'RolloutInProgress',
          `rollout ${active.id} to version ${active.targetVersion} is ${active.state}; abort it before a rollout to ${flags.to}`,
        );
      if (flags.dryRun) return await show(store, active, flags);
      if (active.state === 'paused')
        throw new UserError(
          'RolloutPaused',
          `rollout ${active.id} is paused: \`nestkit rollout resume\` goes on with it`,
        );
      const lease = await RolloutLease.take(store, conn.clock, { rolloutId: active.id });
      note(flags, `resuming rollout ${active.id} to version ${active.targetVersion}`);
      return await execute(conn, lease, active.id, flags, concurrency);
    }
    const { plan } = await planRollout(
      conn.supplier,
      conn.clock,
      conn.serviceId,
      options,
      flags.to,
      conn.orders,
    );
    if (flags.json && flags.dryRun) {
      printJson({ dryRun: true, serviceId: conn.serviceId, options, plan });
      return EXIT.ok;
    }
    if (!flags.json) printPlan(plan, flags, options.soakMs);
    if (flags.dryRun) return EXIT.ok;
    // Before the rollout is kept: of two started at once, one keeps and works its plan, the other refuses.
    const lease = await RolloutLease.take(store, conn.clock);
    let id: string;
    try {
      id = await beginRollout(store, conn.serviceId, plan, options, new Date(conn.clock.now()));
    } catch (error) {
      await lease.release();
      throw error;
    }
    note(flags, `rollout ${id} started`);
    return await execute(conn, lease, id, flags, concurrency);
  } finally {
    await conn.close();
  }
}

/** `status`, `pause`, `resume`, `abort`. */
export async function runRolloutControl(
  action: 'status' | 'pause' | 'resume' | 'abort',
  flags: SharedFlags,
): Promise<number> {
  if (action === 'resume') {
    const conn = await connect(flags);
    try {
      const { store } = conn;
      const active = (await store.active()) ?? fail('NoRollout', 'no rollout is in progress');
      // The lease first: a rollout another process is working (even paused, finishing what is under
      // way) is left to it.
      const lease = await RolloutLease.take(store, conn.clock, { rolloutId: active.id });
      try {
        if (active.state === 'paused') await store.setState(active.id, 'running');
      } catch (error) {
        await lease.release();
        throw error;
      }
      const concurrency = positive((flags as { concurrency?: string }).concurrency ?? '16', '--concurrency');
      return await execute(conn, lease, active.id, flags, concurrency);
    } finally {
      await conn.close();
    }
  }
  // A write or a read that the running process (if any) sees at its next look: no lease needed.
  const target = storeTarget(flags.db);
  // A mistyped --db is named as such, not made an empty database.
  if (target.engine === 'sqlite' && !existsSync(target.file))
    throw new UserError(
      'DatabaseNotFound',
      'no hook database here; give the one `nestkit hook --db` uses',
      `--db ${describeTarget(target)}`,
    );
  const store = await openRollouts(target);
  try {
    if (action === 'status') {
      const rollout =
        (await store.active()) ?? (await store.latest()) ?? fail('NoRollout', 'no rollout has been started');
      return await show(store, rollout, flags);
    }
    const active = (await store.active()) ?? fail('NoRollout', 'no rollout is in progress');
    if (action === 'pause' && active.state === 'running')
      await store.setState(active.id, 'paused', 'paused by nestkit rollout pause');
    if (action === 'abort') await store.setState(active.id, 'aborted', 'aborted by nestkit rollout abort');
    return await show(store, (await store.get(active.id))!, flags);
  } finally {
    await store.close();
  }
}

/** Works the rollout under the lease (renewed through the executor's waits), then gives the lease back. */
async function execute(
  conn: Connection,
  lease: RolloutLease,
  id: string,
  flags: SharedFlags & { healthPath?: string },
  concurrency: number,
): Promise<number> {
  try {
    return await executeLeased(conn, lease.clock(), id, flags, concurrency);
  } finally {
    await lease.release().catch(() => undefined);
  }
}

async function executeLeased(
  conn: Connection,
  clock: RolloutClock,
  id: string,
  flags: SharedFlags & { healthPath?: string },
  concurrency: number,
): Promise<number> {
  const { store } = conn;
  const rollout = (await store.get(id))!;
  const target = await targetVersion(conn.supplier, clock, conn.serviceId, rollout.targetVersion);
  const started = clock.now();
  const tty = Boolean(process.stderr.isTTY) && !flags.json;
  let lastLine = '';
  const executor = new RolloutExecutor({
    supplier: conn.supplier,
    store,
    clock,
    pollMs: positive(flags.pollInterval, '--poll-interval') * 1000,
    concurrency,
    metadata: target.metadata,
    orders: conn.orders,
    health: rollout.options.healthPath ? httpHealthProbe(rollout.options.healthPath) : undefined,
    onProgress: (r, steps) => {
      if (flags.json) return;
      const line = progressLine(r, steps, clock.now() - started);
      if (tty) process.stderr.write(`\r\u001b[2K${line}`);
      else if (line !== lastLine) process.stderr.write(`${line}\n`);
      lastLine = line;
    },
    onNote: (message) => {
      if (!flags.json) process.stderr.write(`${tty ? '\n' : ''}${message}\n`);
    },
  });
  const end = await executor.run(id);
  if (tty) process.stderr.write('\n');
  const report = rolloutReport((await store.get(id))!, await store.steps(id), await store.skipped(id));
  if (flags.json) printJson(report);
  else process.stdout.write(`${describeEnd(end, report.reason)}\n`);
  return end === 'finished' ? EXIT.ok : EXIT.findings;
}

function describeEnd(end: RunEnd, reason: string | undefined): string {
  if (end === 'finished') return paint('rollout finished', 'green');
  if (end === 'paused') return 'rollout paused: `nestkit rollout resume` goes on';
  return paint(`rollout ${end}${reason ? `: ${reason}` : ''}`, end === 'stopped' ? 'red' : 'yellow');
}

async function show(store: RolloutStore, rollout: RolloutRecord, flags: SharedFlags): Promise<number> {
  const steps = await store.steps(rollout.id);
  const report = rolloutReport(rollout, steps, await store.skipped(rollout.id));
  if (flags.json) printJson(report);
  else {
    process.stdout.write(
      `rollout ${rollout.id} to version ${rollout.targetVersion}: ${rollout.state}${rollout.reason ? ` (${rollout.reason})` : ''}\n` +
        `${progressLine(rollout, steps, 0)}\n`,
    );
  }
  return EXIT.ok;
}

function printPlan(plan: RolloutPlan, flags: { dryRun?: boolean }, soakMs: number): void {
  const out = process.stdout;
  out.write(`${flags.dryRun ? 'Plan (dry run)' : 'Plan'}: upgrade to version ${plan.targetVersion}\n`);
  const byVersion = new Map<string, number>();
  for (const s of plan.steps) byVersion.set(s.fromVersion, (byVersion.get(s.fromVersion) ?? 0) + 1);
  for (const [version, n] of byVersion)
    out.write(`  ${n} instance(s) on version ${version} will be upgraded\n`);
  out.write(`  waves: ${plan.waveSizes.join(', ') || 'none'} (soak ${formatMs(soakMs)} after each)\n`);
  for (const s of plan.skipped)
    out.write(
      `  ${paint('skip', 'yellow')} ${s.instanceId} (version ${s.version || '?'}): ${s.reason}: ${s.detail}\n`,
    );
}

async function connect(flags: SharedFlags): Promise<Connection> {
  const endpoint = flags.endpoint ?? process.env.NESTKIT_ENDPOINT;
  if (flags.sandboxClock && !endpoint) usage('--sandbox-clock', 'true', 'given with --endpoint (a sandbox)');
  const rate = positive(flags.rateLimit, '--rate-limit');
  const model = loadServiceConfig(flags.config);
  const credential = await resolveCredential().catch((error: unknown) => {
    if (error instanceof CredentialsMissing)
      throw new UserError(error.code, `${error.message}; ${error.hint}`);
    throw error;
  });
  const supplier = createSupplierApi({
    regionId: model.service.regionId,
    endpoint,
    credential,
    rateLimit: new TokenBucket({ ratePerSecond: rate, burst: Math.max(1, Math.ceil(rate)) }),
  });
  const clock = flags.sandboxClock ? followingClock(await sandboxClock(endpoint!)) : wallRolloutClock;
  const serviceId =
    (await findServiceId(supplier, model)) ??
    fail(
      'ServiceNotFound',
      `no Compute Nest service named "${model.service.name['en-US']}"; publish it first`,
    );
  // --db, else NESTKIT_DATABASE_URL, else ./data/nestkit.db: the hook's database, as the hook reads it.
  const target = storeTarget(flags.db);
  const hookStore = await openStore(target).catch((error: unknown) => {
    throw unreadable(target, error);
  });
  const store = await openRollouts(target, () => new Date(clock.now())).catch(async (error: unknown) => {
    await hookStore.close();
    throw error;
  });
  return {
    supplier,
    clock,
    serviceId,
    store,
    orders: orderViewOf(hookStore),
    close: async () => {
      await store.close();
      await hookStore.close();
    },
  };
}

/** The rollout store of `--db`; an error opening it names the database, its password masked. */
async function openRollouts(target: StoreTarget, now?: () => Date): Promise<RolloutStore> {
  try {
    return await openRolloutStore(target, { now });
  } catch (error) {
    throw unreadable(target, error);
  }
}

/** A PostgreSQL error already names the URL (masked); SQLite's does not name the file. */
function unreadable(target: StoreTarget, error: unknown): UserError {
  const where = target.engine === 'sqlite' ? `--db ${describeTarget(target)}` : undefined;
  return new UserError('DatabaseUnreadable', (error as Error).message, where);
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!(value.trim() !== '' && Number.isFinite(n) && n > 0)) usage(flag, value, 'a number > 0');
  return n;
}

function note(flags: SharedFlags, message: string): void {
  if (!flags.json) process.stderr.write(`${message}\n`);
}

function fail(code: string, message: string): never {
  throw new UserError(code, message);
}
