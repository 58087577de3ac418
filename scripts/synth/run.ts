import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { previewOrder } from '../../cdk/order-preview';
import { synthesizeService } from '../../cdk/service-app';
import { loadServiceConfig } from '../../service-config/load';
import type { ServiceModel } from '../../service-config/model';
import { EXIT, UserError } from '../errors';
import { includedModuleOverlaps } from '../../cdk/included-modules';
import { paint, printJson } from '../output';
import { SERVICE_TESTS_DIR } from '../../cdk/service-test-plan';
import { renderFiles, renderServiceTests, toJson, toYaml } from './render-files';
import { withLocation } from './with-location';

export interface SynthOptions {
  config: string;
  out: string;
  check?: boolean;
  edition?: string;
  modules?: string;
  format: string;
  json?: boolean;
}

export type FileStatus = 'unchanged' | 'changed' | 'missing' | 'unexpected';

/** Generated files that synth owns in the output directory, so a renamed template does not linger. */
const OWNED = /\.template\.(json|yaml)$|^service-definition\.json$|^README\.md$|^service-tests\/[^/]+\.yaml$/;

export async function runSynth(options: SynthOptions): Promise<number> {
  const model = loadServiceConfig(options.config);
  const synthesized = withLocation(options.config, () => synthesizeService(model));
  if (options.edition) return preview(model, synthesized.templates[0].template, options);
  if (options.modules) throw new UserError('UsageError', '--modules needs --edition', undefined, EXIT.usage);
  const files = new Map([...renderFiles(model, synthesized), ...renderServiceTests(model, synthesized)]);
  const statuses = compare(options.out, files);
  if (options.check) return reportCheck(options, statuses);
  if (!options.json)
    for (const overlap of includedModuleOverlaps(model))
      process.stderr.write(`${paint('warning', 'yellow', process.stderr)} ${overlap.message}\n`);
  return write(options, files, statuses);
}

/** Compares what synth would write with what is on disk. */
export function compare(out: string, files: Map<string, string>): Map<string, FileStatus> {
  const statuses = new Map<string, FileStatus>();
  for (const [path, content] of files) {
    const current = readOrUndefined(join(out, path));
    statuses.set(path, current === undefined ? 'missing' : current === content ? 'unchanged' : 'changed');
  }
  // The test cases' folder only when the caller compares them too (publish compares renderFiles alone).
  const tests = [...files.keys()].some((path) => path.startsWith(`${SERVICE_TESTS_DIR}/`))
    ? listDir(join(out, SERVICE_TESTS_DIR)).map((name) => `${SERVICE_TESTS_DIR}/${name}`)
    : [];
  const owned = [...listDir(out), ...tests];
  for (const name of owned) if (OWNED.test(name) && !files.has(name)) statuses.set(name, 'unexpected');
  return statuses;
}

function reportCheck(options: SynthOptions, statuses: Map<string, FileStatus>): number {
  const stale = [...statuses].filter(([, s]) => s !== 'unchanged');
  if (options.json)
    printJson({
      out: options.out,
      upToDate: stale.length === 0,
      stale: stale.map(([path, status]) => ({ path, status })),
    });
  else if (stale.length === 0)
    process.stdout.write(`${options.out}/ is up to date (${statuses.size} files)\n`);
  else {
    process.stderr.write(
      `${paint('stale', 'red', process.stderr)} ${options.out}/ differs from a fresh synth:\n`,
    );
    for (const [path, status] of stale) process.stderr.write(`  ${join(options.out, path)}: ${status}\n`);
    process.stderr.write('Run `npx nestkit synth` and commit the result.\n');
  }
  return stale.length === 0 ? EXIT.ok : EXIT.findings;
}

function write(options: SynthOptions, files: Map<string, string>, statuses: Map<string, FileStatus>): number {
  mkdirSync(options.out, { recursive: true });
  for (const [path, status] of statuses) {
    const target = join(options.out, path);
    if (status === 'unexpected') rmSync(target);
    else if (status !== 'unchanged') {
      mkdirSync(dirname(target), { recursive: true });
      writeAtomically(target, files.get(path) as string);
    }
  }
  const changed = [...statuses].filter(([, s]) => s !== 'unchanged');
  if (options.json)
    printJson({ out: options.out, files: [...statuses].map(([path, status]) => ({ path, status })) });
  else {
    process.stdout.write(
      `synthesized ${files.size} files into ${options.out}/ (${changed.length} changed)\n`,
    );
    for (const [path, status] of changed)
      process.stdout.write(`  ${status.padEnd(10)} ${join(options.out, path)}\n`);
  }
  return EXIT.ok;
}

/** Temp file + rename: a crash never leaves a half-written template behind. */
function writeAtomically(target: string, content: string): void {
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, content);
  renameSync(temp, target);
}

function preview(
  model: ServiceModel,
  template: Parameters<typeof previewOrder>[1],
  options: SynthOptions,
): number {
  const modules = options.modules
    ? options.modules
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean)
    : [];
  const order = withLocation(options.config, () =>
    previewOrder(model, template, options.edition as string, modules),
  );
  if (options.json || options.format === 'json') {
    process.stdout.write(toJson(order));
    return EXIT.ok;
  }
  if (options.format !== 'yaml')
    throw new UserError(
      'UsageError',
      `--format must be json or yaml, not "${options.format}"`,
      undefined,
      EXIT.usage,
    );
  const parameters = Object.fromEntries(
    Object.entries(order.parameters).map(([name, p]) => [
      name,
      p.source === 'buyer' ? '<filled by the buyer>' : p.value,
    ]),
  );
  const sources = Object.fromEntries(Object.entries(order.parameters).map(([name, p]) => [name, p.source]));
  process.stdout.write(
    `# Order preview: edition ${order.edition}, modules: ${order.modules.join(', ') || 'none'}\n` +
      toYaml({
        Parameters: parameters,
        ParameterSources: sources,
        Conditions: order.conditions,
        Template: order.template,
      }),
  );
  return EXIT.ok;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
