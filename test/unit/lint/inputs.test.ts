import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { lintProject } from '../../../scripts/lint';
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

  it('refuses a folder that is no project, naming what it looked for', () => {
    expect(() => lintProject([dir], { cwd: dir })).toThrow(/found no \.computenest\/config\.yaml/);
  });
});
