import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionsBelowDescriptorLimit } from '../../../scripts/hook/connection-guard';

describe('connection cap below the descriptor limit (issue 14.8)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nestkit-limits-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const limits = (soft: string) => {
    const file = join(dir, `limits-${soft}`);
    writeFileSync(
      file,
      `Limit                     Soft Limit           Hard Limit           Units     \nMax open files            ${soft}                 4096                 files     \n`,
    );
    return file;
  };

  it('keeps half the soft limit of open files for everything else', () => {
    expect(connectionsBelowDescriptorLimit(512, limits('1024'))).toBe(512);
    expect(connectionsBelowDescriptorLimit(512, limits('256'))).toBe(128);
    expect(connectionsBelowDescriptorLimit(512, limits('65536'))).toBe(512);
  });

  it('takes the wanted cap when the limit cannot be read', () => {
    expect(connectionsBelowDescriptorLimit(512, join(dir, 'missing'))).toBe(512);
    expect(connectionsBelowDescriptorLimit(512, limits('unlimited'))).toBe(512);
  });
});
