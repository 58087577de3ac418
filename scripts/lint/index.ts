/**
 * The linter's API: `lintProject` lints what the paths name and returns findings without printing
 * anything, so that `nestkit publish` can refuse to publish on errors.
 */
import { runRules } from './engine';
import { collectInputs } from './inputs/collect';
import type { Finding } from './model';
import { selectRules } from './registry';

export type { Finding, Rule, Severity } from './model';
export { RULES, selectRules } from './registry';

export interface LintOptions {
  /** Run only these rule ids (all when empty). */
  rules?: string[];
  /** Skip these rule ids. */
  ignore?: string[];
  /** What relative paths are resolved against and findings are shown relative to; default `process.cwd()`. */
  cwd?: string;
}

/**
 * Lints this repository (no paths), computenest-cli projects (a folder with `.computenest/config.yaml`, or the
 * config file), service definitions and single ROS templates. Throws `UserError` (exit code 2) for a path
 * that does not exist or an unknown rule id; every problem in the files themselves is a finding.
 */
export function lintProject(paths: string[], options: LintOptions = {}): Finding[] {
  const rules = selectRules(options.rules, options.ignore);
  return runRules(collectInputs(paths, options.cwd ?? process.cwd()), rules);
}

export function hasErrors(findings: Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
