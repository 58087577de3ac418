import { join, relative } from 'node:path';
import type { SynthesizedService } from '../../cdk/service-app';
import type { ServiceModel } from '../../service-config/model';
import { hasErrors, lintProject } from '../lint';
import { renderFiles } from '../synth/render-files';
import { compare } from '../synth/run';
import { PublishError } from './errors';

/** Shown at most; `nestkit lint` lists every finding. */
const MAX_SHOWN = 20;

/**
 * Publishing never ships something broken: `templates/` must be what a fresh synth writes (what
 * reviewers saw in the diff is what gets uploaded), and the linter must find no error.
 */
export function checkPublishable(
  root: string,
  templatesDir: string,
  model: ServiceModel,
  synthesized: SynthesizedService,
): void {
  checkFresh(root, templatesDir, model, synthesized);
  checkLint(root);
}

function checkFresh(root: string, dir: string, model: ServiceModel, synthesized: SynthesizedService): void {
  const stale = [...compare(dir, renderFiles(model, synthesized))].filter(([, s]) => s !== 'unchanged');
  if (stale.length === 0) return;
  throw new PublishError(
    'TemplatesStale',
    `${relative(root, dir) || dir}/ differs from a fresh synth (${stale.length} file${stale.length === 1 ? '' : 's'})`,
    'run `npx nestkit synth`, review and commit the result, then publish again',
    1,
    stale.map(([path, status]) => `${join(relative(root, dir), path)}: ${status}`),
  );
}

function checkLint(root: string): void {
  const findings = lintProject([root], { cwd: root });
  if (!hasErrors(findings)) return;
  const errors = findings.filter((f) => f.severity === 'error');
  throw new PublishError(
    'LintErrors',
    `nestkit lint found ${errors.length} error${errors.length === 1 ? '' : 's'}`,
    'fix them (`npx nestkit lint` lists every finding), then publish again',
    1,
    errors.slice(0, MAX_SHOWN).map((f) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}`),
  );
}
