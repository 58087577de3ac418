/**
 * `npm run bench`: every benchmark of the kit in one run. Prints a table and writes
 * bench-results/latest.json. Benchmarks report figures; tests never assert on timing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, type Figure } from './measure';
import { benchConsole } from './console-bench';
import { benchHook } from './hook-bench';
import { benchLint } from './lint-bench';
import { benchPublish } from './publish-bench';
import { benchRollout } from './rollout-bench';
import { benchSandbox } from './sandbox-bench';
import { benchStore } from './store-bench';
import { benchSynth } from './synth-bench';

const SUITES: [string, () => Promise<Figure[]>][] = [
  ['synth', () => benchSynth()],
  ['lint', () => benchLint()],
  ['sandbox', () => benchSandbox()],
  ['publish', () => benchPublish()],
  ['hook', () => benchHook()],
  ['store', () => benchStore()],
  ['rollout', () => benchRollout()],
  ['console', () => benchConsole()],
];

async function main(): Promise<void> {
  const results: Record<string, Figure[]> = {};
  for (const [suite, run] of SUITES) {
    process.stderr.write(`running ${suite} benchmark...\n`);
    results[suite] = await run();
  }
  printTable(results);
  const dir = join(REPO_ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  writeFileSync(file, `${JSON.stringify({ node: process.version, results }, null, 2)}\n`);
  process.stdout.write(`\nwritten to ${file}\n`);
}

function printTable(results: Record<string, Figure[]>): void {
  const rows = Object.entries(results).flatMap(([suite, figures]) =>
    figures.map((f) => [
      suite,
      f.name,
      `${f.value} ${f.unit}`,
      f.target ? `${f.target} ${f.unit}` : '',
      f.ok === undefined ? '' : f.ok ? 'ok' : 'MISSED',
    ]),
  );
  const header = ['suite', 'figure', 'value', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows])
    process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i])).join('  ')}\n`);
}

main().catch((error) => {
  process.stderr.write(`${String(error?.stack ?? error)}\n`);
  process.exitCode = 1;
});
