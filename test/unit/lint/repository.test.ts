import { resolve } from 'node:path';
import { lintProject } from '../../../scripts/lint';

const repoRoot = resolve(__dirname, '..', '..', '..');

describe('linting this repository (no argument)', () => {
  it('finds no error and no warning in our own synthesized output and service description', () => {
    const findings = lintProject([], { cwd: repoRoot });
    expect(findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`)).toEqual([]);
  });
});
