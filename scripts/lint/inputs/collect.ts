/**
 * Turns the paths given on the command line into what the rules read: every parsed file, every template
 * (once, however many definitions name it) and every service definition.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { EXIT, UserError } from '../../errors';
import type { ServiceDefinition } from '../service/definition';
import { rootMap, type SourceDoc, type TemplateContext } from '../source/source-doc';
import { FileCache } from './file-cache';
import { loadDefinition, TEMPLATE_FILE } from './load-definition';
import { loadDescription } from './load-description';

export interface LintInputs {
  files: SourceDoc[];
  templates: TemplateContext[];
  definitions: ServiceDefinition[];
}

export function collectInputs(paths: string[], cwd: string): LintInputs {
  const files = new FileCache(cwd);
  const definitions: ServiceDefinition[] = [];
  const extraTemplates: string[] = [];
  const extraFiles: string[] = [];
  const seen = new Set<string>();
  for (const given of paths.length > 0 ? paths : ['.']) {
    const target = resolve(cwd, given);
    if (!existsSync(target) && picomatch.scan(given).isGlob) {
      const matches = expandGlob(given, cwd);
      if (matches.length === 0)
        throw new UserError(
          'LintPathNotFound',
          'no file or directory matches this pattern',
          given,
          EXIT.usage,
        );
      for (const match of matches) {
        if (statSync(match).isDirectory())
          definitions.push(...fromFolder(match, given, files, { extraFiles, extraTemplates }, seen));
        else if (lintable(match, files)) definitions.push(...fromFile(match, files, extraTemplates, seen));
      }
      continue;
    }
    if (!existsSync(target))
      throw new UserError('LintPathNotFound', 'no such file or directory', given, EXIT.usage);
    if (statSync(target).isDirectory())
      definitions.push(...fromFolder(target, given, files, { extraFiles, extraTemplates }, seen));
    else definitions.push(...fromFile(target, files, extraTemplates, seen));
  }
  return assemble(files, definitions, extraTemplates, extraFiles);
}

/** Folders never searched: dependencies, build output and version control. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'dist', 'cdk.out', 'coverage']);

/**
 * A project or this repository; any other folder is searched for projects and for the files that are templates,
 * service definitions or computenest-cli parameter files (READMEs, TSVs, compose files ... are skipped).
 */
function fromFolder(
  folder: string,
  given: string,
  files: FileCache,
  { extraFiles, extraTemplates }: { extraFiles: string[]; extraTemplates: string[] },
  seen: Set<string>,
): ServiceDefinition[] {
  const own = projectOf(folder, files);
  if (own) return once(own.config, seen) ? [own.load(extraFiles)] : [];
  const definitions: ServiceDefinition[] = [];
  const loose: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 12) return;
    const project = depth > 0 ? projectOf(dir, files) : undefined;
    if (project) {
      if (once(project.config, seen)) definitions.push(project.load(extraFiles));
      return;
    }
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) walk(path, depth + 1);
      else if (entry.isFile() && lintable(path, files)) loose.push(path);
    }
  };
  walk(folder, 0);
  for (const file of loose) {
    if (PARAMETER_FILE.test(basename(file))) extraFiles.push(file);
    else definitions.push(...fromFile(file, files, extraTemplates, seen));
  }
  if (definitions.length === 0 && loose.length === 0) {
    throw new UserError(
      'LintNothingToLint',
      'found no .computenest/config.yaml, config.yaml, service-config/service.yaml or ROS template here or below',
      given,
      EXIT.usage,
    );
  }
  return definitions;
}

/** The project whose root is `folder`: a computenest-cli config, or this repository's layout. */
function projectOf(
  folder: string,
  files: FileCache,
): { config: string; load: (extraFiles: string[]) => ServiceDefinition } | undefined {
  const cli = join(folder, '.computenest', 'config.yaml');
  if (existsSync(cli)) return { config: cli, load: (extra) => fromProject(cli, files, extra) };
  const bare = join(folder, 'config.yaml');
  if (existsSync(bare) && isDefinition(bare, files))
    return { config: bare, load: (extra) => fromProject(bare, files, extra) };
  const description = join(folder, 'service-config', 'service.yaml');
  if (existsSync(description)) return { config: description, load: () => fromRepository(folder, files) };
  return undefined;
}

function isDefinition(file: string, files: FileCache): boolean {
  const doc = files.load(file);
  const root = doc && rootMap(doc);
  return Boolean(root && 'Service' in root) || Boolean(doc && doc.problems.length > 0);
}

