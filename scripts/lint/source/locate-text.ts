/** The position of a character inside a string value, for findings about part of a long script. */
import { isScalar, Scalar } from 'yaml';
import type { Where } from '../model';
import { locate, nodeAt } from './locate';
import type { Path, SourceDoc } from './source-doc';

/**
 * Points at character `offset` of the string at `path`. Exact for literal block scalars (`|`), the form
 * scripts are written in; any other form points at the start of the value.
 */
export function locateInText(doc: SourceDoc, path: Path, offset: number, text: string): Where {
  const start = locate(doc, path);
  const node = nodeAt(doc, path);
  if (!isScalar(node) || node.type !== Scalar.BLOCK_LITERAL || !node.range)
    return { file: doc.file, ...start };
  const before = text.slice(0, offset).split('\n');
  const bodyStart = doc.text.indexOf('\n', node.range[0]) + 1;
  const firstLine = doc.text.slice(bodyStart, doc.text.indexOf('\n', bodyStart));
  const indent = firstLine.length - firstLine.trimStart().length;
  const lineNumber = doc.lines.linePos(bodyStart).line + before.length - 1;
  return { file: doc.file, line: lineNumber, column: indent + before[before.length - 1].length + 1 };
}
