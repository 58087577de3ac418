import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './model';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `nestkit` command (npm test builds first) in a child process, as a user would. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'nestkit.js'), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
