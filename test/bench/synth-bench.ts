import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTemplate } from '../../cdk/build-template';
import { previewOrder } from '../../cdk/order-preview';
import { moduleCombinations } from '../../scripts/synth/readme';
import { loadServiceConfig } from '../../service-config/load';
import { median, REPO_ROOT, round, timeProcess, type Figure } from './measure';

const RSS_PRELOAD = join(REPO_ROOT, 'test', 'bench', 'report-rss.js');

/** Cold `nestkit synth` against the conventional `npx ts-node cdk/app.ts`, per-order renders, peak RSS. */
export async function benchSynth(runs = 5): Promise<Figure[]> {
  const out = mkdtempSync(join(tmpdir(), 'nestkit-bench-synth-'));
  try {
    const nestkit = Array.from({ length: runs }, () =>
      timeProcess(process.execPath, ['-r', RSS_PRELOAD, 'bin/nestkit.js', 'synth', '--out', out]),
    );
    const tsNode = Array.from({ length: runs }, () =>
      timeProcess('npx', ['ts-node', 'cdk/app.ts'], { CDK_OUTDIR: out }),
    );
    const synthSeconds = median(nestkit.map((r) => r.seconds));
    const tsNodeSeconds = median(tsNode.map((r) => r.seconds));
    const peakRss = Math.max(...nestkit.map((r) => r.peakRssMb ?? 0));
    const rendersPerSecond = measureRenders(200);
    return [
      {
        name: `cold nestkit synth (median of ${runs})`,
        value: round(synthSeconds),
        unit: 's',
        target: '<= 0.5',
        ok: synthSeconds <= 0.5,
      },
      { name: `cold npx ts-node cdk/app.ts (median of ${runs})`, value: round(tsNodeSeconds), unit: 's' },
      {
        name: 'speed-up over ts-node',
        value: round(tsNodeSeconds / synthSeconds, 1),
        unit: 'x',
        target: '>= 4',
        ok: tsNodeSeconds / synthSeconds >= 4,
      },
      {
        name: 'per-order renders, one process, 200 orders',
        value: Math.round(rendersPerSecond),
        unit: 'orders/s',
        target: '>= 500',
        ok: rendersPerSecond >= 500,
      },
      {
        name: 'peak RSS of cold synth',
        value: round(peakRss, 1),
        unit: 'MB',
        target: '<= 300',
        ok: peakRss <= 300,
      },
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Renders 200 orders (every edition x module combination in turn) to JSON in this process. */
function measureRenders(orders: number): number {
  const model = loadServiceConfig(join(REPO_ROOT, 'service-config', 'service.yaml'));
  const template = buildTemplate(model);
  const combos = model.editions.flatMap((e) =>
    moduleCombinations(model).map((modules) => ({ edition: e.name, modules })),
  );
  const started = process.hrtime.bigint();
  let bytes = 0;
  for (let i = 0; i < orders; i++) {
    const { edition, modules } = combos[i % combos.length];
    bytes += JSON.stringify(previewOrder(model, template, edition, modules)).length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (bytes === 0) throw new Error('no order rendered');
  return orders / seconds;
}
