/**
 * A parsed YAML or JSON file that keeps its syntax tree, so that any finding can point at the line and
 * column of the key or value it is about.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import { repairIndentation } from './indent-repair';
import { toPlain } from './to-plain';

export interface ParseProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * A place in a parsed document: keys and sequence indexes from the root (`['Resources', 'Db', 'Properties']`).
 * What rules report, `locate` turns into a line and column, and suppressions match.
 */
export type Path = (string | number)[];

export interface SourceDoc {
  /** Lines of quoted strings that needed re-indenting before a strict parser accepted them. */
  repairedLines: number[];
  /** The path shown in findings. */
  file: string;
  /** The text the tree was parsed from (see `repairedLines`). */
  text: string;
  tree: Document;
  lines: LineCounter;
  /** Plain data (short-form `!Ref`/`!Sub` tags expanded, YAML 1.1 dates kept as written); undefined when empty. */
  value: unknown;
  empty: boolean;
  problems: ParseProblem[];
}

/**
 * Parses `text`. YAML is read as YAML 1.1, the version ROS's own reader follows [I: ROS descends from
 * OpenStack Heat, whose reader is PyYAML], so `yes` is a Boolean; a date such as an unquoted
 * `2015-09-01` is normalised back to the text written. JSON is read as JSON.
 */
export function parseSource(file: string, text: string): SourceDoc {
  const isJson = /\.json$/i.test(file);
  let { tree, lines } = parse(text, isJson);
  let parsedText = text;
  let repairedLines: number[] = [];
  const repair =
    isJson || tree.errors.length === 0
      ? undefined
      : repairIndentation(text, (t) => unterminatedString(parse(t, false).tree));
  if (repair) {
    // Columns on re-indented lines shift by the spaces added; lines stay where they were.
    ({ tree, lines } = parse(repair.text, false));
    repairedLines = repair.lines;
    parsedText = repair.text;
  }
  const problems = tree.errors.map((error) => {
    const pos = lines.linePos(error.pos[0]);
    return { line: pos.line, column: pos.col, message: error.message.split('\n')[0] };
  });
  // YAML reads most broken JSON (a trailing comma, a comment, single quotes) without a complaint; JSON does not.
  const jsonProblem = isJson ? strictJson(text, lines) : undefined;
  if (jsonProblem) problems.splice(0, problems.length, jsonProblem);
  const empty = tree.contents === null;
  const value = empty ? undefined : toPlain(tree.contents, tree);
  return { file, text: parsedText, tree, lines, value, empty, problems, repairedLines };
}

/** Where JSON.parse refuses `text`, or undefined when it is valid JSON (or blank, which empty-document reports). */
function strictJson(text: string, lines: LineCounter): ParseProblem | undefined {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return undefined;
  try {
    JSON.parse(body);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    let offset = (at ? Number(at[1]) : body.trimEnd().length) + (text.length - body.length);
    let reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/, '');
    const comma = text.slice(0, offset).search(/,\s*$/);
    if (comma >= 0 && /^[}\]]/.test(text.slice(offset))) {
      reason = `trailing comma before "${text[offset]}"`;
      offset = comma;
    }
    const pos = lines.linePos(Math.min(offset, text.length));
    return { line: pos.line, column: pos.col, message: reason };
  }
}

function parse(text: string, isJson: boolean): { tree: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const tree = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    version: isJson ? '1.2' : '1.1',
  });
  return { tree, lines };
}

function unterminatedString(tree: Document): { offset: number; quote: string } | undefined {
  const error = tree.errors[0];
  const quote =
    error?.code === 'MISSING_CHAR' ? /Missing closing (["'])quote/.exec(error.message)?.[1] : undefined;
  return quote ? { offset: error.pos[0], quote } : undefined;
}

/** A parsed ROS template: a document without parse problems whose root is a mapping (`template`). */
export interface TemplateContext {
  doc: SourceDoc;
  template: Record<string, unknown>;
}

/** A parsed document whose root is a mapping, or undefined. */
export function rootMap(doc: SourceDoc): Record<string, unknown> | undefined {
  return isRecord(doc.value) ? doc.value : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
