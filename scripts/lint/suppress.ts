/**
 * Suppressions: a finding of one rule, at one file (and, in a template's metadata, one document path) that the
 * author has judged acceptable, with a reason and an expiry date. Read from two places:
 *
 * - the template itself: `Metadata: {nestkit-lint: {suppress: [{rule, path?, reason, expires}]}}`, where `path`
 *   is a glob over document paths such as `Resources/Db/Properties/*` (absent: the whole template);
 * - a lint config file, `.nestkit-lint.yaml` in the working directory (or `--config FILE`):
 *   `suppress: [{rule, path, reason, expires}]`, where `path` is a glob over files relative to that file's
 *   folder (`ros_templates/*.yaml`).
 *
 * A suppression without a reason, without a valid expiry date, naming an unknown rule, or expired (its date is
 * before today) does not apply and is itself an error of the rule `suppression`; one that matches no finding is
 * a warning, so that stale ones are removed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { EXIT, UserError } from '../errors';
import type { Finding, RuleMeta } from './model';
import { locate } from './source/locate';
import { isRecord, parseSource, type Path, type SourceDoc } from './source/source-doc';
import { didYouMean } from '../../service-config/suggest';

export const CONFIG_FILE = '.nestkit-lint.yaml';
export const METADATA_KEY = 'nestkit-lint';

export const suppressionRule: RuleMeta = {
  id: 'suppression',
  severity: 'error',
  short:
    'A suppression lacks a reason or a valid expiry date, names an unknown rule, has expired, or is unused.',
  long:
    'Findings can be suppressed per rule and path, in the template (Metadata/nestkit-lint/suppress) or in ' +
    `${CONFIG_FILE}, each with a reason and an expiry date (YYYY-MM-DD). A suppression without either, for an ` +
    'unknown rule, or whose date has passed does not apply and is an error, so that an accepted risk is ' +
    'reviewed again; one that suppresses nothing is a warning. `nestkit lint --list-suppressions` lists them.',
  docUrl: 'https://sarifweb.azurewebsites.net/',
  appliesTo: [`Metadata/${METADATA_KEY}/suppress/*`, `${CONFIG_FILE}: suppress/*`],
};

export interface Suppression {
  /** Where it is written. */
  file: string;
  line: number;
  column: number;
  source: 'template' | 'config';
  rule: string;
  /** A document path glob (template) or a file glob (config); undefined: the whole template. */
  path?: string;
  reason: string;
  expires: string;
  status: 'active' | 'expired' | 'invalid';
  /** Why it is invalid or expired. */
  problem?: string;
  /** Findings it suppressed. */
  matched: number;
  /** Template suppressions: the template's file; config: the config's folder. */
  scope: string;
}

export interface SuppressedFinding {
  finding: Finding;
  suppression: Suppression;
}

export interface SuppressionResult {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  suppressions: Suppression[];
}

/** Reads the suppressions of the templates and the config file (when it exists) and validates them. */
export function readSuppressions(
  templates: SourceDoc[],
  configFile: string | undefined,
  display: (absolute: string) => string,
  ruleIds: string[],
  today: string,
): Suppression[] {
  const out: Suppression[] = [];
  for (const doc of templates) {
    const root = isRecord(doc.value) ? doc.value : undefined;
    const metadata = root && isRecord(root.Metadata) ? root.Metadata : undefined;
    const own = metadata && isRecord(metadata[METADATA_KEY]) ? metadata[METADATA_KEY] : undefined;
    if (!own) continue;
    const base: Path = ['Metadata', METADATA_KEY, 'suppress'];
    out.push(...entries(doc, own.suppress, base, 'template', doc.file, ruleIds, today));
  }
  if (configFile && existsSync(configFile)) {
    const doc = parseSource(display(configFile), readFileSync(configFile, 'utf8'));
    const root = isRecord(doc.value) ? doc.value : {};
    out.push(...entries(doc, root.suppress, ['suppress'], 'config', dirname(configFile), ruleIds, today));
  }
  return out;
}

