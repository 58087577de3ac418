import type { FileRule } from '../model';

export const yamlIndentation: FileRule = {
  id: 'yaml-indentation',
  scope: 'file',
  severity: 'warning',
  short: 'A multi-line quoted string continues at or left of its key; only lenient parsers accept it.',
  long:
    'YAML requires the continuation lines of a quoted string to be indented past the key that holds it. ' +
    'PyYAML, which computenest-cli uses, accepts them anyway, so the file works there; strict parsers (editors, ' +
    'other tools, ours before repair) reject it. The linter re-indents such strings and goes on; indent the ' +
    'continuation lines to fix it.',
  docUrl: 'https://yaml.org/spec/1.2.2/#73-flow-scalar-styles',
  appliesTo: ['*'],
  check(doc) {
    return doc.repairedLines.map((line) => ({
      where: { file: doc.file, line, column: 1 },
      message: 'the continuation lines of this quoted string are not indented past its key',
    }));
  },
};
