import { locate } from '../../../scripts/lint/source/locate';
import { parseSource } from '../../../scripts/lint/source/source-doc';

describe('parseSource', () => {
  it('keeps an unquoted YAML 1.1 date as the text written', () => {
    const doc = parseSource('t.yaml', 'ROSTemplateFormatVersion: 2015-09-01\n');
    expect(doc.value).toEqual({ ROSTemplateFormatVersion: '2015-09-01' });
  });

  it('reads YAML as 1.1 the way ROS does: yes is a Boolean', () => {
    expect(parseSource('t.yaml', 'a: yes\n').value).toEqual({ a: true });
  });

  it('expands short-form function tags to their long form', () => {
    const doc = parseSource('t.yaml', 'a: !Ref X\nb: !GetAtt R.Attr\nc: !If [C, !Ref Y, z]\n');
    expect(doc.value).toEqual({
      a: { Ref: 'X' },
      b: { 'Fn::GetAtt': ['R', 'Attr'] },
      c: { 'Fn::If': ['C', { Ref: 'Y' }, 'z'] },
    });
  });

  it('locates keys and values of JSON files by line and column', () => {
    const doc = parseSource('t.json', '{\n  "Parameters": {\n    "A": {"Type": "String"}\n  }\n}\n');
    expect(locate(doc, ['Parameters', 'A'], true)).toEqual({ line: 3, column: 5 });
    expect(locate(doc, ['Parameters', 'A', 'Type'])).toEqual({ line: 3, column: 19 });
  });

  it('locates through a short-form tag and stops at the deepest existing node of a missing path', () => {
    const doc = parseSource('t.yaml', 'Outputs:\n  Url:\n    Value: !Sub http://x\n');
    expect(locate(doc, ['Outputs', 'Url', 'Value', 'Fn::Sub'])).toEqual({ line: 3, column: 17 });
    expect(locate(doc, ['Outputs', 'Missing', 'Value'])).toEqual({ line: 2, column: 3 });
  });

  it('marks a comment-only file empty and reports parse problems with positions', () => {
    expect(parseSource('t.yaml', '# nothing\n').empty).toBe(true);
    const broken = parseSource('t.yaml', 'a:\n  - [1, 2\nb: 3\n');
    expect(broken.problems[0]).toMatchObject({ line: 3, column: 1 });
  });

  it('re-indents a quoted string continued at its key, as PyYAML reads it, and says where', () => {
    const doc = parseSource('t.yaml', 'a:\n  b: "one\n  two"\n  c: 1\n');
    expect(doc.problems).toEqual([]);
    expect(doc.value).toEqual({ a: { b: 'one two', c: 1 } });
    expect(doc.repairedLines).toEqual([2]);
  });
});
