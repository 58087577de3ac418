import type { RunningHook as Hook } from '../../../scripts/hook/hook';
import { TAG_KEYS } from '../../../scripts/hook/tags';
import { admin } from '../sandbox/helpers';
import { hookWorld, startSecondInstallation, type HookWorld } from './support';

const DAY = 86_400;

/** Two installations (two databases) against one service, and one Compute Nest-mode order. */
describe('hook: a Compute Nest order is claimed by one installation', () => {
  let w: HookWorld;
  let second: Hook | undefined;
  afterEach(async () => {
    await second?.close();
    second = undefined;
    await w.close();
  });

  async function computeNestOrder(): Promise<string> {
    await admin(w.box, 'POST', '/_sandbox/marketplace/products', {
      productCode: 'cmjj-claim',
      mode: 'computenest',
      serviceId: w.serviceId,
    });
    const order = await admin<{ serviceInstanceId: string }>(w.box, 'POST', '/_sandbox/marketplace/orders', {
      productCode: 'cmjj-claim',
      skuId: 'yuncode5012300003',
      periodSeconds: 30 * DAY,
      parameters: { ZoneId: 'cn-hangzhou-k', AdminPassword: 'Buyer-Passw0rd' },
    });
    w.box.advance(70);
    return order.body.serviceInstanceId;
  }

  const installationTag = (id: string) =>
    w.box.core.state.instances[id].Tags?.find((t) => t.Key === TAG_KEYS.installation)?.Value;

  it('tags the order with the first installation that sees it; the other never adopts it', async () => {
    w = await hookWorld();
    const id = await computeNestOrder();
    second = await startSecondInstallation(w);

    expect(await w.hook.reconcilePass()).toMatchObject({ claimed: 1, adopted: 0 });
    expect(installationTag(id)).toBe(w.hook.installationId);
    expect(await second.reconcilePass()).toMatchObject({ claimed: 0, adopted: 0, foreign: 1 });
    expect(await w.hook.reconcilePass()).toMatchObject({ claimed: 0, adopted: 1 });
    expect(await second.reconcilePass()).toMatchObject({ adopted: 0, foreign: 1 });

    expect((await w.hook.store.get(id))?.state).toBe('active');
    expect(await second.store.list()).toEqual([]);
    expect(w.box.core.calls.list('TagResources')).toHaveLength(1);
  });

  it('when both claim in one window, only the installation whose tag stands adopts', async () => {
    w = await hookWorld();
    const id = await computeNestOrder();
    second = await startSecondInstallation(w);
    // Both read the listing before either tagged: both claim; the later tag wins.
    const [first, other] = await Promise.all([w.hook.reconcilePass(), second.reconcilePass()]);
    expect(first.claimed + other.claimed).toBe(2);
    const winner = installationTag(id);
    expect([w.hook.installationId, second.installationId]).toContain(winner);

    const results = [await w.hook.reconcilePass(), await second.reconcilePass()];
    expect(results.map((r) => r.adopted).sort()).toEqual([0, 1]);
    const adopter = winner === w.hook.installationId ? w.hook : second;
    const loser = adopter === w.hook ? second : w.hook;
    expect((await adopter.store.get(id))?.state).toBe('active');
    expect(await loser.store.get(id)).toBeUndefined();
  });

  it('retries a claim the API throttles at the next pass, adopting nothing meanwhile', async () => {
    w = await hookWorld();
    const id = await computeNestOrder();
    const rule = (
      await admin<{ id: number }>(w.box, 'POST', '/_sandbox/faults', {
        kind: 'throttle',
        action: 'TagResources',
        share: 1,
      })
    ).body;
    expect(await w.hook.reconcilePass()).toMatchObject({ claimed: 0, adopted: 0 });
    expect(await w.hook.store.get(id)).toBeUndefined();
    await admin(w.box, 'DELETE', `/_sandbox/faults/${rule.id}`);
    expect(await w.hook.reconcilePass()).toMatchObject({ claimed: 1 });
    expect(await w.hook.reconcilePass()).toMatchObject({ adopted: 1 });
  });
});
