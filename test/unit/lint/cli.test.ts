import { join } from 'node:path';
import { main } from '../../../scripts/cli';
import { FIXTURES } from './fixtures';

/** Runs `nestkit` in process and returns what it printed and the exit code it set. */
async function nestkit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await main(['node', 'nestkit', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout: out.join(''), stderr: err.join('') };
  } finally {
    Object.assign(process.stdout, { write: write.stdout });
    Object.assign(process.stderr, { write: write.stderr });
    process.exitCode = before;
  }
}

describe('nestkit lint', () => {
  it('exits 0 on a clean template and says so', async () => {
    const result = await nestkit('lint', join(FIXTURES, 'unresolved-ref', 'good.yaml'));
    expect(result).toMatchObject({ code: 0, stdout: 'no problems found\n' });
  });

  it('exits 0 when there are only warnings', async () => {
    const result = await nestkit('lint', join(FIXTURES, 'unused-parameter', 'bad.yaml'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/bad\.yaml:4:3 warning unused-parameter parameter "Port"/);
  });

  it('exits 1 on errors and prints file:line:col severity rule message lines grouped by file', async () => {
    const result = await nestkit(
      'lint',
      join(FIXTURES, 'unresolved-ref', 'bad.yaml'),
      '--rule',
      'unresolved-ref',
    );
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/unresolved-ref\/bad\.yaml$/);
    expect(lines[1]).toMatch(/bad\.yaml:8:25 error unresolved-ref Ref "CidrBlock" names no parameter/);
    expect(lines[lines.length - 1]).toBe('2 errors, 0 warnings in 1 file');
  });

  it('prints an array of {file, line, column, severity, rule, message} with --format json', async () => {
    const result = await nestkit('lint', join(FIXTURES, 'unresolved-ref', 'bad.yaml'), '--format', 'json');
    const findings = JSON.parse(result.stdout);
    expect(findings.map((f: { rule: string }) => f.rule)).toEqual([
      'unused-parameter',
      'unresolved-ref',
      'unresolved-ref',
    ]);
    expect(Object.keys(findings[0]).sort()).toEqual([
      'column',
      'file',
      'line',
      'message',
      'rule',
      'severity',
    ]);
  });

  it('selects rules with --rule and --ignore', async () => {
    const bad = join(FIXTURES, 'unresolved-ref', 'bad.yaml');
    expect((await nestkit('lint', bad, '--ignore', 'unresolved-ref')).code).toBe(0);
    expect((await nestkit('lint', bad, '--rule', 'unused-parameter,format-version')).code).toBe(0);
    expect((await nestkit('lint', bad, '--rule', 'unresolved-ref')).code).toBe(1);
  });

  it('exits 2 for a missing path or an unknown rule, with a message and no stack trace', async () => {
    const missing = await nestkit('lint', 'no/such/template.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /no\/such\/template\.yaml: no such file or directory \[LintPathNotFound\]/,
    );
    const unknown = await nestkit('lint', '--rule', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });

  it('lists every rule with --list-rules', async () => {
    const result = await nestkit('lint', '--list-rules', '--format', 'json');
    expect(JSON.parse(result.stdout).map((r: { id: string }) => r.id)).toContain('circular-dependency');
  });

  it('prints SARIF 2.1.0 for GitHub code scanning: rule metadata, levels and repository-relative locations', async () => {
    const bad = join(FIXTURES, 'unresolved-ref', 'bad.yaml');
    const result = await nestkit('lint', bad, '--format', 'sarif');
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout);
    expect(log).toMatchObject({ version: '2.1.0', $schema: expect.stringMatching(/sarif-2\.1\.0/) });
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver).toMatchObject({ name: 'nestkit-lint', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(driver.informationUri).toMatch(/^https:\/\//);
    for (const rule of driver.rules) {
      expect(rule).toMatchObject({
        id: expect.any(String),
        shortDescription: { text: expect.any(String) },
        fullDescription: { text: expect.any(String) },
        helpUri: expect.stringMatching(/^https:\/\//),
        defaultConfiguration: { level: expect.stringMatching(/^(error|warning)$/) },
      });
    }
    const ids = driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual(
      expect.arrayContaining(['unresolved-ref', 'unknown-resource-property', 'suppression']),
    );
    const results = log.runs[0].results;
    expect(results.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual([
      'unresolved-ref',
      'unresolved-ref',
      'unused-parameter',
    ]);
    const first = results.find((r: { ruleId: string }) => r.ruleId === 'unresolved-ref');
    expect(ids[first.ruleIndex]).toBe('unresolved-ref');
    expect(first).toMatchObject({
      level: 'error',
      message: { text: expect.stringContaining('CidrBlock') },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'test/lint-fixtures/unresolved-ref/bad.yaml', uriBaseId: 'SRCROOT' },
            region: { startLine: 8, startColumn: 25 },
          },
        },
      ],
    });
  });

  it('records suppressed findings in SARIF with their justification, and lists suppressions', async () => {
    const good = join(FIXTURES, 'suppression', 'good.yaml');
    const sarif = await nestkit('lint', good, '--format', 'sarif', '--today', '2026-06-01');
    expect(sarif.code).toBe(0);
    const [result] = JSON.parse(sarif.stdout).runs[0].results;
    expect(result.suppressions).toEqual([
      expect.objectContaining({ kind: 'inSource', justification: expect.stringContaining('TICKET-12') }),
    ]);
    const listed = await nestkit('lint', good, '--list-suppressions', '--today', '2027-01-01');
    expect(listed.code).toBe(1);
    expect(listed.stdout).toMatch(
      /good\.yaml:5:9 unknown-resource-property Resources\/Database\/Properties\/VPCId until 2026-12-31 \(expired: expired on 2026-12-31\)/,
    );
    const json = await nestkit(
      'lint',
      good,
      '--list-suppressions',
      '--format',
      'json',
      '--today',
      '2026-06-01',
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ status: 'active', suppressed: 1 })]);
  });
});
