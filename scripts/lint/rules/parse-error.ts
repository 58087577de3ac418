import type { FileRule, Report } from '../model';

export const parseError: FileRule = {
  id: 'parse-error',
  scope: 'file',
  severity: 'error',
  short: 'The file is not valid YAML or JSON, or its top level is not a mapping.',
  long:
    'ROS and computenest-cli reject a document they cannot parse. The finding points at the first character ' +
    'the parser could not accept; the rest of the file is not checked until it parses.',
  docUrl: 'https://yaml.org/spec/1.1/',
  appliesTo: ['*'],
  check(doc) {
    // Only the first problem: the parser's later complaints are mostly echoes of it.
    const reports: Report[] = doc.problems.slice(0, 1).map((p) => ({
      where: { file: doc.file, line: p.line, column: p.column },
      message: `invalid ${/\.json$/i.test(doc.file) ? 'JSON' : 'YAML'}: ${p.message}${more(doc.problems.length - 1)}`,
    }));
    const rootIsMap = typeof doc.value === 'object' && doc.value !== null && !Array.isArray(doc.value);
    if (reports.length === 0 && !doc.empty && !rootIsMap) {
      reports.push({ where: { doc, path: [] }, message: 'the top level must be a mapping' });
    }
    return reports;
  },
};

function more(count: number): string {
  return count > 0 ? ` (and ${count} more parse problem${count === 1 ? '' : 's'} after it)` : '';
}
