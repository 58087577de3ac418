/**
 * The linter's API: `lintProject` lints what the paths name and returns findings without printing
 * anything, so that `nestkit publish` can refuse to publish on errors.
 */
import { relative, resolve } from 'node:path';
import { runRules, sortFindings } from './engine';
import { collectInputs } from './inputs/collect';
import type { Finding } from './model';
import { RULES, selectRules } from './registry';
import {
  applySuppressions,
  CONFIG_FILE,
  readSuppressions,
  resolveToday,
  suppressionRule,
  type SuppressionResult,
} from './suppress';

export type { Finding, Rule, Severity } from './model';
export type { Suppression, SuppressedFinding, SuppressionResult } from './suppress';
export { RULES, selectRules } from './registry';

export interface LintOptions {
  /** Run only these rule ids (all when empty). */
  rules?: string[];
  /** Skip these rule ids. */
  ignore?: string[];
  /** What relative paths are resolved against and findings are shown relative to; default `process.cwd()`. */
  cwd?: string;
  /** The lint config file with suppressions; default `.nestkit-lint.yaml` in `cwd` when it exists. */
  config?: string;
  /** The date expiries are compared with (YYYY-MM-DD); default NESTKIT_LINT_TODAY, else the clock's UTC date. */
  today?: string;
}

/**
 * Lints this repository (no paths), computenest-cli projects (a folder with `.computenest/config.yaml`, or the
 * config file), folders holding them, glob patterns, service definitions and single ROS templates. Throws
 * `UserError` (exit code 2) for a path that does not exist or an unknown rule id; every problem in the files
 * themselves is a finding. Suppressed findings are left out.
 */
export function lintProject(paths: string[], options: LintOptions = {}): Finding[] {
  return lintWithSuppressions(paths, options).findings;
}

/** Like `lintProject`, also returning what was suppressed and every suppression with its status. */
export function lintWithSuppressions(paths: string[], options: LintOptions = {}): SuppressionResult {
  const cwd = options.cwd ?? process.cwd();
  const today = resolveToday(options.today);
  const ids = [...RULES.map((r) => r.id), suppressionRule.id];
  const only = options.rules ?? [];
  const ignore = options.ignore ?? [];
  const id = suppressionRule.id;
  const checkSuppressions = !ignore.includes(id) && (only.length === 0 || only.includes(id));
  const others = only.filter((r) => r !== id);
  // `--rule suppression` alone checks the suppressions and runs no other rule.
  const rules =
    only.length > 0 && others.length === 0
      ? []
      : selectRules(
          others,
          ignore.filter((r) => r !== id),
        );
  const inputs = collectInputs(paths, cwd);
  const config = options.config ? resolve(cwd, options.config) : resolve(cwd, CONFIG_FILE);
  const suppressions = readSuppressions(
    inputs.templates.map((t) => t.doc),
    config,
    (absolute) => displayPath(cwd, absolute),
    ids,
    today,
  );
  const result = applySuppressions(
    runRules(inputs, rules),
    suppressions,
    cwd,
    checkSuppressions,
    new Set(rules.map((r) => r.id)),
  );
  const strip = ({ path: _path, ...finding }: Finding): Finding => finding;
  return {
    findings: sortFindings(result.findings).map(strip),
    suppressed: result.suppressed.map((s) => ({ ...s, finding: strip(s.finding) })),
    suppressions: result.suppressions,
  };
}

function displayPath(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute);
  return rel === '' || rel.startsWith('..') ? absolute : rel;
}

export function hasErrors(findings: Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
