import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { lintProject } from '../../../scripts/lint';
import { runRules } from '../../../scripts/lint/engine';
import { collectInputs } from '../../../scripts/lint/inputs/collect';
import type { TemplateRule } from '../../../scripts/lint/model';
import { UserError } from '../../../scripts/errors';
import { FIXTURES } from './fixtures';

const TEMPLATE = `ROSTemplateFormatVersion: '2015-09-01'
Resources:
  Server:
    Type: ALIYUN::ECS::InstanceGroup
    Properties: {ImageId: m-placeholder, InstanceType: ecs.c6.large, MaxAmount: 1}
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nestkit-lint-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(file: string, text: string): string {
  const path = join(dir, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('lintProject inputs', () => {
  it('fails with a usage error (exit 2) for a path that does not exist', () => {
    expect(() => lintProject(['no/such/file.yaml'], { cwd: dir })).toThrow(
      expect.objectContaining({ code: 'LintPathNotFound', exitCode: 2 }),
    );
  });

  it('fails with a usage error naming the closest rule for an unknown --rule', () => {
    let error: unknown;
    try {
      lintProject([], { rules: ['unresolved-refs'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('did you mean "unresolved-ref"');
    expect((error as UserError).exitCode).toBe(2);
  });

  it('lints a single JSON template', () => {
    const file = write(
      't.json',
      JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Outputs: { A: { Value: { Ref: 'Nope' } } } }),
    );
    expect(lintProject([file], { cwd: dir }).map((f) => f.rule)).toEqual(['unresolved-ref']);
  });

  it('lints a config.yaml given directly, with ArtifactRelation as a list of maps and DeployMetadata as a JSON string', () => {
    write('.computenest/ros_templates/t.yaml', TEMPLATE);
    const deploy = JSON.stringify({
      TemplateConfigs: [{ Name: 'A', Url: 'ros_templates/t.yaml' }],
      SupplierDeployMetadata: { ArtifactRelation: [{ 'm-placeholder': {} }, { 'm-missing': {} }] },
    });
    const config = write(
      '.computenest/config.yaml',
      `Service:\n  ServiceInfo: [{Locale: zh-CN}]\n  DeployMetadata: '${deploy}'\n`,
    );
    const findings = lintProject([config], { cwd: dir });
    expect(findings.map((f) => [f.rule, f.message])).toEqual([
      ['artifact-relation', 'ArtifactRelation key "m-missing" occurs in no template of the service'],
    ]);
  });

  it('lints several paths at once and a template named by two projects only once', () => {
    const paths = ['unused-parameter/bad.yaml', 'unused-parameter/bad.yaml', 'unresolved-ref/bad.yaml'].map(
      (p) => join(FIXTURES, p),
    );
    const findings = lintProject(paths, { cwd: FIXTURES });
    expect(findings.filter((f) => f.file === 'unused-parameter/bad.yaml')).toHaveLength(1);
    expect(findings.filter((f) => f.rule === 'unresolved-ref')).toHaveLength(2);
  });

  it('refuses a folder that is no project and holds no template, naming what it looked for', () => {
    write('README.md', '# nothing here\n');
    write('compose/docker-compose.yaml', 'services:\n  web: {image: nginx}\n');
    expect(() => lintProject([dir], { cwd: dir })).toThrow(/found no \.computenest\/config\.yaml/);
  });
});

describe('folders, patterns and what is taken from them', () => {
  const BROKEN = `ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  Vpc:\n    Type: ALIYUN::ECS::VPC\n   Properties: {}\n`;

  beforeEach(() => {
    write('README.md', '# projects\n');
    write('SOURCES.tsv', 'name\turl\n');
    write(
      'one/.computenest/config.yaml',
      'Service:\n  DeployMetadata:\n    TemplateConfigs: [{Name: A, Url: ros_templates/t.yaml}]\n',
    );
    write('one/.computenest/ros_templates/t.yaml', TEMPLATE);
    write('one/.computenest/.computenest_parameters.yaml', 'RegionId: cn-hangzhou\n');
    write('one/.computenest/resources/docker-compose.yaml', 'services:\n  web: {image: nginx}\n');
    write(
      'loose/deep/extra.template.json',
      JSON.stringify({ ROSTemplateFormatVersion: '2015-09-01', Outputs: { A: { Value: { Ref: 'Nope' } } } }),
    );
    write('loose/broken.yaml', BROKEN);
    write('loose/values.yaml', 'replicas: 3\n');
  });

  it('searches a folder that is no project for projects, templates and parameter files, and skips the rest', () => {
    const linted = collectInputs(['.'], dir)
      .files.map((doc) => doc.file)
      .sort();
    expect(linted).toEqual([
      'loose/broken.yaml',
      'loose/deep/extra.template.json',
      'one/.computenest/.computenest_parameters.yaml',
      'one/.computenest/config.yaml',
      'one/.computenest/ros_templates/t.yaml',
    ]);
    const findings = lintProject([dir], { cwd: dir }).map((f) => `${f.file}:${f.line} ${f.rule}`);
    expect(findings).toEqual([
      'loose/broken.yaml:5 parse-error',
      'loose/deep/extra.template.json:1 unresolved-ref',
    ]);
  });

  it('expands a quoted glob pattern, taking only templates, definitions and parameter files', () => {
    const findings = lintProject(['loose/**/*.{yaml,json}'], { cwd: dir }).map((f) => `${f.file} ${f.rule}`);
    expect(findings).toEqual([
      'loose/broken.yaml parse-error',
      'loose/deep/extra.template.json unresolved-ref',
    ]);
    expect(() => lintProject(['nowhere/*.yaml'], { cwd: dir })).toThrow(
      expect.objectContaining({ code: 'LintPathNotFound', exitCode: 2 }),
    );
  });

  it('reports one YAML indentation slip once, at its line, and nothing that the parser salvaged', () => {
    const file = write(
      'slip.yaml',
      `${BROKEN}  Group:\n    Type: ALIYUN::ECS::SecurityGroup\n    Properties: {VpcId: !Ref Nope}\n`,
    );
    expect(lintProject([file], { cwd: dir }).map((f) => `${f.line}:${f.column} ${f.rule}`)).toEqual([
      '5:1 parse-error',
    ]);
  });

  it('reports a JSON template with a trailing comma as a parse error at the comma', () => {
    const file = write('t.json', '{\n  "ROSTemplateFormatVersion": "2015-09-01",\n  "Resources": {},\n}\n');
    expect(lintProject([file], { cwd: dir })).toEqual([
      expect.objectContaining({
        line: 3,
        column: 18,
        rule: 'parse-error',
        message: 'invalid JSON: trailing comma before "}"',
      }),
    ]);
  });

  it('lints a project named twice (its folder and its config) once', () => {
    const findings = lintProject(['one', 'one/.computenest/config.yaml', 'loose/deep'], { cwd: dir });
    expect(findings.map((f) => `${f.file} ${f.rule}`)).toEqual([
      'loose/deep/extra.template.json unresolved-ref',
    ]);
  });
});

describe('the engine', () => {
  it('never reports one rule twice at one place: equal findings once, different messages joined', () => {
    const file = write('t.yaml', TEMPLATE);
    const rule: TemplateRule = {
      id: 'twice',
      scope: 'template',
      severity: 'error',
      short: 'test rule',
      long: 'reports the same place three times',
      docUrl: 'https://example.com',
      appliesTo: ['*'],
      check: (context) =>
        ['first', 'first', 'second'].map((message) => ({
          where: { doc: context.doc, path: ['Resources'] },
          message,
        })),
    };
    const findings = runRules(collectInputs([file], dir), [rule]);
    expect(findings.map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual(['3:3 first; second']);
  });
});
