/**
 * The README's screenshots of the console: `npx ts-node test/browser/screenshots.ts` writes
 * docs/screenshots/*.png from a sandbox and hook seeded as the browser tests seed them, plus a few
 * orders bought through the SPI and deployed by the hook. Not a test: it asserts nothing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteRolloutStore } from '../../scripts/rollout/sqlite-rollout-store';
import { loadServiceConfig } from '../../service-config/load';
import { createParams, hookWorld } from '../integration/hook/support';
import { REPO_ROOT, SAMPLE_CONFIG } from '../support/model';
import { launchChromium, seedActiveOrders, seedFailedOrder } from './support';

const TOKEN = 'console-token-for-the-screenshots';

async function main(): Promise<void> {
  const world = await hookWorld({ consoleToken: TOKEN });
  const browser = await launchChromium();
  try {
    const policy = loadServiceConfig(SAMPLE_CONFIG).lifecycle;
    await seedFailedOrder(world.hook.store, policy, 'order-failed-1', new Date(world.box.clock.now()));
    for (const [id, sku] of [
      ['order-spi-basic', 'yuncode5012300001'],
      ['order-spi-advanced', 'yuncode5012300002'],
      ['order-spi-premium', 'yuncode5012300003'],
    ])
      await world.spi(createParams(id, { skuId: sku }));
    await world.settleDeployments();
    await seedActiveOrders(world.hook.store, policy, 40, new Date(world.box.clock.now()).toISOString());
    await world.spi({ action: 'releaseInstance', instanceId: 'order-spi-premium' });
    await world.hook.teardownPass();
    await world.hook.reconcilePass();
    await seedRollout(join(world.dir, 'nestkit.db'), world.serviceId, new Date(world.box.clock.now()));

    const dir = join(REPO_ROOT, 'docs', 'screenshots');
    mkdirSync(dir, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    const go = (path: string) => page.goto(`${world.hook.url}${path}`);
    const shoot = (name: string, fullPage = false) =>
      page.screenshot({ path: join(dir, `${name}.png`), fullPage });
    await go('/console');
    await shoot('sign-in');
    await page.getByLabel('Console token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await shoot('overview');
    await go('/console/orders?q=order-');
    await shoot('orders');
    await go('/console/orders/order-failed-1');
    await shoot('order', true);
    await go('/console/rollouts');
    await shoot('rollouts');
    process.stdout.write(`written to ${dir}\n`);
  } finally {
    await browser.close();
    await world.close();
  }
}

/** A rollout to version 2 under way: the canary done, the second wave soaking and failed. */
async function seedRollout(file: string, serviceId: string, at: Date): Promise<void> {
  const rollouts = new SqliteRolloutStore(file, () => at);
  try {
    const ids = Array.from({ length: 7 }, (_, i) => `si-seeded-${i + 1}`);
    const wave = (i: number) => (i === 0 ? 0 : i < 3 ? 1 : 2);
    const options = {
      canary: { kind: 'absolute', value: 1 },
      batchGrowth: 2,
      maxBatch: 10,
      soakMs: 600_000,
      maxFailures: { kind: 'absolute', value: 1 },
      rollbackFailed: false,
    } as const;
    await rollouts.create(
      {
        id: 'r-20260101',
        serviceId,
        targetVersion: '2',
        state: 'running',
        options,
        currentWave: 1,
        waveSizes: [1, 2, 4],
        createdAt: at.toISOString(),
      },
      {
        targetVersion: '2',
        steps: ids.map((instanceId, i) => ({ instanceId, fromVersion: '1', wave: wave(i) })),
        skipped: [],
        waveSizes: [1, 2, 4],
      },
    );
    await rollouts.updateStep('r-20260101', ids[0], { state: 'done' });
    await rollouts.updateStep('r-20260101', ids[1], { state: 'soaking', countAttempt: true });
    await rollouts.updateStep('r-20260101', ids[2], {
      state: 'failed',
      countAttempt: true,
      detail: 'DeployedFailed: the upgrade stack failed',
    });
  } finally {
    await rollouts.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exitCode = 1;
});