function entries(
  doc: SourceDoc,
  list: unknown,
  base: Path,
  source: 'template' | 'config',
  scope: string,
  ruleIds: string[],
  today: string,
): Suppression[] {
  if (!Array.isArray(list)) {
    const at = locate(doc, base);
    return [
      {
        ...{ file: doc.file, line: at.line, column: at.column, source, scope, matched: 0 },
        ...{ rule: '', reason: '', expires: '', status: 'invalid', problem: 'suppress must be a list' },
      },
    ];
  }
  return list.map((item, i) => {
    const at = locate(doc, [...base, i]);
    const entry = isRecord(item) ? item : {};
    const text = (key: string): string =>
      typeof entry[key] === 'string' ? (entry[key] as string).trim() : '';
    const suppression: Suppression = {
      file: doc.file,
      line: at.line,
      column: at.column,
      source,
      scope,
      rule: text('rule'),
      path: text('path') || undefined,
      reason: text('reason'),
      expires: typeof entry.expires === 'string' ? entry.expires : String(entry.expires ?? ''),
      status: 'active',
      matched: 0,
    };
    const problem = invalid(suppression, ruleIds);
    if (problem) return { ...suppression, status: 'invalid', problem };
    if (suppression.expires < today)
      return { ...suppression, status: 'expired', problem: `expired on ${suppression.expires}` };
    return suppression;
  });
}

function invalid(s: Suppression, ruleIds: string[]): string | undefined {
  if (s.rule === '') return 'names no rule';
  if (!ruleIds.includes(s.rule)) return `names the unknown rule "${s.rule}"${didYouMean(s.rule, ruleIds)}`;
  if (s.source === 'config' && !s.path) return 'names no path (a file glob relative to the config file)';
  if (s.reason === '') return 'gives no reason';
  if (s.expires === '') return 'has no expiry date (expires: YYYY-MM-DD)';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s.expires) || Number.isNaN(Date.parse(s.expires)))
    return `has an expiry date "${s.expires}" that is not YYYY-MM-DD`;
  return undefined;
}

/**
 * Removes the findings that an active suppression covers, and adds a `suppression` finding for each invalid,
 * expired or unused one (unless `reportProblems` is false, when the rule is not selected). Only a suppression
 * of a rule that ran (`ran`) can be found unused.
 */
export function applySuppressions(
  findings: Finding[],
  suppressions: Suppression[],
  cwd: string,
  reportProblems: boolean,
  ran: ReadonlySet<string>,
): SuppressionResult {
  const active = suppressions.filter((s) => s.status === 'active');
  const matchers = active.map((s) => matcher(s, cwd));
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const index = matchers.findIndex((matches) => matches(finding));
    if (index < 0) {
      kept.push(finding);
      continue;
    }
    active[index].matched++;
    suppressed.push({ finding, suppression: active[index] });
  }
  if (reportProblems) {
    for (const s of suppressions) {
      const what = `suppression of ${s.rule ? `"${s.rule}"` : 'a rule'}`;
      if (s.status !== 'active')
        kept.push(problemFinding(s, 'error', `${what} ${s.problem}; it does not apply`));
      else if (s.matched === 0 && ran.has(s.rule))
        kept.push(problemFinding(s, 'warning', `${what} suppresses nothing; remove it`));
    }
  }
  return { findings: kept, suppressed, suppressions };
}

function problemFinding(s: Suppression, severity: Finding['severity'], message: string): Finding {
  return { file: s.file, line: s.line, column: s.column, severity, rule: suppressionRule.id, message };
}

function matcher(s: Suppression, cwd: string): (f: Finding) => boolean {
  if (s.source === 'template') {
    const inPath = s.path ? picomatch(s.path, { dot: true }) : () => true;
    // A finding without a document path (a parse position) matches only a whole-template suppression.
    return (f) =>
      f.rule === s.rule && f.file === s.scope && (s.path ? f.path !== undefined && inPath(f.path) : true);
  }
  const inFiles = picomatch(s.path ?? '', { dot: true });
  return (f) => {
    if (f.rule !== s.rule) return false;
    const rel = relative(s.scope, resolve(cwd, f.file)).split(sep).join('/');
    return !rel.startsWith('../') && inFiles(rel);
  };
}

/** Today as YYYY-MM-DD: `--today`, else NESTKIT_LINT_TODAY, else the UTC date of the clock. */
export function resolveToday(given?: string): string {
  const today = given ?? process.env.NESTKIT_LINT_TODAY ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today) || Number.isNaN(Date.parse(today))) {
    throw new UserError('LintBadToday', `"${today}" is not a date (YYYY-MM-DD)`, '--today', EXIT.usage);
  }
  return today;
}
