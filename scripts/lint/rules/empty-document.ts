import type { FileRule } from '../model';

export const emptyDocument: FileRule = {
  id: 'empty-document',
  scope: 'file',
  severity: 'error',
  short: 'The file is empty or holds only comments.',
  long:
    'An empty config, parameter file or template carries nothing to deploy; computenest-cli and ROS fail on it. ' +
    'Zero-byte files occur in published projects.',
  docUrl: 'https://github.com/aliyun-computenest/computenest-cli-docs',
  appliesTo: ['*'],
  check(doc) {
    return doc.empty && doc.problems.length === 0
      ? [{ where: { file: doc.file, line: 1, column: 1 }, message: 'empty document' }]
      : [];
  },
};
