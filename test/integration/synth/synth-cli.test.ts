import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/cli';
import { SAMPLE_CONFIG, sampleText } from '../../support/model';

describe('nestkit synth', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestkit-synth-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const synth = (...args: string[]) => runCli(['synth', '--config', SAMPLE_CONFIG, '--out', dir, ...args]);
  const readAll = () =>
    Object.fromEntries(
      readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f !== 'service-tests')
        .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
    );
  const TEST_CASES = [
    'advanced+public-endpoint.yaml',
    'advanced.yaml',
    'basic+backup+public-endpoint.yaml',
    'basic+backup.yaml',
    'basic+public-endpoint.yaml',
    'basic.yaml',
    'premium.yaml',
  ];

  it('writes the templates, the service definition and the README', () => {
    const result = synth();
    expect(result.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      'README.md',
      'service-definition.json',
      'service-tests',
      'standard.template.json',
      'standard.template.yaml',
    ]);
    expect(readdirSync(join(dir, 'service-tests')).sort()).toEqual(TEST_CASES);
    expect(result.stdout).toContain('synthesized 11 files');
    expect(result.stderr).toContain(
      'warning edition "advanced" includes module "backup": do not sell its billing item BackupStorage on SKU yuncode5012300002',
    );
  });

  it('gives byte-identical output in two separate processes and then changes nothing', () => {
    synth();
    const first = readAll();
    expect(Object.keys(first)).toContain(join('service-tests', 'basic+backup.yaml'));
    rmSync(join(dir, 'README.md'));
    rmSync(join(dir, 'service-tests'), { recursive: true });
    synth();
    expect(readAll()).toEqual(first);
    const third = synth('--json');
    expect(JSON.parse(third.stdout).files.every((f: { status: string }) => f.status === 'unchanged')).toBe(
      true,
    );
  });

  it('--check passes on fresh output and names a hand-edited file', () => {
    synth();
    expect(synth('--check').status).toBe(0);
    const file = join(dir, 'standard.template.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"NodeCount"', '"NodeCnt"'));
    const result = synth('--check');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file}: changed`);
    expect(result.stderr).not.toContain('standard.template.yaml');
  });

  it('--check reports missing and unexpected generated files', () => {
    synth();
    rmSync(join(dir, 'service-definition.json'));
    writeFileSync(join(dir, 'old.template.json'), '{}');
    const result = synth('--check', '--json');
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).stale).toEqual([
      { path: 'service-definition.json', status: 'missing' },
      { path: 'old.template.json', status: 'unexpected' },
    ]);
  });

  it('--check covers the service test cases: a changed, a missing and a left-over case; synth removes the left-over', () => {
    synth();
    const basic = join(dir, 'service-tests', 'basic.yaml');
    writeFileSync(basic, readFileSync(basic, 'utf8').replace('NodeCount: 1', 'NodeCount: 2'));
    rmSync(join(dir, 'service-tests', 'premium.yaml'));
    writeFileSync(join(dir, 'service-tests', 'gold.yaml'), 'TestCaseName: gold\n');
    const result = synth('--check', '--json');
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).stale).toEqual([
      { path: 'service-tests/basic.yaml', status: 'changed' },
      { path: 'service-tests/premium.yaml', status: 'missing' },
      { path: 'service-tests/gold.yaml', status: 'unexpected' },
    ]);
    expect(synth().status).toBe(0);
    expect(readdirSync(join(dir, 'service-tests')).sort()).toEqual(TEST_CASES);
    expect(synth('--check').status).toBe(0);
  });

  it('previews one order of an edition with modules', () => {
    const result = synth('--edition', 'basic', '--modules', 'backup', '--json');
    expect(result.status).toBe(0);
    const order = JSON.parse(result.stdout);
    expect(order.modules).toEqual(['backup']);
    expect(order.parameters.EcsInstanceType).toEqual({ value: 'ecs.c7.large', source: 'plan' });
    expect(Object.keys(order.template.Resources)).toContain('BackupBucket');
    expect(Object.keys(order.template.Resources)).not.toContain('PublicLoadBalancer');
    expect(synth('--edition', 'premium').stdout).toMatch(
      /^# Order preview: edition premium, modules: backup, public-endpoint/,
    );
  });

  it('names file, line and field of a bad service description, without a stack trace', () => {
    const config = join(dir, 'service.yaml');
    writeFileSync(
      config,
      sampleText().replace('ecs.c7.2xlarge\n    nodeCount: 1', 'ecs.c7.2xlarge\n    nodeCount: many'),
    );
    const result = runCli(['synth', '--config', config, '--out', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /service\.yaml:\d+:16: editions\[1\]\.nodeCount: must be integer; got string "many"/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('locates a plan that breaks the template in service.yaml', () => {
    const config = join(dir, 'service.yaml');
    const text = sampleText().replace(
      'ecs.c7.4xlarge\n    nodeCount: 1',
      'ecs.c7.4xlarge\n    nodeCount: 12',
    );
    writeFileSync(config, text);
    const result = runCli(['synth', '--config', config, '--out', dir]);
    const line = text.split('\n').indexOf('    nodeCount: 12') + 1;
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `service.yaml:${line}:16: editions[2].nodeCount: edition "premium" sets NodeCount = 12`,
    );
    expect(result.stderr).toContain('[PlanViolatesTemplate]');
  });

  it('answers usage errors with exit code 2', () => {
    expect(synth('--modules', 'backup').status).toBe(2);
    expect(runCli(['synth', '--no-such-flag']).status).toBe(2);
    expect(runCli(['synth', '--help']).status).toBe(0);
    expect(runCli(['synth', '--help']).stdout).toContain('--edition <name>');
  });
});
