import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './model';

const SOURCE_FOLDERS = ['scripts', 'cdk', 'service-config'];

/**
 * CLI tests run the compiled `dist/`: one older than a source file would test yesterday's code and
 * pass or fail for the wrong reason. Checked once per test file; `npm test` builds first.
 */
let distChecked = false;
export function assertDistFresh(): void {
  if (distChecked) return;
  const built = mtimeOf(join(REPO_ROOT, 'dist', 'scripts', 'cli.js'));
  const newest = Math.max(...SOURCE_FOLDERS.map((folder) => newestSource(join(REPO_ROOT, folder))));
  if (built === 0 || newest > built)
    throw new Error('dist/ is older than the TypeScript sources: run `npm run build` before the CLI tests');
  distChecked = true;
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json'))
      newest = Math.max(newest, mtimeOf(path));
  }
  return newest;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `nestkit` command (npm test builds first) in a child process, as a user would. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  assertDistFresh();
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'nestkit.js'), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
