import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { emptyState, type SandboxState } from './state';

/**
 * Keeps the state in one JSON file, written atomically (temp file, fsync, rename) so a crash leaves
 * either the old or the new state, never half of one. Without a path the state lives in memory.
 */
export class StateStore {
  constructor(private readonly path?: string) {}

  load(): SandboxState {
    if (!this.path || !existsSync(this.path)) return emptyState();
    const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as SandboxState;
    if (parsed.schema !== 1)
      throw new Error(`${this.path}: unknown sandbox state schema ${String(parsed.schema)}`);
    return { ...emptyState(), ...parsed };
  }

  save(state: SandboxState): void {
    if (!this.path) return;
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(state));
    const fd = openSync(temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path);
  }
}
