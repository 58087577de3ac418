import { loadServiceConfig, parseServiceConfig } from '../../../service-config/load';
import { formatIssue, ServiceConfigError, type ConfigIssue } from '../../../service-config/errors';
import { marketRegionOf } from '../../../service-config/model';
import { sampleText } from '../../support/model';

function issuesOf(text: string): ConfigIssue[] {
  try {
    parseServiceConfig(text, 'service.yaml');
  } catch (error) {
    if (error instanceof ServiceConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected the service description to be refused');
}

/** The sample with one textual change; fails loudly if the text to change is not there. */
function sampleWith(from: string | RegExp, to: string): string {
  const text = sampleText();
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`sample does not contain ${String(from)}`);
  return changed;
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

describe('service description loader', () => {
  it('loads the sample with defaults filled in', () => {
    const model = parseServiceConfig(sampleText(), 'service.yaml');
    expect(model.editions.map((e) => e.name)).toEqual(['basic', 'advanced', 'premium']);
    expect(model.editions[0].includedModules).toEqual([]);
    expect(model.modules.find((m) => m.name === 'backup')?.settings).toEqual({ retentionDays: 30 });
  });

  it('refuses an empty file', () => {
    expect(issuesOf('')).toEqual([
      { file: 'service.yaml', line: 1, column: 1, field: '', message: 'the file is empty' },
    ]);
  });

  it('refuses a file that is only a comment', () => {
    expect(issuesOf('# nothing here\n')[0].message).toBe('the file is empty');
  });

  it('reports invalid YAML with its line', () => {
    const text = sampleWith('  type: managed', '  type: [managed');
    const [issue] = issuesOf(text);
    expect(issue.message).toMatch(/^invalid YAML/);
    expect(issue.line).toBeGreaterThanOrEqual(lineOf(text, 'type: [managed'));
  });

  it('reports a duplicate key as invalid YAML', () => {
    const text = sampleWith('  type: managed', '  type: managed\n  type: private');
    const [issue] = issuesOf(text);
    expect(issue.message).toMatch(/invalid YAML.*(duplicate|unique)/i);
    expect(issue.line).toBe(lineOf(text, '  type: private'));
  });

  it('suggests the right name for an unknown top-level key', () => {
    const text = sampleWith(/^lifecycle:/m, 'lifecyle:');
    const issues = issuesOf(text);
    const unknown = issues.find((i) => i.field === 'lifecyle');
    expect(unknown?.message).toMatch(/unknown key "lifecyle"; did you mean "lifecycle"\?/);
    expect(unknown?.line).toBe(lineOf(text, 'lifecyle:'));
    expect(issues.some((i) => i.message === 'missing required field "lifecycle"')).toBe(true);
  });

  it('points at an unknown key inside an edition, with a suggestion', () => {
    const text = sampleWith('ecs.c7.2xlarge\n    nodeCount: 1', 'ecs.c7.2xlarge\n    nodeCont: 1');
    const issue = issuesOf(text).find((i) => i.field === 'editions[1].nodeCont');
    expect(issue).toMatchObject({ line: lineOf(text, 'nodeCont'), column: 5 });
    expect(issue?.message).toContain('did you mean "nodeCount"?');
  });

  it('refuses a wrong type and names the field', () => {
    const text = sampleWith('ecs.c7.4xlarge\n    nodeCount: 1', 'ecs.c7.4xlarge\n    nodeCount: three');
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({ field: 'editions[2].nodeCount', line: lineOf(text, 'three'), column: 16 });
    expect(issue.message).toBe('must be integer; got string "three"');
  });

  it('refuses a missing required field', () => {
    const text = sampleWith('    specificationCode: yuncode5012300002\n', '');
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({
      field: 'editions[1]',
      message: 'missing required field "specificationCode"',
    });
  });

  it('refuses a service type outside the enum', () => {
    const [issue] = issuesOf(sampleWith('  type: managed', '  type: public'));
    expect(issue.field).toBe('service.type');
    expect(issue.message).toBe('must be one of "managed", "private"; got "public"');
  });

  it('refuses a version that is not semantic', () => {
    const [issue] = issuesOf(sampleWith('  version: 1.4.0', '  version: v1.4'));
    expect(issue.field).toBe('service.version');
    expect(issue.message).toMatch(/"v1.4" does not match .*Semantic version/);
  });

  it('refuses duplicate SKU codes', () => {
    const text = sampleWith('yuncode5012300002', 'yuncode5012300001');
    const [issue] = issuesOf(text);
    expect(issue.field).toBe('editions[1].specificationCode');
    expect(issue.message).toBe('duplicate SKU code "yuncode5012300001" (already used by editions[0])');
    expect(issue.line).toBe(
      text
        .split('\n')
        .findIndex((l, i) => i > lineOf(text, 'name: advanced') && l.includes('yuncode5012300001')) + 1,
    );
  });

  it('refuses duplicate edition names', () => {
    const [issue] = issuesOf(sampleWith('  - name: premium', '  - name: basic'));
    expect(issue).toMatchObject({
      field: 'editions[2].name',
      message: 'duplicate edition name "basic" (already used by editions[0])',
    });
  });

  it('suggests a declared module for a misspelt included module', () => {
    const [issue] = issuesOf(sampleWith('includedModules: [backup]', 'includedModules: [bakup]'));
    expect(issue.field).toBe('editions[1].includedModules[0]');
    expect(issue.message).toContain('unknown module "bakup"; did you mean "backup"?');
  });

  it('refuses an included module that is known but not declared', () => {
    const text = sampleWith(/ {2}- name: public-endpoint[\s\S]*?cn-shenzhen-acme-insight\n/, '');
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({
      field: 'editions[2].includedModules[1]',
      message: 'module "public-endpoint" is not declared under modules',
    });
  });

  it('refuses a managed HTTPS endpoint without the ISV certificate of an allowed region', () => {
    const [issue] = issuesOf(sampleWith(/ {8}cn-shenzhen: 1000000000000001-cn-shenzhen-acme-insight\n/, ''));
    expect(issue.message).toMatch(/certificate of every allowed region.*cn-shenzhen has none/);
  });

  it('refuses a managed edition the buyer could not reach (no public bandwidth, no endpoint)', () => {
    const [issue] = issuesOf(sampleWith('    bandwidth: 5\n', '    bandwidth: 0\n'));
    expect(issue).toMatchObject({ field: 'editions[0].bandwidth' });
    expect(issue.message).toContain('the buyer could not reach it');
  });

  it('refuses a shared ISV network missing in an allowed region', () => {
    const [issue] = issuesOf(
      sampleWith(
        '    network: per-order',
        '    network: shared\n    sharedNetworks:\n      cn-hangzhou: { vpcId: vpc-a1, vSwitchId: vsw-a1, zoneId: cn-hangzhou-k }',
      ),
    );
    expect(issue.message).toMatch(
      /network: shared needs the ISV network of every allowed region; cn-shanghai/,
    );
  });

  it('fills the managed defaults and keeps none for a private service', () => {
    const managed = parseServiceConfig(sampleText(), 'service.yaml').service.managed!;
    expect(managed).toMatchObject({ roleName: 'ComputeNestSupplierDeployRole', userType: 'Aliyun' });
    const privateModel = parseServiceConfig(sampleWith('type: managed', 'type: private'), 'service.yaml');
    expect(privateModel.service.managed).toBeUndefined();
  });

  it('refuses a bundle that buys a module its edition already includes', () => {
    const text = sampleWith(
      '    includedModules: [backup]\n',
      '    includedModules: [backup]\n    bundles:\n      - { modules: [backup], specificationCode: yuncode5012300021 }\n',
    );
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({ field: 'editions[1].bundles[0].modules[0]' });
    expect(issue.message).toBe(
      'edition "advanced" already includes module "backup"; it cannot be bought again on it',
    );
  });

  it('refuses a bundle SKU code used twice', () => {
    const [issue] = issuesOf(
      sampleWith(
        '    includedModules: [backup]\n',
        '    includedModules: [backup]\n    bundles:\n      - { modules: [public-endpoint], specificationCode: yuncode5012300001 }\n',
      ),
    );
    expect(issue.message).toBe('duplicate SKU code "yuncode5012300001"');
  });

  it('refuses a malformed instance type', () => {
    const [issue] = issuesOf(sampleWith('instanceType: ecs.c7.large', 'instanceType: c7.large'));
    expect(issue.field).toBe('editions[0].instanceType');
    expect(issue.message).toMatch(/not an ECS instance type/);
  });

  it('refuses a service without editions', () => {
    const text = sampleText().replace(/^editions:[\s\S]*?(?=^modules:)/m, 'editions: []\n\n');
    const [issue] = issuesOf(text);
    expect(issue.field).toBe('editions');
    expect(issue.message).toMatch(/^must NOT have fewer than 1 items/);
  });

  it('refuses a module the CDK app does not know', () => {
    const issues = issuesOf(sampleWith('  - name: backup', '  - name: cdn'));
    expect(issues.find((i) => i.field === 'modules[0].name')?.message).toBe(
      'must be one of "backup", "managed-database", "public-endpoint"; got "cdn"',
    );
  });

  it('refuses an unknown module setting with a suggestion', () => {
    const [issue] = issuesOf(sampleWith('retentionDays: 30', 'retentionDay: 30'));
    expect(issue.field).toBe('modules[0].settings.retentionDay');
    expect(issue.message).toContain('did you mean "retentionDays"?');
  });

  it('refuses a localized text without zh-CN', () => {
    const [issue] = issuesOf(sampleWith('    zh-CN: Acme 洞察分析平台\n', ''));
    expect(issue).toMatchObject({ field: 'service.name', message: 'missing required field "zh-CN"' });
  });

  it('refuses a node count below one', () => {
    const [issue] = issuesOf(sampleWith('    nodeCount: 1', '    nodeCount: 0'));
    expect(issue).toMatchObject({ field: 'editions[0].nodeCount', message: 'must be >= 1' });
  });

  it('refuses an unknown expiry policy', () => {
    const [issue] = issuesOf(sampleWith('onExpiry: stop', 'onExpiry: delete'));
    expect(issue).toMatchObject({
      field: 'lifecycle.onExpiry',
      message: 'must be one of "stop", "keep"; got "delete"',
    });
  });

  it('reports every problem at once, not only the first', () => {
    const text = sampleWith('    nodeCount: 1', '    nodeCount: 0').replace(
      '  type: managed',
      '  type: public',
    );
    expect(
      issuesOf(text)
        .map((i) => i.field)
        .sort(),
    ).toEqual(['editions[0].nodeCount', 'service.type']);
  });

  it('names a missing file', () => {
    expect(() => loadServiceConfig('/nonexistent/service.yaml')).toThrow(/service\.yaml:1:1: file not found/);
  });
});

describe('service.marketRegionId', () => {
  const REGION_LINE = /^( {2}regionId: .*)$/m;

  it('defaults by the service region: the Market client then uses the site of service.regionId', () => {
    const model = parseServiceConfig(sampleText(), 'service.yaml');
    expect(model.service.marketRegionId).toBeUndefined();
    expect(marketRegionOf(model.service)).toBe(model.service.regionId);
  });

  it('sets the Market region when given', () => {
    const model = parseServiceConfig(
      sampleWith(REGION_LINE, '$1\n  marketRegionId: ap-southeast-1'),
      'service.yaml',
    );
    expect(model.service.marketRegionId).toBe('ap-southeast-1');
    expect(marketRegionOf(model.service)).toBe('ap-southeast-1');
  });

  it('refuses a region the Market endpoint map lacks, at its line, with the closest region', () => {
    const text = sampleWith(REGION_LINE, '$1\n  marketRegionId: ap-southeast-11');
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({
      file: 'service.yaml',
      field: 'service.marketRegionId',
      line: lineOf(text, 'marketRegionId'),
      column: 19,
    });
    expect(issue.message).toMatch(
      /^must be one of "cn-hangzhou", .*; got "ap-southeast-11"; did you mean "ap-southeast-1"\?$/,
    );
    expect(formatIssue(issue)).toMatch(/^service\.yaml:\d+:19: service\.marketRegionId: must be one of/);
  });
});
