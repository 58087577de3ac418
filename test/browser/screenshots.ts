/**
 * The README's screenshots of the console: `npx ts-node test/browser/screenshots.ts` writes
 * docs/screenshots/*.png from a sandbox and hook seeded as the browser tests seed them, plus a few
 * orders bought through the SPI and deployed by the hook. Not a test: it asserts nothing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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

main().catch((error) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exitCode = 1;
});
