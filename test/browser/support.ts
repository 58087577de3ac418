import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import {
  transition,
  type InstanceRecord,
  type LifecycleEvent,
  type Policy,
} from '../../scripts/hook/machine';
import type { HookStore } from '../../scripts/hook/store/store';

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it): no browser is downloaded. */
export const CHROMIUM = process.env.NESTKIT_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set NESTKIT_CHROMIUM)`);
  return chromium.launch({ executablePath: CHROMIUM });
}

export const BASIC_SKU = 'yuncode5012300001';
export const ADVANCED_SKU = 'yuncode5012300002';
/** A value that must never reach a page: outputs and errors carry it under secret names. */
export const PLANTED_SECRET = 'Planted-Secret-9f3a';

/**
 * Orders written straight into the store through the machine, as the hook would have recorded them:
 * `count` deployed orders adopted from Compute Nest (active, no job to run), basic and advanced in turn.
 */
export async function seedActiveOrders(
  store: HookStore,
  policy: Policy,
  count: number,
  at: string,
): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `order-${String(i + 1).padStart(4, '0')}`);
  await store.applyEvents(
    ids.map((id, i) => ({
      id,
      source: 'spi' as const,
      event: {
        type: 'adopt' as const,
        at,
        serviceInstanceId: `si-seeded-${i + 1}`,
        deployed: true,
        skuId: i % 2 === 0 ? BASIC_SKU : ADVANCED_SKU,
        outputs: { Endpoint: `https://app-${i + 1}.example.test`, AdminPassword: PLANTED_SECRET },
      },
    })),
    (record, event) => transition(record, event, policy),
  );
  return ids;
}

/**
 * A paid order whose create failed for good, as the worker leaves one: its createInstance job
 * dead-lettered with the cloud's error (which quotes a password), then `deployFailed`.
 */
export async function seedFailedOrder(store: HookStore, policy: Policy, id: string, at: Date): Promise<void> {
  const decide = (event: LifecycleEvent) => (r: InstanceRecord) => transition(r, event, policy);
  const create: LifecycleEvent = {
    type: 'create',
    at: at.toISOString(),
    skuId: BASIC_SKU,
    billingItems: {},
    aliUid: '1234567890123456',
    orderId: `o-${id}`,
  };
  await store.applyEvent(id, 'spi', create, decide(create));
  const [job] = await store.leaseJobs('seed', at.getTime(), 10, 60_000);
  if (job?.instanceId !== id) throw new Error('seed: the failed order must be seeded first');
  await store.deadJob(
    job.id,
    'seed',
    `InvalidParameter: AdminPassword=${PLANTED_SECRET} does not match the pattern (RequestId 5E1A)`,
  );
  const failed: LifecycleEvent = {
    type: 'deployFailed',
    at: at.toISOString(),
    reason: 'CreateServiceInstance was refused: InvalidParameter',
  };
  await store.applyEvent(id, 'spi', failed, decide(failed));
}
