/**
 * Findings as a SARIF 2.1.0 log, the format GitHub code scanning uploads (github/codeql-action/upload-sarif):
 * one run whose driver lists every rule with its descriptions, help link and default level, and one result
 * per finding with the file relative to the repository root. Suppressed findings are included with their
 * suppression (kind, justification), as SARIF records accepted risks; code scanning shows them as dismissed.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, RuleMeta } from '../model';
import type { SuppressedFinding } from '../suppress';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  rules: readonly RuleMeta[];
  version: string;
  informationUri: string;
  /** What finding paths are relative to. */
  cwd: string;
  /** Artifact URIs are relative to this folder (the repository root); default: the nearest folder with .git. */
  root?: string;
}

export function toSarif(findings: Finding[], suppressed: SuppressedFinding[], options: SarifOptions): object {
  const root = options.root ?? repositoryRoot(options.cwd);
  const rules = [...options.rules];
  const used = new Set([...findings, ...suppressed.map((s) => s.finding)].map((f) => f.rule));
  for (const id of used) {
    if (!rules.some((r) => r.id === id)) rules.push(internalRule(id));
  }
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const result = (f: Finding, suppression?: SuppressedFinding['suppression']): object => ({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule),
    level: f.severity,
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifact(f.file, options.cwd, root),
          region: { startLine: f.line, startColumn: f.column },
        },
      },
    ],
    ...(suppression
      ? {
          suppressions: [
            {
              kind: suppression.source === 'template' ? 'inSource' : 'external',
              status: 'accepted',
              justification: `${suppression.reason} (until ${suppression.expires}; ${suppression.file}:${suppression.line})`,
            },
          ],
        }
      : {}),
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'nestkit-lint',
            version: options.version,
            informationUri: options.informationUri,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.short },
              fullDescription: { text: r.long },
              helpUri: r.docUrl,
              help: { text: `${r.long} See ${r.docUrl}` },
              defaultConfiguration: { level: r.severity },
              properties: { appliesTo: r.appliesTo },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(`${root}${sep}`).href } },
        results: [
          ...findings.map((f) => result(f)),
          ...suppressed.map((s) => result(s.finding, s.suppression)),
        ],
      },
    ],
  };
}

function artifact(file: string, cwd: string, root: string): object {
  const absolute = isAbsolute(file) ? file : resolve(cwd, file);
  const rel = relative(root, absolute);
  if (rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(absolute).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
}

/** The nearest folder at or above `cwd` holding `.git`; `cwd` itself when there is none. */
export function repositoryRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

function internalRule(id: string): RuleMeta {
  return {
    id,
    severity: 'error',
    short: 'A rule failed internally; the file was not fully checked.',
    long: 'A rule threw while checking a file. This is a bug in nestkit lint; please report it with the file.',
    docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/template-structure',
    appliesTo: ['*'],
  };
}
