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
import { SqliteRolloutStore } from './sqlite-rollout-store';
import type { RolloutRecord, RolloutStore } from './store';
import { openStore, storeTarget } from '../hook/store/open-store';
import { orderViewOf, type OrderView } from './orders';

export interface SharedFlags {
  config: string;
  db: string;
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
  /** The hook's records: released and expired orders are skipped. */
  orders: OrderView;
  close(): Promise<void>;
}

/** `nestkit rollout`: plans; with an active rollout, goes on with it; else keeps the plan and works it. */
export async function runRollout(flags: RolloutCommandOptions): Promise<number> {
  const options = rolloutOptions(flags);
  const concurrency = positive(flags.concurrency, '--concurrency');
  const conn = await connect(flags);
  const store = new SqliteRolloutStore(flags.db, () => new Date(conn.clock.now()));
  try {
    const active = store.active();
    if (active) {
      if (flags.to && flags.to !== active.targetVersion)
        throw new UserError(
          'RolloutInProgress',
          `rollout ${active.id} to version ${active.targetVersion} is ${active.state}; abort it before a rollout to ${flags.to}`,
        );
      if (flags.dryRun) return show(store, active, flags);
      if (active.state === 'paused')
        throw new UserError(
          'RolloutPaused',
          `rollout ${active.id} is paused: \`nestkit rollout resume\` goes on with it`,
        );
      note(flags, `resuming rollout ${active.id} to version ${active.targetVersion}`);
      return await execute(store, conn, active.id, flags, concurrency);
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
    const id = beginRollout(store, conn.serviceId, plan, options, new Date(conn.clock.now()));
    note(flags, `rollout ${id} started`);
    return await execute(store, conn, id, flags, concurrency);
  } finally {
    store.close();
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
    const store = new SqliteRolloutStore(flags.db, () => new Date(conn.clock.now()));
    try {
      const active = store.active() ?? fail('NoRollout', 'no rollout is in progress');
      if (active.state === 'paused') store.setState(active.id, 'running');
      const concurrency = positive((flags as { concurrency?: string }).concurrency ?? '16', '--concurrency');
      return await execute(store, conn, active.id, flags, concurrency);
    } finally {
      store.close();
      await conn.close();
    }
  }
  const store = new SqliteRolloutStore(flags.db);
  try {
    if (action === 'status') {
      const rollout = store.active() ?? store.latest() ?? fail('NoRollout', 'no rollout has been started');
      return show(store, rollout, flags);
    }
    const active = store.active() ?? fail('NoRollout', 'no rollout is in progress');
    if (action === 'pause' && active.state === 'running')
      store.setState(active.id, 'paused', 'paused by nestkit rollout pause');
    if (action === 'abort') store.setState(active.id, 'aborted', 'aborted by nestkit rollout abort');
    return show(store, store.get(active.id)!, flags);
  } finally {
    store.close();
  }
}

async function execute(
  store: RolloutStore,
  conn: Connection,
  id: string,
  flags: SharedFlags & { healthPath?: string },
  concurrency: number,
): Promise<number> {
  const rollout = store.get(id)!;
  const target = await targetVersion(conn.supplier, conn.clock, conn.serviceId, rollout.targetVersion);
  const started = conn.clock.now();
  const tty = Boolean(process.stderr.isTTY) && !flags.json;
  let lastLine = '';
  const executor = new RolloutExecutor({
    supplier: conn.supplier,
    store,
    clock: conn.clock,
    pollMs: positive(flags.pollInterval, '--poll-interval') * 1000,
    concurrency,
    metadata: target.metadata,
    orders: conn.orders,
    health: rollout.options.healthPath ? httpHealthProbe(rollout.options.healthPath) : undefined,
    onProgress: (r, steps) => {
      if (flags.json) return;
      const line = progressLine(r, steps, conn.clock.now() - started);
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
  const report = rolloutReport(store.get(id)!, store.steps(id), store.skipped(id));
  if (flags.json) printJson(report);
  else process.stdout.write(`${describeEnd(end, report.reason)}\n`);
  return end === 'finished' ? EXIT.ok : EXIT.findings;
}

function describeEnd(end: RunEnd, reason: string | undefined): string {
  if (end === 'finished') return paint('rollout finished', 'green');
  if (end === 'paused') return 'rollout paused: `nestkit rollout resume` goes on';
  return paint(`rollout ${end}${reason ? `: ${reason}` : ''}`, end === 'stopped' ? 'red' : 'yellow');
}

function show(store: RolloutStore, rollout: RolloutRecord, flags: SharedFlags): number {
  const report = rolloutReport(rollout, store.steps(rollout.id), store.skipped(rollout.id));
  if (flags.json) printJson(report);
  else {
    process.stdout.write(
      `rollout ${rollout.id} to version ${rollout.targetVersion}: ${rollout.state}${rollout.reason ? ` (${rollout.reason})` : ''}\n` +
        `${progressLine(rollout, store.steps(rollout.id), 0)}\n`,
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
  const target = storeTarget(flags.db);
  if (target.engine !== 'sqlite')
    fail(
      'UnsupportedDatabase',
      'nestkit rollout keeps its state in the SQLite file for now; give --db a file',
    );
  const hookStore = await openStore(target);
  return { supplier, clock, serviceId, orders: orderViewOf(hookStore), close: () => hookStore.close() };
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
