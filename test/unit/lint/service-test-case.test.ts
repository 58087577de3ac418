import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintProject } from '../../../scripts/lint';
import { REPO_ROOT } from '../../support/model';

const rules = ['service-test-case'];

describe('service-test-case on this repository', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestkit-test-case-'));
    cpSync(join(REPO_ROOT, 'service-config'), join(dir, 'service-config'), { recursive: true });
    cpSync(join(REPO_ROOT, 'templates'), join(dir, 'templates'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the synthesized cases', () => {
    expect(lintProject([dir], { rules, cwd: dir })).toEqual([]);
  });

  it('flags a synthesized case edited to carry a password and a plan no definition has', () => {
    const file = join(dir, 'templates', 'service-tests', 'basic+backup.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace('AdminPassword: $[iact3-auto]', 'AdminPassword: Hunter2-Secret')
        .replace('PlanName: basic', 'PlanName: gold'),
    );
    const findings = lintProject([dir], { rules, cwd: dir }).map((f) => `${f.file}:${f.line} ${f.message}`);
    expect(findings).toEqual([
      'templates/service-tests/basic+backup.yaml:5 template "Standard" has no plan "gold" (plans: basic, advanced, premium)',
      expect.stringMatching(
        /^templates\/service-tests\/basic\+backup\.yaml:23 test case "basic\+backup", parameter "AdminPassword": a secret \(NoEcho\)/,
      ),
    ]);
  });
});
