/** Findings as `file:line:col severity rule-id message`, grouped by file, with a summary line. */
import type { Finding } from '../model';

export interface Painter {
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export const PLAIN: Painter = { red: (t) => t, yellow: (t) => t, dim: (t) => t, bold: (t) => t };

export function formatText(findings: Finding[], paint: Painter = PLAIN): string {
  const lines: string[] = [];
  let currentFile: string | undefined;
  for (const f of findings) {
    if (f.file !== currentFile) {
      if (currentFile !== undefined) lines.push('');
      lines.push(paint.bold(f.file));
      currentFile = f.file;
    }
    const severity = f.severity === 'error' ? paint.red('error') : paint.yellow('warning');
    lines.push(`${f.file}:${f.line}:${f.column} ${severity} ${paint.dim(f.rule)} ${f.message}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(summary(findings));
  return `${lines.join('\n')}\n`;
}

function summary(findings: Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const files = new Set(findings.map((f) => f.file)).size;
  if (findings.length === 0) return 'no problems found';
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