function once(key: string, seen: Set<string>): boolean {
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/** computenest-cli's parameter file, and names ROS parameter files commonly take. */
const PARAMETER_FILE = /^(\.computenest_parameters|.*[._-]parameters?)\.(ya?ml|json)$/i;
const TEMPLATE_TYPE = /^(ALIYUN|DATASOURCE|MODULE)::/;

/**
 * Whether a file found by searching a folder or matching a pattern is something the linter reads: a ROS
 * template, a service definition or a parameter file. A file that does not parse counts when its text names a
 * template or definition section, so that its parse error is reported rather than the file skipped.
 */
export function lintable(file: string, files: FileCache): boolean {
  if (!TEMPLATE_FILE.test(file)) return false;
  if (PARAMETER_FILE.test(basename(file))) return true;
  const doc = files.load(file);
  if (!doc || doc.empty) return false;
  if (doc.problems.length > 0)
    return /^[ \t{]*["']?(ROSTemplateFormatVersion|Resources|Service)["']?[ \t]*:/m.test(doc.text);
  const root = rootMap(doc);
  if (!root) return false;
  if ('ROSTemplateFormatVersion' in root || 'Service' in root) return true;
  const resources = root.Resources;
  return (
    typeof resources === 'object' &&
    resources !== null &&
    Object.values(resources).some(
      (r) =>
        typeof r === 'object' && r !== null && TEMPLATE_TYPE.test(String((r as { Type?: unknown }).Type)),
    )
  );
}

/** Files and folders matching a glob pattern (relative to `cwd` unless absolute), sorted. */
function expandGlob(pattern: string, cwd: string): string[] {
  const absolute = resolve(cwd, pattern);
  const { base } = picomatch.scan(absolute);
  const root = base === '' ? sep : base;
  const matches = picomatch(absolute.split(sep).join('/'), { dot: true });
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 16) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (matches(path.split(sep).join('/'))) out.push(path);
      else if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) walk(path, depth + 1);
    }
  };
  if (existsSync(root)) walk(root, 0);
  return out.sort((a, b) => relative(cwd, a).localeCompare(relative(cwd, b)));
}

/** A computenest-cli project: its config, the templates it names, and its other top-level files. */
function fromProject(config: string, files: FileCache, extraFiles: string[]): ServiceDefinition {
  const folder = dirname(config);
  for (const name of readdirSync(folder).sort()) {
    if (TEMPLATE_FILE.test(name) && join(folder, name) !== config) extraFiles.push(join(folder, name));
  }
  return loadDefinition(files.load(config)!, folder, files, [join(folder, 'ros_templates')]);
}

/** This repository: the service description and the synthesized definition beside the templates. */
function fromRepository(root: string, files: FileCache): ServiceDefinition {
  const definitionFile = join(root, 'templates', 'service-definition.json');
  const doc = files.load(definitionFile);
  if (!doc) {
    const shown = files.display(definitionFile);
    throw new UserError('LintNoSynthOutput', 'not found; run `nestkit synth` first', shown, EXIT.usage);
  }
  const definition = loadDefinition(doc, dirname(definitionFile), files, [dirname(definitionFile)]);
  return {
    ...definition,
    description: loadDescription(join(root, 'service-config', 'service.yaml'), files),
    testCases: testCaseFiles(join(dirname(definitionFile), 'service-tests')).flatMap((file) => {
      const found = files.load(file);
      return found ? [found] : [];
    }),
  };
}

/** The service test case files synth writes (`templates/service-tests/*.yaml`), sorted. */
function testCaseFiles(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => /\.ya?ml$/i.test(name))
      .sort()
      .map((name) => join(folder, name));
  } catch {
    return [];
  }
}

/** A single file: a service definition when it has a Service section, else a template. */
function fromFile(
  file: string,
  files: FileCache,
  extraTemplates: string[],
  seen: Set<string>,
): ServiceDefinition[] {
  const doc = files.load(file)!;
  const root = rootMap(doc);
  if (root && 'Service' in root) {
    if (!once(file, seen)) return [];
    const folders = basename(file) === 'config.yaml' ? [join(dirname(file), 'ros_templates')] : [];
    return [loadDefinition(doc, dirname(file), files, folders)];
  }
  if (basename(file) === 'service.yaml' && basename(dirname(file)) === 'service-config') {
    return once(file, seen) ? [fromRepository(dirname(dirname(file)), files)] : [];
  }
  extraTemplates.push(file);
  return [];
}

function assemble(
  files: FileCache,
  definitions: ServiceDefinition[],
  templatePaths: string[],
  otherPaths: string[],
): LintInputs {
  const templates = new Set<TemplateContext>();
  const docs = new Set<SourceDoc>();
  const addTemplate = (file: string): void => {
    const doc = files.load(file);
    if (doc) docs.add(doc);
    const context = files.template(file);
    if (context && !('Service' in context.template)) templates.add(context);
  };
  for (const definition of definitions) {
    docs.add(definition.doc);
    if (definition.description) docs.add(definition.description.doc);
    definition.testCases?.forEach((doc) => docs.add(doc));
    for (const entry of [...definition.templates, ...definition.supplierTemplates])
      if (entry.file) addTemplate(entry.file);
    definition.templateFolderFiles.forEach((f) => addTemplate(f.path));
  }
  templatePaths.forEach(addTemplate);
  for (const file of otherPaths) {
    const doc = files.load(file);
    if (doc) docs.add(doc);
  }
  return { files: [...docs], templates: [...templates], definitions };
}
