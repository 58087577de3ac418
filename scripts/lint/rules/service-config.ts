import type { ServiceRule } from '../model';

export const serviceConfig: ServiceRule = {
  id: 'service-config',
  scope: 'service',
  severity: 'error',
  short: 'service-config/service.yaml does not load (schema or consistency problem).',
  long:
    'The service description is the one source of truth; when it does not validate nothing derived from it ' +
    "can be trusted. The loader's own messages are reported with their positions.",
  docUrl: 'https://github.com/aliyun-computenest/computenest-cli-docs',
  appliesTo: ['service-config/service.yaml'],
  check(definition) {
    const description = definition.description;
    if (!description) return [];
    return description.issues.map((issue) => ({
      where: { file: description.doc.file, line: issue.line, column: issue.column },
      message: issue.message,
    }));
  },
};
