import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHook, type RunningHook } from '../../../scripts/hook/hook';
import { createLogger } from '../../../scripts/hook/logger';
import { spiToken } from '../../../scripts/marketplace/spi-token';
import type { Sandbox } from '../../../scripts/sandbox';
import { recordFigures } from '../../support/figures';
import { SAMPLE_CONFIG } from '../../support/model';
import { admin, credential, sandbox } from '../sandbox/helpers';
import { createParams, publishSample, SPI_KEY } from './support';

const MIN = 60;
const DAY = 86400;
/** The sample's retention after release (service.yaml `lifecycle.retentionDays`). */
const RETENTION_DAYS = 7;

/**
 * Chaos on the virtual clock: the hook runs its own loops (`step()` is one tick of them, on the sandbox's
 * clock) with the production periods and backoff; the test only moves the clock, injects the fault,
 * restarts the hook in the middle of it, and afterwards checks the outcome without any operator action.
 */
describe('hook chaos: outages, throttling and flapping on the virtual clock, with a restart in each', () => {
  let box: Sandbox;
  let dir: string;
  let hook: RunningHook;

  const start = () =>
    startHook({
      configPath: SAMPLE_CONFIG,
      dbPath: join(dir, 'nestkit.db'),
      port: 0,
      spiKey: SPI_KEY,
      endpoint: box.url,
      credential: credential(),
      now: () => new Date(box.clock.now()),
      // No real-time timer: the test ticks the loops; passes keep their production periods on the clock.
      intervals: { workerMs: 0, teardownMs: 60_000, reconcileMs: 300_000 },
      rateLimit: 1000,
      clientRetry: { sleep: async () => undefined },
      log: createLogger({ level: 'silent' }),
    });

  beforeEach(async () => {
    box = await sandbox();
    await publishSample(box);
    dir = mkdtempSync(join(tmpdir(), 'nestkit-chaos-'));
    hook = await start();
  });
  afterEach(async () => {
    await hook.close();
    await box.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const spi = async (params: Record<string, string>) => {
    const url = new URL(`${hook.url}/spi`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    url.searchParams.set('token', spiToken(params, SPI_KEY));
    const response = await fetch(url);
    expect(response.status).toBe(200);
  };
  /** Moves the clock in steps of `step` seconds, ticking the hook's loops after each. */
  const run = async (seconds: number, step = 30) => {
    for (let t = 0; t < seconds; t += step) {
      box.advance(Math.min(step, seconds - t));
      await hook.step();
      await hook.drain();
    }
  };
  const restart = async () => {
    await hook.close();
    hook = await start();
  };
  const state = async (id: string) => (await hook.store.get(id))?.state;
  const instances = () => Object.values(box.core.state.instances);

  /**
   * Three orders deployed and released so that their retention ends in the middle of the fault, three
   * orders accepted as the fault begins; the fault lasts 30 minutes with a hook restart at 15. Returns the
   * virtual seconds from the end of the fault until everything is where it should be.
   */
  const scenario = async (name: string, fault: Record<string, unknown>) => {
    const released = ['71001', '71002', '71003'];
    const accepted = ['72001', '72002', '72003'];
    for (const id of released) await spi(createParams(id));
    await run(3 * MIN);
    for (const id of released) expect(await state(id)).toBe('active');
    for (const id of released) await spi({ action: 'releaseInstance', instanceId: id, isRefund: 'false' });
    await run(RETENTION_DAYS * DAY - 10 * MIN, 3600); // up to ten minutes before the retention ends
    for (const id of released) expect(await state(id)).toBe('released');

    const rule = (await admin<{ id: number }>(box, 'POST', '/_sandbox/faults', fault)).body;
    for (const id of accepted) await spi(createParams(id));
    await run(15 * MIN);
    await restart();
    await run(15 * MIN);
    await admin(box, 'DELETE', `/_sandbox/faults/${rule.id}`);
    const faultEnded = box.clock.now();

    const settled = async () => {
      for (const id of accepted) if ((await state(id)) !== 'active') return false;
      for (const id of released) if ((await state(id)) !== 'deleted') return false;
      return true;
    };
    let waited = 0;
    while (!(await settled()) && waited < DAY) {
      await run(30);
      waited += 30;
    }
    const recoverSeconds = (box.clock.now() - faultEnded) / 1000;
    recordFigures(`chaos ${name}`, { recoveredVirtualSecondsAfterFault: recoverSeconds });

    // Every accepted order provisioned, once; every released one torn down, once, after its retention.
    for (const id of accepted) expect(await state(id)).toBe('active');
    for (const id of released)
      expect(await hook.store.get(id)).toMatchObject({ state: 'deleted', deletedOutside: false });
    const byOrder = (id: string) =>
      instances().filter((i) => i.Tags?.some((t) => t.Key === 'nestkit:order-id' && t.Value === id));
    for (const id of accepted) {
      expect(byOrder(id)).toHaveLength(1);
      expect(byOrder(id)[0].Status).toBe('Deployed');
    }
    for (const id of released) {
      const [instance] = byOrder(id);
      expect(byOrder(id)).toHaveLength(1);
      expect(instance.Status).toBe('Deleted');
      const deletes = box.core.calls
        .list('DeleteServiceInstances')
        .filter((c) => c.status === 200 && JSON.stringify(c.params).includes(instance.ServiceInstanceId!));
      expect(deletes).toHaveLength(1);
      // not before the retention ran out
      const due = (await hook.store.get(id))!.teardownAt;
      expect(due).toBeDefined();
      expect(Date.parse(deletes[0].at)).toBeGreaterThanOrEqual(Date.parse(due!));
    }
    expect(await hook.store.jobCounts()).toMatchObject({ dead: 0, pending: 0, leased: 0 });
    expect(recoverSeconds).toBeLessThan(30 * MIN);
    return recoverSeconds;
  };

  it('survives a 30-minute Compute Nest outage (every call 503)', async () => {
    await scenario('outage', { kind: 'error', action: '*', share: 1, status: 503 });
  });

  it('survives 30 minutes of throttling (every call 429 Throttling.User)', async () => {
    await scenario('throttling', { kind: 'throttle', action: '*', share: 1 });
  });

  it('survives a flapping endpoint (every other call fails)', async () => {
    await scenario('flapping', { kind: 'error', action: '*', share: 0.5, status: 503 });
  });
});
