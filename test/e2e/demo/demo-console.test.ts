import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { assertDistFresh } from '../../support/cli';
import { REPO_ROOT } from '../../support/model';

const TOKEN = 'demo-console-token-0123456789';

describe('nestkit demo --console', () => {
  it('leaves the story’s hook up with its console on, until SIGINT', async () => {
    assertDistFresh();
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'nestkit.js'), 'demo', '--json', '--console'],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, NO_COLOR: '1', NESTKIT_CONSOLE_TOKEN: TOKEN },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stderr = '';
    const consoleUrl = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /Console: (http:\/\/[\d.:]+\/console)/.exec(stderr);
        if (match) resolve(match[1]);
      });
      void exited.then((code) => reject(new Error(`demo exited ${code} before the console: ${stderr}`)));
    });
    try {
      // The token given in the environment is not printed.
      expect(stderr).not.toContain(TOKEN);
      expect((await fetch(`${consoleUrl}/orders`, { redirect: 'manual' })).status).toBe(303);
      const signIn = await fetch(`${consoleUrl}/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: TOKEN }).toString(),
      });
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
      const orders = await fetch(`${consoleUrl}/orders?state=deleted`, { headers: { cookie } });
      expect(orders.status).toBe(200);
      // The story tears four of its five orders down.
      expect(await orders.text()).toContain('Orders 1–4 of 4');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 180_000);
});
