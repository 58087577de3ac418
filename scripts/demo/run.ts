import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { createSupplierApi } from '../cloud';
import { startHook, type RunningHook } from '../hook/hook';
import { createLogger } from '../hook/logger';
import { editionForSku } from '../hook/order-parameters';
import { loadServiceConfig } from '../../service-config/load';
import { EXIT } from '../errors';
import { paint, printJson } from '../output';
import { publishService } from '../publish';
import { DEFAULT_ACCESS_KEY, startSandbox } from '../sandbox';
import { SandboxAdmin } from './sandbox-admin';
import { playStory, type Expectation } from './story';

export interface DemoOptions {
  config: string;
  json?: boolean;
  keep?: boolean;
  /** After the story, keep the hook and sandbox up with the console on (token printed), until SIGINT. */
  console?: boolean;
}

interface TimelineEntry {
  at: string;
  event: string;
  detail?: string;
}

/**
 * `nestkit demo`: the whole story on an in-process sandbox with embedded defaults. Exits 0 only when
 * every order ends as expected and every teardown was one deletion.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const model = loadServiceConfig(options.config);
  const box = await startSandbox({ port: 0, clock: 'manual' });
  const dir = mkdtempSync(join(tmpdir(), 'nestkit-demo-'));
  const credential = new Credential(
    new CredentialConfig({
      type: 'access_key',
      accessKeyId: DEFAULT_ACCESS_KEY.accessKeyId,
      accessKeySecret: DEFAULT_ACCESS_KEY.accessKeySecret,
    }),
  );
  const timeline: TimelineEntry[] = [];
  const started = box.clock.now();
  const log = (event: string, detail?: string) => {
    const entry = { at: `+${formatDuration(box.clock.now() - started)}`, event, detail };
    timeline.push(entry);
    const indent = event.startsWith('hook:') ? '  ' : '';
    if (!options.json)
      process.stdout.write(
        `${paint(entry.at.padStart(9), 'dim')}  ${indent}${event}${detail ? paint(`  (${detail})`, 'dim') : ''}\n`,
      );
  };
  const spiKey = randomBytes(16).toString('hex');
  const licenseToken = randomBytes(16).toString('hex');
  // NESTKIT_CONSOLE_TOKEN when set (not printed), else one made for this run and printed for a local look.
  const consoleToken = options.console
    ? (process.env.NESTKIT_CONSOLE_TOKEN ?? randomBytes(18).toString('hex'))
    : undefined;
  let running: RunningHook | undefined;
  try {
    const admin = new SandboxAdmin(box.url);
    const published = await publishService({
      config: options.config,
      goal: 'launch',
      endpoint: box.url,
      credential,
      approval: { advance: (seconds) => box.advance(seconds), pollSeconds: 30 },
      // The artifact step: the image Compute Nest builds before the version that boots from it.
      progress: (line) => {
        const step = /^\[\d+\/\d+\] ((?:Create|Update|Release)Artifact: .*)$/.exec(line);
        if (step) log('artifact', step[1]);
        const build = /^ {2}build: \S+ (.*)$/.exec(line);
        if (build) log('artifact: build', build[1]);
      },
    });
    log(
      'publish',
      `${published.serviceId} version ${published.version} (${published.versionName}) ${published.status}, ${published.calls.length} calls`,
    );
    const hook = await startHook({
      configPath: options.config,
      dbPath: join(dir, 'nestkit.db'),
      port: 0,
      spiKey,
      licenseToken,
      consoleToken,
      endpoint: box.url,
      credential,
      now: () => new Date(box.clock.now()),
      intervals: { workerMs: 0, teardownMs: 0, reconcileMs: 0 },
      pollMs: 10_000,
      rateLimit: 100,
      log: createLogger({ level: 'silent' }),
    });
    running = hook;
    log('hook started', `SPI endpoint ${hook.url}/spi`);
    const supplier = createSupplierApi({ endpoint: box.url, credential, regionId: model.service.regionId });
    const states = new Map<string, string>();
    const logChanges = async () => {
      for (const record of await hook.store.list()) {
        const edition = editionForSku(model, record.skuId)?.name ?? '?';
        const shown = `${record.state}${record.stopped ? ' (stopped)' : ''} [${edition}]`;
        if (states.get(record.id) === shown) continue;
        log(
          `hook: order ${record.id} ${states.get(record.id) ?? 'new'} → ${shown}`,
          record.serviceInstanceId,
        );
        states.set(record.id, shown);
      }
    };
    const run = async (seconds: number, step = 60) => {
      for (let left = seconds; left > 0; left -= step) {
        box.advance(Math.min(step, left));
        await box.settle();
        await hook.drain();
        await hook.reconcilePass();
        await hook.teardownPass();
        await hook.drain();
        await logChanges();
      }
    };
    const activateLicense = async (licenseCode: string) => {
      const response = await fetch(`${hook.url}/license/activate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${licenseToken}` },
        body: JSON.stringify({ licenseCode }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const expectations = await playStory(
      { model, admin, hook, supplier, run, log, activateLicense },
      `${hook.url}/spi`,
      spiKey,
    );
    const results = await check(expectations, hook, supplier, admin);
    const code = report(results, timeline, options);
    if (consoleToken)
      await keepConsoleOpen(hook.url, process.env.NESTKIT_CONSOLE_TOKEN ? undefined : consoleToken);
    return code;
  } finally {
    await running?.close();
    await box.close();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

interface Result extends Expectation {
  actualRecord?: string;
  actualStatus?: string;
  deletions: number;
  ok: boolean;
}

async function check(
  expectations: Expectation[],
  hook: Awaited<ReturnType<typeof startHook>>,
  supplier: ReturnType<typeof createSupplierApi>,
  admin: SandboxAdmin,
): Promise<Result[]> {
  const deletes = await admin.get<{ params: Record<string, string>; status: number }[]>(
    '/calls?action=DeleteServiceInstances',
  );
  return Promise.all(
    expectations.map(async (e) => {
      const record = await hook.store.get(e.recordId ?? e.orderBizId);
      const si = record?.serviceInstanceId;
      const status = si ? (await supplier.getServiceInstance({ ServiceInstanceId: si })).Status : undefined;
      const deletions = new Set(
        deletes
          .filter((c) => c.status === 200 && c.params['ServiceInstanceId.1'] === si)
          .map((c) => c.params.ClientToken),
      ).size;
      const expectedDeletions = e.status === 'Deleted' ? 1 : 0;
      return {
        ...e,
        actualRecord: record?.state,
        actualStatus: status,
        deletions,
        ok: record?.state === e.record && status === e.status && deletions === expectedDeletions,
      };
    }),
  );
}

function report(results: Result[], timeline: TimelineEntry[], options: DemoOptions): number {
  const ok = results.every((r) => r.ok);
  if (options.json) {
    printJson({ ok, results, timeline });
    return ok ? EXIT.ok : EXIT.findings;
  }
  process.stdout.write('\n');
  for (const r of results) {
    const mark = r.ok ? paint('ok  ', 'green') : paint('FAIL', 'red');
    process.stdout.write(
      `${mark} ${r.label.padEnd(38)} hook: ${String(r.actualRecord).padEnd(8)} Compute Nest: ${String(r.actualStatus).padEnd(9)} deletions: ${r.deletions}\n`,
    );
  }
  process.stdout.write(
    ok ? '\nEvery instance ended as expected.\n' : '\nSome instances did not end as expected.\n',
  );
  return ok ? EXIT.ok : EXIT.findings;
}

/** `--console`: the story's hook stays up for a look in the browser until Ctrl-C (or SIGTERM). */
async function keepConsoleOpen(url: string, madeToken: string | undefined): Promise<void> {
  const token = madeToken ? `token ${madeToken}, made for this run only` : 'token NESTKIT_CONSOLE_TOKEN';
  process.stderr.write(`\nConsole: ${url}/console  (${token})\nCtrl-C stops the hook and the sandbox.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}
