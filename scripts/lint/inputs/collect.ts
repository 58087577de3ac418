/**
 * Turns the paths given on the command line into what the rules read: every parsed file, every template
 * (once, however many definitions name it) and every service definition.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EXIT, UserError } from '../../errors';
import type { TemplateContext } from '../model';
import type { ServiceDefinition } from '../service/definition';
import { rootMap, type SourceDoc } from '../source/source-doc';
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
  for (const given of paths.length > 0 ? paths : ['.']) {
    const target = resolve(cwd, given);
    if (!existsSync(target))
      throw new UserError('LintPathNotFound', 'no such file or directory', given, EXIT.usage);
    if (statSync(target).isDirectory()) definitions.push(fromFolder(target, given, files, extraFiles));
    else definitions.push(...fromFile(target, files, extraTemplates));
  }
  return assemble(files, definitions, extraTemplates, extraFiles);
}

function fromFolder(
  folder: string,
  given: string,
  files: FileCache,
  extraFiles: string[],
): ServiceDefinition {
  for (const config of [join(folder, '.computenest', 'config.yaml'), join(folder, 'config.yaml')]) {
    if (existsSync(config)) return fromProject(config, files, extraFiles);
  }
  if (existsSync(join(folder, 'service-config', 'service.yaml'))) return fromRepository(folder, files);
  throw new UserError(
    'LintNothingToLint',
    'found no .computenest/config.yaml, config.yaml or service-config/service.yaml here; name a template file to lint one',
    given,
    EXIT.usage,
  );
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
  return { ...definition, description: loadDescription(join(root, 'service-config', 'service.yaml'), files) };
}

/** A single file: a service definition when it has a Service section, else a template. */
function fromFile(file: string, files: FileCache, extraTemplates: string[]): ServiceDefinition[] {
  const doc = files.load(file)!;
  const root = rootMap(doc);
  if (root && 'Service' in root) {
    const folders = basename(file) === 'config.yaml' ? [join(dirname(file), 'ros_templates')] : [];
    return [loadDefinition(doc, dirname(file), files, folders)];
  }
  if (basename(file) === 'service.yaml' && basename(dirname(file)) === 'service-config') {
    return [fromRepository(dirname(dirname(file)), files)];
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
