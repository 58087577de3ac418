/**
 * The linter's data: findings, rules and the documents rules read. Rules are pure functions from a
 * parsed document (and, for service definitions, the templates it names) to reports; the engine turns
 * reports into located findings.
 */
import type { ServiceDefinition } from './service/definition';
import type { Path, SourceDoc, TemplateContext } from './source/source-doc';

export type Severity = 'error' | 'warning';

/** One problem, as printed and as `--format json` emits it. Lines and columns are 1-based. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  rule: string;
  message: string;
  /**
   * The document path the finding is about (`Resources/Db/Properties/VPCId`), when a rule named one; what
   * suppressions in a template's metadata match. Not printed.
   */
  path?: string;
}

/** Where a report points: a node of a parsed document (its key with `key`), or a known position. */
export type Where =
  { doc: SourceDoc; path: Path; key?: boolean } | { file: string; line: number; column: number };

export interface Report {
  where: Where;
  message: string;
}

export interface RuleMeta {
  /** Stable id used by `--rule` / `--ignore` and printed with each finding. */
  id: string;
  short: string;
  long: string;
  /** The documentation the rule rests on. */
  docUrl: string;
  severity: Severity;
  /** The document paths the rule reads, e.g. `Resources/*\/DependsOn` or `Service/DeployMetadata/...`. */
  appliesTo: string[];
}

/** Rules over any parsed file (parse errors, empty documents). */
export interface FileRule extends RuleMeta {
  scope: 'file';
  check(doc: SourceDoc): Report[];
}

/** Rules over one ROS template. */
export interface TemplateRule extends RuleMeta {
  scope: 'template';
  check(context: TemplateContext): Report[];
}

/** Rules over a service definition (a computenest-cli config or ours) and the templates it names. */
export interface ServiceRule extends RuleMeta {
  scope: 'service';
  check(definition: ServiceDefinition): Report[];
}

export type Rule = FileRule | TemplateRule | ServiceRule;
