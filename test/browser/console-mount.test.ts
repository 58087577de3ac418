import { hookWorld, SPI_KEY } from '../integration/hook/support';
import { startHook } from '../../scripts/hook/hook';
import { SAMPLE_CONFIG } from '../support/model';

describe('the console on the hook', () => {
  it('is off without NESTKIT_CONSOLE_TOKEN: /console answers 404 like any unknown path', async () => {
    const world = await hookWorld();
    try {
      for (const path of ['/console', '/console/sign-in', '/console/orders'])
        expect((await fetch(`${world.hook.url}${path}`, { redirect: 'manual' })).status).toBe(404);
    } finally {
      await world.close();
    }
  });

  it('refuses to start with a console token under 16 characters, naming the variable', async () => {
    await expect(
      startHook({ configPath: SAMPLE_CONFIG, spiKey: SPI_KEY, consoleToken: 'too-short', port: 0 }),
    ).rejects.toMatchObject({
      code: 'WeakSecret',
      message: expect.stringContaining('NESTKIT_CONSOLE_TOKEN'),
    });
  });
});
