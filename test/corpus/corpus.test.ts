/**
 * The linter over real Compute Nest projects published by Alibaba (../shared/fixtures/computenest-public):
 * nothing crashes, every file is parsed or reported, and every error is a real defect defended below.
 * Run it with `npx jest test/corpus`; CI runs it as part of `npm test`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { collectInputs } from '../../scripts/lint/inputs/collect';
import { lintProject, type Finding } from '../../scripts/lint';

const repoRoot = resolve(__dirname, '..', '..');
const corpus = resolve(repoRoot, '..', 'shared', 'fixtures', 'computenest-public');
const present = existsSync(corpus);
if (!present) {
  // The corpus lives beside the repository (a copy of shared/ in CI); without it there is nothing to run.
  process.stderr.write(`corpus test skipped: ${corpus} is absent\n`);
}

/**
 * Every error the linter reports on the corpus, each a defect by the rule named:
 */
const EXPECTED_ERRORS = [
  // empty-document: .computenest_parameters.yaml is zero bytes; the file computenest-cli keeps the project's
  // build parameters in (repo, compose file, region) carries none.
  'quickstart-mcp/.computenest/.computenest_parameters.yaml:1 empty-document',
  // plan-value: the plans set EcsInstanceType to ecs.e-c1m1.large, which is not among the AllowedValues of
  // EcsInstanceType in template.yaml / template-enterprise.yaml (lines 230-240 there); ROS rejects the value,
  // so every order of the plans 入门套餐 and 热卖套餐 fails to deploy. Lines 68 and 116 are the supplier
  // templates' copies of the plans, 169 and 217 the customer templates'.
  'quickstart-mcp/.computenest/config.yaml:68 plan-value',
  'quickstart-mcp/.computenest/config.yaml:116 plan-value',
  'quickstart-mcp/.computenest/config.yaml:169 plan-value',
  'quickstart-mcp/.computenest/config.yaml:217 plan-value',
  // unknown-resource-property: the ALIYUN::RDS::DBInstance "Database" sets VPCId, the spelling of
  // ALIYUN::RDS::ReadOnlyDBInstance; DBInstance's property is VpcId (ROS resource reference and the ROS CDK
  // alike). ROS refuses an unknown property, so the WordPress stack fails before the database is created.
  'wordpress-ecs-demo/.computenest/ros_templates/cluster.yaml:311 unknown-resource-property',
  'wordpress-ecs-demo/.computenest/ros_templates/template.yaml:270 unknown-resource-property',
];

const projects = present
  ? readdirSync(corpus)
      .filter((name) => statSync(join(corpus, name)).isDirectory())
      .sort()
  : [];

(present ? describe : describe.skip)('the public Compute Nest corpus', () => {
  let findings: Finding[] = [];
  beforeAll(() => {
    findings = lintProject(projects, { cwd: corpus });
  });

  it('holds the projects this test was written against', () => {
    expect(projects.length).toBeGreaterThanOrEqual(10);
  });

  it('lints without any rule failing internally', () => {
    expect(findings.filter((f) => f.rule === 'internal-error')).toEqual([]);
  });

  it('reports exactly the defended errors', () => {
    const errors = findings.filter((f) => f.severity === 'error').map((f) => `${f.file}:${f.line} ${f.rule}`);
    expect(errors.sort()).toEqual([...EXPECTED_ERRORS].sort());
  });

  it('parses every config, template and parameter file, or reports why not', () => {
    const inputs = collectInputs(projects, corpus);
    const linted = new Set(inputs.files.map((doc) => doc.file));
    const onDisk = projects.flatMap((project) => projectFiles(join(corpus, project)));
    expect(onDisk.filter((file) => !linted.has(file))).toEqual([]);
    const unparsed = inputs.files
      .filter((doc) => doc.problems.length > 0 || doc.empty)
      .map((doc) => doc.file);
    const reported = new Set(
      findings.filter((f) => f.rule === 'parse-error' || f.rule === 'empty-document').map((f) => f.file),
    );
    expect(unparsed.filter((file) => !reported.has(file))).toEqual([]);
  });

  it('finds the same given the corpus folder itself, skipping its README, SOURCES.tsv and compose files', () => {
    const fromRoot = lintProject(['.'], { cwd: corpus });
    expect(fromRoot).toEqual(findings);
    const linted = collectInputs(['.'], corpus).files.map((doc) => doc.file);
    expect(linted.filter((file) => /README|\.tsv$|docker-compose/.test(file))).toEqual([]);
    expect(new Set(linted)).toEqual(new Set(collectInputs(projects, corpus).files.map((doc) => doc.file)));
  });

  it('survives the real quirks with warnings, not errors', () => {
    const warnings = findings
      .filter((f) => f.severity === 'warning')
      .map((f) => `${f.file}:${f.line} ${f.rule}`);
    expect(warnings).toEqual(
      expect.arrayContaining([
        // A multi-line quoted CommandContent continues at its key's indentation: PyYAML reads it.
        'quickstart-dify/.computenest/config.yaml:45 yaml-indentation',
        // A single colon: ALIYUN::GPDB::DBInstance:InstanceSpec.
        'quickstart-dify/.computenest/ros_templates/template-HA.yaml:710 association-property',
        // template-HA.yaml is named by no TemplateConfigs Url.
        'quickstart-dify/.computenest/ros_templates/template-HA.yaml:1 unreferenced-template',
      ]),
    );
  });
});

/** The config folder's own files and its ros_templates, relative to the corpus root. */
function projectFiles(project: string): string[] {
  const folder = join(project, '.computenest');
  const files = [
    ...readdirSync(folder).map((name) => join(folder, name)),
    ...readdirSync(join(folder, 'ros_templates')).map((name) => join(folder, 'ros_templates', name)),
  ];
  return files
    .filter((file) => /\.(ya?ml|json)$/.test(file) && statSync(file).isFile())
    .map((file) => relative(corpus, file));
}
