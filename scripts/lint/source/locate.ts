/** The line and column of a path in a parsed document. */
import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Path, SourceDoc } from './source-doc';
import { longFormKey } from './to-plain';

export interface Position {
  line: number;
  column: number;
}

interface Step {
  key?: unknown;
  value: unknown;
}

/**
 * Points at the value at `path`, or with `key` at its key. A path that leaves the tree (a missing key, a
 * long-form key written as a short tag) stops at the deepest node that exists.
 */
export function locate(doc: SourceDoc, path: Path, key = false): Position {
  const steps = descend(doc, path);
  let offset = rangeStart(doc.tree.contents) ?? 0;
  steps.forEach((step, i) => {
    const wantKey = key && i === path.length - 1;
    offset = (wantKey ? rangeStart(step.key) : rangeStart(step.value)) ?? rangeStart(step.key) ?? offset;
  });
  const pos = doc.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** The syntax node at `path`, or undefined when the path leaves the tree. */
export function nodeAt(doc: SourceDoc, path: Path): unknown {
  const steps = descend(doc, path);
  return steps.length === path.length ? (steps[steps.length - 1]?.value ?? doc.tree.contents) : undefined;
}

/** One step per path part that exists; a part naming a short-form tag's long form stays on the node. */
function descend(doc: SourceDoc, path: Path): Step[] {
  const steps: Step[] = [];
  let node: unknown = doc.tree.contents;
  for (const part of path) {
    if (isAlias(node)) node = node.resolve(doc.tree);
    const step = longFormKey((node as Node | null)?.tag) === part ? { value: node } : child(node, part);
    if (!step) break;
    steps.push(step);
    node = step.value;
  }
  return steps;
}

function child(node: unknown, part: string | number): Step | undefined {
  if (isMap(node)) {
    const pair = node.items.find(
      (item) => isScalar(item.key) && String(item.key.source ?? item.key.value) === String(part),
    );
    return pair ? { key: pair.key, value: pair.value } : undefined;
  }
  if (isSeq(node) && typeof part === 'number' && part < node.items.length) return { value: node.items[part] };
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
