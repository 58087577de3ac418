import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertDistFresh } from '../../support/cli';
import { REPO_ROOT, SAMPLE_CONFIG } from '../../support/model';

/** The sample service description, pointed at a given service id (the sandbox's), in a temporary folder. */
export function configFor(serviceId: string): { config: string; db: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nestkit-rollout-cli-'));
  const config = join(dir, 'service.yaml');
  const text = readFileSync(SAMPLE_CONFIG, 'utf8').replace(/^service:\n/m, `service:\n  id: ${serviceId}\n`);
  writeFileSync(config, text);
  return { config, db: join(dir, 'hook.db') };
}

/** The built `nestkit rollout …` as a child process with the sandbox's keys (and `env`); stdout and stderr collected. */
export function spawnRollout(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exit: Promise<number | null>;
} {
  assertDistFresh();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'nestkit.js'), 'rollout', ...args], {
    env: {
      ...process.env,
      NO_COLOR: '1',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'sandbox',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'sandbox-secret',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => ({ stdout, stderr }), exit };
}
