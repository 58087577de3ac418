import Credential, { Config as CredentialConfig } from '@alicloud/credentials';
import { DEFAULT_ACCESS_KEY } from '../../scripts/sandbox';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One benchmark figure; `ok` says whether it meets its target, when it has one. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
  ok?: boolean;
}

/** The sandbox's default key, as the kit's commands are given it in the benches. */
export function sandboxCredential(): Credential {
  return new Credential(
    new CredentialConfig({
      type: 'access_key',
      accessKeyId: DEFAULT_ACCESS_KEY.accessKeyId,
      accessKeySecret: DEFAULT_ACCESS_KEY.accessKeySecret,
    }),
  );
}

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/**
 * An open loop's sockets per hook: below the hook's cap of 64 per source (the load comes from one
 * address), with room for sockets closing. Over the cap the hook rightly refuses new connections, and
 * what was sent again would measure the bench meeting the guard, not the hook.
 */
export const OPEN_LOOP_SOCKETS = 48;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function round(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}

/** Runs a command as a cold process; returns its wall time in seconds and its peak RSS in MB. */
export function timeProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { seconds: number; peakRssMb?: number } {
  const dir = mkdtempSync(join(tmpdir(), 'nestkit-bench-'));
  const rssFile = join(dir, 'rss');
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, NESTKIT_BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  let peakRssMb: number | undefined;
  try {
    peakRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  } catch {
    peakRssMb = undefined;
  }
  rmSync(dir, { recursive: true, force: true });
  return { seconds, peakRssMb };
}
