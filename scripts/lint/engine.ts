/** Runs rules over collected inputs and turns their reports into located, sorted findings. */
import type { Finding, Report, Rule } from './model';
import type { LintInputs } from './inputs/collect';
import { locate } from './source/locate';

export function runRules(inputs: LintInputs, rules: Rule[]): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const subjects: { file: string; run: () => Report[] }[] =
      rule.scope === 'file'
        ? inputs.files.map((doc) => ({ file: doc.file, run: () => rule.check(doc) }))
        : rule.scope === 'template'
          ? inputs.templates.map((t) => ({ file: t.doc.file, run: () => rule.check(t) }))
          : inputs.definitions
              .filter((d) => d.doc.problems.length === 0)
              .map((d) => ({ file: d.doc.file, run: () => rule.check(d) }));
    for (const subject of subjects) findings.push(...safely(rule, subject.file, subject.run));
  }
  return sortFindings(dedupe(findings));
}

/** A rule that throws is a bug of ours; report it as a finding so the other files are still linted. */
function safely(rule: Rule, file: string, run: () => Report[]): Finding[] {
  try {
    return run().map((report) => toFinding(rule, report));
  } catch (error) {
    const message = `internal error in rule ${rule.id}: ${(error as Error)?.message ?? String(error)}`;
    return [{ file, line: 1, column: 1, severity: 'error', rule: 'internal-error', message }];
  }
}

function toFinding(rule: Rule, report: Report): Finding {
  const where = report.where;
  const position =
    'doc' in where
      ? { file: where.doc.file, ...locate(where.doc, where.path, where.key), path: where.path.join('/') }
      : where;
  return { ...position, severity: rule.severity, rule: rule.id, message: report.message };
}

/**
 * One finding per rule and place: the same finding reached twice (a template named by two definitions) is
 * kept once, and different messages of one rule at one place (two plans sharing a YAML anchor) become one.
 */
function dedupe(findings: Finding[]): Finding[] {
  const byPlace = new Map<string, Finding>();
  for (const f of findings) {
    const key = JSON.stringify([f.file, f.line, f.column, f.rule]);
    const first = byPlace.get(key);
    if (!first) byPlace.set(key, { ...f });
    else if (!first.message.split('; ').includes(f.message)) first.message += `; ${f.message}`;
  }
  return [...byPlace.values()];
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule),
  );
}
