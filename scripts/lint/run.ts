/** The `nestkit lint` action: lint, print, and choose the exit code. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EXIT, UserError } from '../errors';
import { paint, printJson } from '../output';
import { toSarif } from './format/sarif';
import { formatText, type Painter } from './format/text';
import { hasErrors, lintWithSuppressions, type Suppression } from './index';
import { RULE_METAS } from './registry';

export interface LintCliOptions {
  format?: string;
  json?: boolean;
  rule?: string[];
  ignore?: string[];
  listRules?: boolean;
  listSuppressions?: boolean;
  config?: string;
  today?: string;
}

const FORMATS = ['text', 'json', 'sarif'];

export function runLint(paths: string[], options: LintCliOptions): number {
  const format = options.json ? 'json' : (options.format ?? 'text');
  if (!FORMATS.includes(format)) {
    throw new UserError(
      'LintBadFormat',
      `unknown format "${format}"; use text, json or sarif`,
      '--format',
      EXIT.usage,
    );
  }
  if (options.listRules) return listRules(format);
  const result = lintWithSuppressions(paths, {
    rules: options.rule,
    ignore: options.ignore,
    config: options.config,
    today: options.today,
  });
  if (options.listSuppressions) return listSuppressions(result.suppressions, format);
  if (format === 'json') printJson(result.findings);
  else if (format === 'sarif') {
    const { version, homepage } = kitPackage();
    printJson(
      toSarif(result.findings, result.suppressed, {
        rules: RULE_METAS,
        version,
        informationUri: homepage ?? INFORMATION_URI,
        cwd: process.cwd(),
      }),
    );
  } else process.stdout.write(formatText(result.findings, terminalPainter()));
  return hasErrors(result.findings) ? EXIT.findings : EXIT.ok;
}

/** Where SARIF viewers send a reader who wants to know what the tool is, while package.json has no homepage. */
const INFORMATION_URI = 'https://www.alibabacloud.com/help/en/compute-nest';

function kitPackage(): { version: string; homepage?: string } {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
      name?: string;
      version: string;
      homepage?: string;
    };
    if (manifest.name === 'nestkit') return manifest;
  }
  return { version: '0.0.0' };
}

function listRules(format: string): number {
  const rules = RULE_METAS.map(({ id, severity, short, long, docUrl, appliesTo }) => ({
    id,
    severity,
    short,
    long,
    docUrl,
    appliesTo,
  }));
  if (format !== 'text') printJson(rules);
  else for (const r of rules) process.stdout.write(`${r.id.padEnd(26)} ${r.severity.padEnd(8)} ${r.short}\n`);
  return EXIT.ok;
}

/** Every suppression with where it is, what it covers, its reason and expiry, and its status. */
function listSuppressions(suppressions: Suppression[], format: string): number {
  const rows = suppressions.map((s) => ({
    file: s.file,
    line: s.line,
    column: s.column,
    rule: s.rule,
    path: s.path ?? null,
    reason: s.reason,
    expires: s.expires,
    status: s.status,
    problem: s.problem ?? null,
    suppressed: s.matched,
  }));
  if (format !== 'text') printJson(rows);
  else if (rows.length === 0) process.stdout.write('no suppressions\n');
  else
    for (const r of rows) {
      const status =
        r.status === 'active' ? `active, ${r.suppressed} suppressed` : `${r.status}: ${r.problem}`;
      process.stdout.write(
        `${r.file}:${r.line}:${r.column} ${r.rule || '?'} ${r.path ?? '*'} until ${r.expires || '?'} (${status}): ${r.reason || 'no reason'}\n`,
      );
    }
  return suppressions.some((s) => s.status !== 'active') ? EXIT.findings : EXIT.ok;
}

function terminalPainter(): Painter {
  return {
    red: (t) => paint(t, 'red'),
    yellow: (t) => paint(t, 'yellow'),
    dim: (t) => paint(t, 'dim'),
    bold: (t) => paint(t, 'bold'),
  };
}
