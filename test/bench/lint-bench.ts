import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { median, REPO_ROOT, round, type Figure } from './measure';

const TARGET_SECONDS = 2;

/**
 * Cold `nestkit lint --format json` over every project of the public corpus (../shared/fixtures/
 * computenest-public), each run a fresh process; the median of `runs` wall times.
 */
export async function benchLint(runs = 5): Promise<Figure[]> {
  const corpus = resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'computenest-public');
  if (!existsSync(corpus)) {
    process.stderr.write(`lint benchmark skipped: the corpus ${corpus} is absent\n`);
    return [];
  }
  const projects = readdirSync(corpus)
    .map((name) => join(corpus, name))
    .filter((path) => statSync(path).isDirectory());
  const seconds = Array.from({ length: runs }, () => timeLint(projects));
  const value = median(seconds);
  return [
    {
      name: `cold nestkit lint of ${projects.length} corpus projects (median of ${runs})`,
      value: round(value),
      unit: 's',
      target: `<= ${TARGET_SECONDS}`,
      ok: value <= TARGET_SECONDS,
    },
  ];
}

/** Exit 1 (findings) is expected on the corpus; 2 means the run itself failed. */
function timeLint(paths: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['bin/nestkit.js', 'lint', ...paths, '--format', 'json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`nestkit lint failed with exit ${result.status}: ${result.stderr}`);
  }
  return seconds;
}
