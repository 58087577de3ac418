import { readFileSync } from 'node:fs';
import { resolve, relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ServiceConfigError, type ConfigIssue } from './errors';
import { DEFAULT_MANAGED, DEFAULT_MODULE_SETTINGS, type ModuleSpec, type ServiceModel } from './model';
import { formatFieldPath, locate } from './positions';
import { semanticProblems } from './semantic-checks';
import { validateAgainstSchema, type SchemaProblem } from './validate-schema';

/** Where the service description lives, relative to the project root. */
export const DEFAULT_SERVICE_CONFIG = 'service-config/service.yaml';

/** Reads, validates and normalizes a service description; throws `ServiceConfigError` with every issue. */
export function loadServiceConfig(file: string = DEFAULT_SERVICE_CONFIG): ServiceModel {
  const shown = displayPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new ServiceConfigError([{ file: shown, line: 1, column: 1, field: '', message: reason }]);
  }
  return parseServiceConfig(text, shown);
}

/** Parses the text of a service description; `file` only names it in errors. */
export function parseServiceConfig(text: string, file: string): ServiceModel {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ServiceConfigError(
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return {
          file,
          line: pos.line,
          column: pos.col,
          field: '',
          message: `invalid YAML: ${firstLine(e.message)}`,
        };
      }),
    );
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    throw new ServiceConfigError([{ file, line: 1, column: 1, field: '', message: 'the file is empty' }]);
  }
  const toIssue = (p: SchemaProblem): ConfigIssue => ({
    file,
    ...locate(doc, lines, p.path, p.atKey),
    field: formatFieldPath(p.path),
    message: p.message,
  });
  const schemaProblems = validateAgainstSchema(data);
  if (schemaProblems.length > 0) throw new ServiceConfigError(schemaProblems.map(toIssue));
  const model = normalize(data as ServiceModel);
  const problems = semanticProblems(model);
  if (problems.length > 0) throw new ServiceConfigError(problems.map(toIssue));
  return model;
}

function normalize(raw: ServiceModel): ServiceModel {
  const modules = (raw.modules ?? []).map((m): ModuleSpec => ({
    ...m,
    settings: { ...DEFAULT_MODULE_SETTINGS[m.name], ...(m.settings ?? {}) },
  }));
  const editions = raw.editions.map((e) => ({
    ...e,
    includedModules: e.includedModules ?? [],
    bundles: e.bundles ?? [],
  }));
  const given = raw.service.managed;
  const managed =
    raw.service.type === 'managed'
      ? {
          ...DEFAULT_MANAGED,
          ...given,
          sharedNetworks: given?.sharedNetworks ?? {},
          billing: { ...DEFAULT_MANAGED.billing, ...given?.billing },
        }
      : undefined;
  const application = {
    ...raw.service.application,
    installCommand: raw.service.application.installCommand ?? '',
  };
  const service = { ...raw.service, application, upgradeFrom: raw.service.upgradeFrom ?? [] };
  if (managed) service.managed = managed;
  else delete service.managed;
  const artifacts = (raw.artifacts ?? []).map((a) => ({
    ...a,
    regions: a.regions ?? raw.service.allowedRegions,
  }));
  return { ...raw, service, editions, modules, artifacts };
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel.startsWith('..') ? resolve(file) : rel;
}

/** Line and column of a field in a service description file, for errors found after loading. */
export function locateField(file: string, path: (string | number)[]): { line: number; column: number } {
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines });
  return locate(doc, lines, path);
}
