/**
 * A readable diff of two JSON values for `publish --dry-run`: one line per changed leaf, with its path.
 * Hand-written because the output is a few lines of path + old → new and the diff libraries on the
 * registry produce patch formats that would need as much code again to print.
 */
export interface DiffLine {
  path: string;
  kind: '+' | '-' | '~';
  before?: unknown;
  after?: unknown;
}

export function jsonDiff(before: unknown, after: unknown, path = ''): DiffLine[] {
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => {
      const child = Array.isArray(after) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      const b = (before as Record<string, unknown>)[key];
      const a = (after as Record<string, unknown>)[key];
      if (b === undefined) return [{ path: child, kind: '+' as const, after: a }];
      if (a === undefined) return [{ path: child, kind: '-' as const, before: b }];
      return jsonDiff(b, a, child);
    });
  }
  return JSON.stringify(before) === JSON.stringify(after)
    ? []
    : [{ path: path || '(root)', kind: '~', before, after }];
}

export function formatDiff(lines: DiffLine[]): string[] {
  return lines.map((l) => {
    if (l.kind === '+') return `+ ${l.path}: ${JSON.stringify(l.after)}`;
    if (l.kind === '-') return `- ${l.path}: ${JSON.stringify(l.before)}`;
    return `~ ${l.path}: ${JSON.stringify(l.before)} → ${JSON.stringify(l.after)}`;
  });
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
