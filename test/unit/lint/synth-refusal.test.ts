import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintProject } from '../../../scripts/lint';
import { REPO_ROOT } from '../../support/model';

describe('lint of this repository', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nestkit-lint-repo-'));
    for (const folder of ['service-config', 'templates'])
      cpSync(join(REPO_ROOT, folder), join(dir, folder), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports what synth would refuse, at its service.yaml line', () => {
    const config = join(dir, 'service-config', 'service.yaml');
    const text = readFileSync(config, 'utf8').replace(
      'ecs.c7.4xlarge\n    nodeCount: 1',
      'ecs.c7.4xlarge\n    nodeCount: 50',
    );
    writeFileSync(config, text);
    const findings = lintProject([dir], { cwd: dir });
    const line = text.split('\n').indexOf('    nodeCount: 50') + 1;
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'service-config',
        severity: 'error',
        line,
        message: expect.stringMatching(/^synth refuses it: edition "premium" sets NodeCount = 50/),
      }),
    ]);
  });

  it('finds nothing in the repository as it is', () => {
    expect(lintProject([dir], { cwd: dir })).toEqual([]);
  });
});
