/** Reads and parses each file once, however many definitions name it. */
import { readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseSource, rootMap, type SourceDoc, type TemplateContext } from '../source/source-doc';

export class FileCache {
  private readonly docs = new Map<string, SourceDoc | undefined>();
  private readonly contexts = new Map<SourceDoc, TemplateContext | undefined>();

  constructor(private readonly cwd: string) {}

  /** The parsed file, or undefined when it does not exist or is not a regular file. */
  load(file: string): SourceDoc | undefined {
    const absolute = resolve(this.cwd, file);
    if (!this.docs.has(absolute)) this.docs.set(absolute, this.read(absolute));
    return this.docs.get(absolute);
  }

  /**
   * The file as a template, when it parses to a mapping without errors. What a parser salvages from a broken
   * file is not linted: one indentation slip would otherwise come back as a dozen findings of other rules.
   */
  template(file: string): TemplateContext | undefined {
    const doc = this.load(file);
    if (!doc) return undefined;
    if (!this.contexts.has(doc)) {
      const template = doc.problems.length === 0 ? rootMap(doc) : undefined;
      this.contexts.set(doc, template && { doc, template });
    }
    return this.contexts.get(doc);
  }

  /** The path shown in findings: relative to the working directory when inside it. */
  display(absolute: string): string {
    const rel = relative(this.cwd, absolute);
    return rel === '' || rel.startsWith('..') ? absolute : rel;
  }

  private read(absolute: string): SourceDoc | undefined {
    try {
      if (!statSync(absolute).isFile()) return undefined;
      return parseSource(this.display(absolute), readFileSync(absolute, 'utf8'));
    } catch {
      return undefined;
    }
  }
}
