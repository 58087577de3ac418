import { parse } from 'yaml';
import { synthesizeService } from '../../../cdk/service-app';
import { serviceTestPlan, TEST_AUTO_VALUE } from '../../../cdk/service-test-plan';
import { renderFiles, renderServiceTests } from '../../../scripts/synth/render-files';
import { sampleModel } from '../../support/model';

const model = sampleModel();
const synthesized = synthesizeService(model);
const template = synthesized.templates[0].template;
const cases = serviceTestPlan(model, template);
const parametersOf = (name: string): Record<string, unknown> =>
  (parse(cases.find((c) => c.TestCaseName === name)!.TestConfig) as { parameters: Record<string, unknown> })
    .parameters;

describe('serviceTestPlan', () => {
  it('has one case per edition and purchasable module combination, included modules never bought again', () => {
    expect(cases.map((c) => c.TestCaseName)).toEqual([
      'basic',
      'basic+backup',
      'basic+public-endpoint',
      'basic+backup+public-endpoint',
      'advanced', // includes backup
      'advanced+public-endpoint',
      'premium', // includes both
    ]);
    expect(cases.find((c) => c.TestCaseName === 'advanced+public-endpoint')!.Modules).toEqual([
      'backup',
      'public-endpoint',
    ]);
    expect(new Set(cases.map((c) => c.TemplateName))).toEqual(new Set([model.service.template.name]));
    expect(cases.every((c) => c.RegionId === model.service.allowedRegions[0])).toBe(true);
  });

  it('deploys the plan of the edition with every module switch set explicitly', () => {
    expect(parametersOf('basic')).toMatchObject({
      EcsInstanceType: 'ecs.c7.large',
      EnableBackup: false,
      EnablePublicEndpoint: false,
    });
    expect(parametersOf('basic+backup')).toMatchObject({ EnableBackup: true, EnablePublicEndpoint: false });
    expect(parametersOf('advanced+public-endpoint')).toMatchObject({
      EcsInstanceType: 'ecs.c7.2xlarge',
      EnableBackup: true,
      EnablePublicEndpoint: true,
    });
    const plans = (
      synthesized.serviceDefinition.Service.DeployMetadata as {
        SupplierDeployMetadata: { SupplierTemplateConfigs: { PredefinedParameters: { Name: string }[] }[] };
      }
    ).SupplierDeployMetadata.SupplierTemplateConfigs[0].PredefinedParameters.map((p) => p.Name);
    for (const c of cases) expect(plans).toContain(c.PlanName);
    expect(Object.keys(parametersOf('basic')).every((name) => name in template.Parameters!)).toBe(true);
  });

  it('never writes a secret: every NoEcho parameter and every parameter without a default is $[iact3-auto]', () => {
    const secrets = Object.entries(template.Parameters!).filter(([, p]) => p.NoEcho);
    expect(secrets.map(([name]) => name)).toContain('AdminPassword');
    for (const c of cases) {
      for (const [name] of secrets) expect(parametersOf(c.TestCaseName)[name]).toBe(TEST_AUTO_VALUE);
      expect(parametersOf(c.TestCaseName).ZoneId).toBe(TEST_AUTO_VALUE);
    }
  });

  it('uses a bundle plan when the modules bought are exactly a bundle', () => {
    const bundled = sampleModel();
    bundled.editions[0].bundles = [{ modules: ['public-endpoint'], specificationCode: 'yuncode5012300012' }];
    const withBundle = serviceTestPlan(bundled, synthesizeService(bundled).templates[0].template);
    expect(withBundle.find((c) => c.TestCaseName === 'basic+public-endpoint')!.PlanName).toBe(
      'basic+public-endpoint',
    );
    expect(withBundle.find((c) => c.TestCaseName === 'basic+backup')!.PlanName).toBe('basic');
  });

  it('renders one file per case under service-tests/, the same twice', () => {
    const files = renderServiceTests(model, synthesized);
    expect([...files.keys()].every((k) => k.startsWith('service-tests/'))).toBe(true);
    expect(files.size).toBe(cases.length);
    expect([...renderFiles(model, synthesized).keys()].some((k) => k.startsWith('service-tests/'))).toBe(
      false,
    );
    const text = files.get('service-tests/basic+backup.yaml')!;
    expect(parse(text)).toEqual(cases[1]);
    expect(text).toMatch(/^TestConfig: \|\n {2}parameters:\n/m);
    expect(
      renderServiceTests(model, synthesizeService(sampleModel())).get('service-tests/basic+backup.yaml'),
    ).toBe(text);
  });
});
