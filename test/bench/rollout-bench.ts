import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenBucket } from '../../scripts/cloud/rate-limiter';
import { uploadToOss } from '../../scripts/cloud/oss-upload';
import { createSupplierApi, type SupplierApi } from '../../scripts/cloud/supplier';
import { beginRollout, planRollout } from '../../scripts/rollout/begin';
import type { RolloutClock } from '../../scripts/rollout/clock';
import { RolloutExecutor } from '../../scripts/rollout/executor';
import { IDS_PER_LOOK } from '../../scripts/rollout/fleet';
import type { RolloutOptions } from '../../scripts/rollout/model';
import { SqliteRolloutStore } from '../../scripts/rollout/sqlite-rollout-store';
import { startSandbox, type Sandbox } from '../../scripts/sandbox';
import type { Figure } from './measure';
import { round } from './measure';

const TEMPLATE = {
  ROSTemplateFormatVersion: '2015-09-01',
  Parameters: { AdminPassword: { Type: 'String', NoEcho: true } },
  Resources: {},
  Outputs: { Endpoint: { Value: 'sandbox-placeholder' } },
};
const UPGRADE_METADATA = {
  SupportUpgradeFromVersions: [],
  SupportRollback: true,
  UpgradeComponents: ['Resource'],
};

const OPTIONS: RolloutOptions = {
  canary: { kind: 'absolute', value: 10 },
  batchGrowth: 2,
  maxBatch: 200,
  soakMs: 600_000,
  maxFailures: { kind: 'absolute', value: 0 },
  rollbackFailed: false,
};

/**
 * A rollout of `instances` instances on the sandbox through a client held to `ratePerSecond` calls (the
 * API rate limit), the soak and the upgrades on the sandbox's virtual clock. The ideal is the calls a
 * rollout cannot do without at that rate (the plan's reads, one upgrade per instance, and per wave three
 * looks per 50 instances: before, deployed, after the soak) plus the soak, which is virtual here, so 0 s
 * of wall time. The share of the rate limit used is the calls made over what the limit allowed meanwhile
 * (its rate over the wall time, plus the one burst a full bucket allows).
 */
export async function benchRollout(
  options: { instances?: number; ratePerSecond?: number } = {},
): Promise<Figure[]> {
  const instances = options.instances ?? 1000;
  const rate = options.ratePerSecond ?? 50;
  const box = await startSandbox({ port: 0, replayProtection: false });
  const dir = mkdtempSync(join(tmpdir(), 'nestkit-rollout-bench-'));
  try {
    const setup = client(box);
    const serviceId = await publish(box, setup, undefined);
    for (let n = 0; n < instances; n++)
      await setup.createServiceInstance({
        ServiceId: serviceId,
        TemplateName: 'Standard',
        Parameters: { AdminPassword: 'Passw0rd123' },
      });
    box.advance(box.core.timings.deployStartSeconds + box.core.timings.deploySeconds + 1);
    await publish(box, setup, serviceId);

    // The bucket `nestkit rollout --rate-limit` uses: a second's worth of burst.
    const api = client(box, new TokenBucket({ ratePerSecond: rate, burst: Math.ceil(rate) }));
    const clock: RolloutClock = {
      now: () => box.core.now(),
      sleep: async (ms) => void box.advance(ms / 1000),
    };
    const store = new SqliteRolloutStore(join(dir, 'hook.db'), () => new Date(clock.now()));
    box.core.calls.clear();
    const started = process.hrtime.bigint();
    const { plan, target } = await planRollout(api, clock, serviceId, OPTIONS, undefined);
    const id = await beginRollout(store, serviceId, plan, OPTIONS, new Date(clock.now()));
    const end = await new RolloutExecutor({
      supplier: api,
      store,
      clock,
      pollMs: 30_000,
      concurrency: 16,
      metadata: target.metadata,
    }).run(id);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const done = (await store.steps(id)).filter((s) => s.state === 'done').length;
    await store.close();
    if (end !== 'finished' || done !== instances)
      throw new Error(`the bench rollout ended ${end} with ${done} done`);
    const calls = box.core.calls.list().length;
    const needed =
      1 +
      Math.ceil(instances / 100) +
      instances +
      plan.waveSizes.reduce((n, size) => n + 3 * Math.ceil(size / IDS_PER_LOOK), 0);
    // The bucket starts full: a second's burst comes free, at the start and after any pause.
    const burst = Math.ceil(rate);
    const ideal = Math.max(0, needed - burst) / rate;
    const share = calls / (rate * seconds + burst);
    return [
      {
        name: `rollout of ${instances} instances at ${rate} calls/s: wall time`,
        value: round(seconds, 1),
        unit: 's',
      },
      {
        name: 'rollout: ideal wall time (needed calls at the limit; soak virtual)',
        value: round(ideal, 1),
        unit: 's',
      },
      {
        name: 'rollout: ideal / wall time',
        value: round((100 * ideal) / seconds, 1),
        unit: '%',
        target: '>= 90',
        ok: ideal / seconds >= 0.9,
      },
      {
        name: `rollout: share of the rate limit used (${calls} calls, ${needed} needed)`,
        value: round(100 * share, 1),
        unit: '%',
        target: '>= 90',
        ok: share >= 0.9,
      },
    ];
  } finally {
    await box.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function client(box: Sandbox, rateLimit?: TokenBucket): SupplierApi {
  return createSupplierApi({
    endpoint: box.url,
    credential: new Credential(
      new CredentialConfig({ type: 'access_key', accessKeyId: 'sandbox', accessKeySecret: 'sandbox-secret' }),
    ),
    rateLimit,
    retry: { sleep: async () => undefined },
  });
}

/** A version (the first, or the next of `serviceId`) Online, through the official flow. */
async function publish(box: Sandbox, api: SupplierApi, serviceId: string | undefined): Promise<string> {
  const { Data } = await api.getUploadCredentials({ FileName: 'standard.template.json' });
  const { ossUrl } = await uploadToOss(Data, JSON.stringify(TEMPLATE), {
    endpointOverrideUrl: box.url,
    contentType: 'application/json',
  });
  const created = await api.createService({
    ...(serviceId ? { ServiceId: serviceId } : {}),
    DeployType: 'ros',
    ServiceType: 'private',
    ServiceInfo: [{ Locale: 'en-US', Name: 'rollout bench', ShortDescription: 'bench' }],
    DeployMetadata: JSON.stringify({
      TemplateConfigs: [{ Name: 'Standard', Url: ossUrl, AllowedRegions: ['cn-hangzhou'] }],
    }),
    UpgradeMetadata: JSON.stringify(UPGRADE_METADATA),
  });
  const id = created.ServiceId!;
  const { RegistrationId } = await api.registerService({ ServiceId: id });
  box.advance(box.core.timings.approvalSeconds);
  await api.getServiceRegistration({ RegistrationId });
  await api.launchService({ ServiceId: id, ServiceVersion: 'draft' });
  return id;
}

if (require.main === module) {
  benchRollout({
    instances: Number(process.env.ROLLOUT_BENCH_INSTANCES ?? 1000),
    ratePerSecond: Number(process.env.ROLLOUT_BENCH_RATE ?? 50),
  }).then((results) => console.table(results));
}
