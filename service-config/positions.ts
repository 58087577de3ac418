import { isMap, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';

export type FieldPath = (string | number)[];

/** `['editions', 1, 'nodeCount']` → `editions[1].nodeCount`. */
export function formatFieldPath(path: FieldPath): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text ? `${text}.${part}` : part;
  }, '');
}

/** JSON pointer (`/editions/1/nodeCount`) → field path, numbers for array indexes. */
export function pointerToPath(pointer: string): FieldPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * The 1-based line and column of a field: its value, or with `atKey` its key. When the path does not
 * exist (a missing field) the deepest existing ancestor is used, so the error still points somewhere useful.
 */
export function locate(
  doc: Document,
  lines: LineCounter,
  path: FieldPath,
  atKey = false,
): { line: number; column: number } {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
      if (!pair) break;
      const keyNode = pair.key as Node;
      const valueNode = pair.value as Node | null;
      offset =
        (atKey && part === path[path.length - 1] ? keyNode.range?.[0] : valueNode?.range?.[0]) ?? offset;
      node = valueNode;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part]) {
      node = node.items[part];
      offset = (node as Node).range?.[0] ?? offset;
    } else {
      break;
    }
  }
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}
