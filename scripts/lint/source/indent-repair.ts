/**
 * Repairs one thing strict YAML parsers reject and PyYAML (which computenest-cli and ROS read with [I: both
 * are Python]) accepts: a multi-line quoted string whose continuation lines are not indented past the key
 * that holds it. Leading spaces of continuation lines are folded away, so indenting them changes no value.
 */

export interface Repair {
  text: string;
  /** 1-based line of each string that was re-indented. */
  lines: number[];
}

const MAX_REPAIRS = 20;

/**
 * `failAt` returns the offset and quote character of the first unterminated quoted string in a text, or
 * undefined; the text is repaired string by string until it parses or nothing more can be repaired.
 */
export function repairIndentation(
  text: string,
  failAt: (text: string) => { offset: number; quote: string } | undefined,
): Repair | undefined {
  let current = text;
  const lines: number[] = [];
  for (let i = 0; i < MAX_REPAIRS; i++) {
    const failure = failAt(current);
    if (!failure) return lines.length > 0 ? { text: current, lines } : undefined;
    const repaired = reindentString(current, failure.offset, failure.quote);
    if (repaired === undefined) return undefined;
    lines.push(lineOf(current, failure.offset));
    current = repaired;
  }
  return undefined;
}

function reindentString(text: string, offset: number, quote: string): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const line = text.slice(
    lineStart,
    text.indexOf('\n', lineStart) < 0 ? undefined : text.indexOf('\n', lineStart),
  );
  const open = line.search(new RegExp(`(^|:\\s+|-\\s+)${quote}`));
  if (open < 0) return undefined;
  const keyIndent = line.length - line.trimStart().length;
  const start = lineStart + line.indexOf(quote, open);
  const end = closingQuote(text, start, quote);
  if (end < 0) return undefined;
  const body = text
    .slice(start, end)
    .replace(/\n([ \t]*)(?=\S)/g, (match, indent: string) =>
      indent.length > keyIndent ? match : `\n${' '.repeat(keyIndent + 1)}`,
    );
  return text.slice(0, start) + body + text.slice(end);
}

/** Offset of the quote that closes the string opened at `start`, or -1. */
function closingQuote(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote && quote === "'" && text[i + 1] === "'") i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}
