import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { Report, TemplateRule } from '../model';
import { ROS_DOCS } from '../../../cdk/ros/vocabulary';
import type { SourceDoc } from '../source/source-doc';

/** The sections whose keys name entries, with what one entry is called in messages. */
const NAMED_SECTIONS: Record<string, string> = {
  Parameters: 'parameter',
  Resources: 'resource',
  Outputs: 'output',
  Conditions: 'condition',
  Mappings: 'mapping',
  Locals: 'local',
  Rules: 'rule',
  Metadata: 'metadata entry',
};

export const entryName: TemplateRule = {
  id: 'entry-name',
  scope: 'template',
  severity: 'error',
  short:
    'A section entry, or a parameter of a Metadata parameter group, has an empty, null or non-string name.',
  long:
    'YAML lets a key be empty (`: value`), null (`~`), a number (`1`) or, in YAML 1.1, a Boolean (`yes`); ROS ' +
    'refuses a parameter, resource, output, condition, mapping, local, rule or metadata entry without a string ' +
    'name, and the console cannot show a parameter group listing an empty or non-string parameter name. The ' +
    'finding points at the key.',
  docUrl: `${ROS_DOCS}/template-structure`,
  appliesTo: [
    ...Object.keys(NAMED_SECTIONS).map((s) => `${s}/*`),
    'Metadata/ALIYUN::Interface/ParameterGroups/*/Parameters/*',
  ],
  check({ doc }) {
    const root = doc.tree.contents;
    if (!isMap(root)) return [];
    const reports: Report[] = [];
    for (const pair of root.items) {
      const section = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (!section || !(section in NAMED_SECTIONS) || !isMap(pair.value)) continue;
      for (const entry of pair.value.items) {
        const problem = nameProblem(entry.key, true);
        if (problem) reports.push(at(doc, entry, `${NAMED_SECTIONS[section]} name ${problem}`));
      }
      if (section === 'Metadata') reports.push(...groupParameters(doc, pair.value));
    }
    return reports;
  },
};

/** Why `key` cannot name an entry, or undefined when it can. */
function nameProblem(key: unknown, isKey: boolean): string | undefined {
  const what = isKey ? 'key' : 'item';
  if (key === null || key === undefined) return `is missing: the ${what} is empty`;
  if (!isScalar(key)) return `must be a string, not a ${isSeq(key) ? 'list' : 'mapping'}`;
  const value = key.value;
  if (value === null)
    return key.source ? `must be a string, not null (${key.source})` : `is missing: the ${what} is empty`;
  if (typeof value === 'string') return value.trim() === '' ? 'is empty' : undefined;
  const written = key.source !== undefined && key.source !== String(value) ? ` (${key.source})` : '';
  const kind = typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'Boolean' : 'value';
  return `must be a string, not the ${kind} ${String(value instanceof Date ? key.source : value)}${written}`;
}

function groupParameters(doc: SourceDoc, metadata: import('yaml').YAMLMap): Report[] {
  const reports: Report[] = [];
  const groups = child(child(metadata, 'ALIYUN::Interface'), 'ParameterGroups');
  if (!isSeq(groups)) return reports;
  for (const group of groups.items) {
    const parameters = child(group, 'Parameters');
    if (!isSeq(parameters)) continue;
    for (const item of parameters.items) {
      const problem = nameProblem(item, false);
      if (problem) reports.push(at(doc, item, `parameter name in a parameter group ${problem}`, parameters));
    }
  }
  return reports;
}

function child(node: unknown, key: string): unknown {
  if (!isMap(node)) return undefined;
  return node.items.find((p) => isScalar(p.key) && p.key.value === key)?.value;
}

/** A report at a pair's key (its value when the key is empty), or at a node (its parent when it has no range). */
function at(doc: SourceDoc, target: Pair | unknown, message: string, parent?: unknown): Report {
  const pair = target as Pair;
  const node = (
    pair && typeof pair === 'object' && 'key' in pair && 'value' in pair ? (pair.key ?? pair.value) : target
  ) as Node | null;
  let offset = node?.range?.[0] ?? (parent as Node | undefined)?.range?.[0] ?? 0;
  // An empty key starts at the beginning of its line; point at its colon instead.
  if (isScalar(node) && node.value === null && node.source === '')
    offset += /^[ \t]*/.exec(doc.text.slice(offset))![0].length;
  const pos = doc.lines.linePos(offset);
  return { where: { file: doc.file, line: pos.line, column: pos.col }, message };
}
