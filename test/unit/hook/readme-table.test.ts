import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transitionTable } from '../../../scripts/hook/transition-table';
import { REPO_ROOT } from '../../support/model';

describe('README state table', () => {
  it('is the table computed from the state machine', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const shown = /<!-- transition-table:start -->\n([\s\S]*?)\n<!-- transition-table:end -->/.exec(
      readme,
    )?.[1];
    expect(shown).toBe(transitionTable({ onExpiry: 'stop', retentionDays: 7, deleteOnRelease: true }));
  });
});
