/** The `nestkit lint` action: lint, print, and choose the exit code. */
import { EXIT, UserError } from '../errors';
import { paint, printJson } from '../output';
import { formatText, type Painter } from './format/text';
import { hasErrors, lintProject, RULES } from './index';

export interface LintCliOptions {
  format?: string;
  json?: boolean;
  rule?: string[];
  ignore?: string[];
  listRules?: boolean;
}

export function runLint(paths: string[], options: LintCliOptions): number {
  const format = options.json ? 'json' : (options.format ?? 'text');
  if (format !== 'text' && format !== 'json') {
    throw new UserError(
      'LintBadFormat',
      `unknown format "${format}"; use text or json`,
      '--format',
      EXIT.usage,
    );
  }
  if (options.listRules) return listRules(format);
  const findings = lintProject(paths, { rules: options.rule, ignore: options.ignore });
  if (format === 'json') printJson(findings);
  else process.stdout.write(formatText(findings, terminalPainter()));
  return hasErrors(findings) ? EXIT.findings : EXIT.ok;
}

function listRules(format: string): number {
  const rules = RULES.map(({ id, severity, short, long, docUrl, appliesTo, scope }) => ({
    id,
    severity,
    scope,
    short,
    long,
    docUrl,
    appliesTo,
  }));
  if (format === 'json') printJson(rules);
  else for (const r of rules) process.stdout.write(`${r.id.padEnd(24)} ${r.severity.padEnd(8)} ${r.short}\n`);
  return EXIT.ok;
}

function terminalPainter(): Painter {
  return {
    red: (t) => paint(t, 'red'),
    yellow: (t) => paint(t, 'yellow'),
    dim: (t) => paint(t, 'dim'),
    bold: (t) => paint(t, 'bold'),
  };
}
