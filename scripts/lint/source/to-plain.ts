/**
 * Converts a YAML syntax tree to plain data the way ROS reads it: short-form function tags become their
 * long form (`!Ref X` → `{Ref: X}`, `!GetAtt A.B` → `{Fn::GetAtt: [A, B]}`), dates stay the text written,
 * aliases and `<<` merge keys are resolved.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';

/** Maps a short-form tag to the key of its long form, or undefined when the tag is not a ROS function. */
export function longFormKey(tag: string | undefined): string | undefined {
  if (!tag || !/^![A-Za-z][A-Za-z0-9]*$/.test(tag)) return undefined;
  const name = tag.slice(1);
  if (name === 'Ref' || name === 'Condition') return name;
  return `Fn::${name}`;
}

export function toPlain(node: unknown, doc: Document, depth = 0): unknown {
  if (depth > 200) return undefined;
  const plain = untagged(node, doc, depth);
  const key = longFormKey((node as Node | null)?.tag);
  if (key === undefined) return plain;
  if (key === 'Fn::GetAtt' && typeof plain === 'string') return { [key]: splitOnce(plain) };
  return { [key]: plain };
}

function untagged(node: unknown, doc: Document, depth: number): unknown {
  if (isScalar(node)) return node.value instanceof Date ? (node.source ?? isoDate(node.value)) : node.value;
  if (isAlias(node)) return toPlain(node.resolve(doc), doc, depth + 1);
  if (isSeq(node)) return node.items.map((item) => toPlain(item, doc, depth + 1));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.source ?? pair.key.value) : String(pair.key);
      const value = toPlain(pair.value, doc, depth + 1);
      if (key === '<<' && typeof value === 'object' && value !== null) Object.assign(out, value);
      else out[key] = value;
    }
    return out;
  }
  return node ?? null;
}

function splitOnce(text: string): string[] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text] : [text.slice(0, dot), text.slice(dot + 1)];
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
