import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { parameterValueViolations } from '../../../cdk/ros/parameter-constraints';
import type { Report, ServiceRule, Where } from '../model';
import { templateNamed, type ServiceDefinition } from '../service/definition';
import { plansOf } from '../service/plans';
import { locate } from '../source/locate';
import { isRecord, rootMap, type SourceDoc } from '../source/source-doc';

/** An iact3 pseudo-parameter (`$[iact3-auto]`): the test runner resolves it, so it is never judged. */
const PSEUDO_VALUE = /^\$\[iact3-[a-z-]+\]$/;

export const serviceTestCase: ServiceRule = {
  id: 'service-test-case',
  scope: 'service',
  severity: 'error',
  short: 'A service test case names a missing template or plan, or its TestConfig breaks the template.',
  long:
    'Each file of templates/service-tests/ is one CreateServiceTestCase request: its TemplateName must name a ' +
    'template of the definition, its PlanName a plan (PredefinedParameters) of that template, and its ' +
    'TestConfig (YAML, `parameters:`) only parameters the template declares, with values within their ' +
    "constraints, equal to the plan's values, and never a literal secret (a NoEcho parameter takes " +
    '`$[iact3-auto]`, which the test runner fills). A case that fails here fails in the cloud, or tests ' +
    'another SKU than the one it is named after.',
  docUrl:
    'https://www.alibabacloud.com/help/en/compute-nest/developer-reference/api-computenestsupplier-2021-05-21-createservicetestcase',
  appliesTo: ['service-tests/*/TemplateName', 'service-tests/*/PlanName', 'service-tests/*/TestConfig'],
  check(definition) {
    return (definition.testCases ?? []).flatMap((doc) =>
      doc.problems.length > 0 ? [] : checkCase(definition, doc),
    );
  },
};

function checkCase(definition: ServiceDefinition, doc: SourceDoc): Report[] {
  const root = rootMap(doc);
  if (!root) return [{ where: { doc, path: [] }, message: 'a service test case must be a mapping' }];
  const at = (field: string, message: string): Report => ({
    where: { doc, path: field in root ? [field] : [] },
    message,
  });
  const reports: Report[] = [];
  for (const field of ['TestCaseName', 'TemplateName', 'TestConfig'])
    if (typeof root[field] !== 'string' || root[field] === '')
      reports.push(at(field, `${field} (a string) is required`));
  if (reports.length > 0) return reports;

  const entry = templateNamed(definition, root.TemplateName);
  if (!entry)
    return [at('TemplateName', `no template "${String(root.TemplateName)}" in ${definition.doc.file}`)];
  const plans = plansOf(definition).filter((p) => p.entry.name === entry.name);
  const plan = plans.find((p) => p.name === root.PlanName);
  if (root.PlanName !== undefined && !plan)
    reports.push(
      at(
        'PlanName',
        `template "${entry.name}" has no plan "${String(root.PlanName)}" (plans: ${plans.map((p) => String(p.name)).join(', ') || 'none'})`,
      ),
    );

  const text = root.TestConfig as string;
  const lines = new LineCounter();
  const config = parseDocument(text, { version: '1.1', lineCounter: lines, prettyErrors: false });
  const parameters = isMap(config.contents) ? config.contents.get('parameters', true) : undefined;
  if (config.errors.length > 0 || !isMap(parameters))
    return [...reports, at('TestConfig', 'TestConfig must be YAML with a `parameters:` mapping')];
  if (!entry.context) return reports; // the template's own file is template-url's finding
  const declared = (
    isRecord(entry.context.template.Parameters) ? entry.context.template.Parameters : {}
  ) as Record<string, Record<string, unknown>>;
  const base = locate(doc, ['TestConfig']);
  const literal = /:\s*[|>][-+0-9]*\s*(#.*)?$/.test(doc.text.split('\n')[base.line - 1] ?? '');
  for (const item of parameters.items) {
    const name = isScalar(item.key) ? String(item.key.value) : String(item.key);
    const value: unknown = isScalar(item.value)
      ? item.value.value
      : (parameters.toJSON() as Record<string, unknown>)[name];
    // Inside a literal block the parameter's own line; otherwise the TestConfig value.
    const inner = isScalar(item.key) && item.key.range ? lines.linePos(item.key.range[0]) : undefined;
    const where: Where =
      literal && inner
        ? { file: doc.file, line: base.line + inner.line, column: inner.col + 2 }
        : { doc, path: ['TestConfig'] };
    const problem = parameterProblem(name, value, declared[name], plan?.parameters);
    if (problem)
      reports.push({
        where,
        message: `test case "${String(root.TestCaseName)}", parameter "${name}": ${problem}`,
      });
  }
  return reports;
}

function parameterProblem(
  name: string,
  value: unknown,
  declaration: Record<string, unknown> | undefined,
  planValues: Record<string, unknown> | undefined,
): string | undefined {
  if (!declaration) return 'the template has no such parameter';
  if (typeof value === 'string' && PSEUDO_VALUE.test(value)) return undefined;
  if (declaration.NoEcho === true)
    return 'a secret (NoEcho) written in the test case; use $[iact3-auto], which the test runner fills';
  const violations = parameterValueViolations(declaration, value);
  if (violations.length > 0) return violations.join('; ');
  if (planValues && name in planValues && String(planValues[name]) !== String(value))
    return `${JSON.stringify(value)} differs from the plan's ${JSON.stringify(planValues[name])}, so the case does not test that SKU`;
  return undefined;
}
