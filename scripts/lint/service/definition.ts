/**
 * A Compute Nest service definition as the rules read it: the `Service` section of a computenest-cli
 * `config.yaml` or of our `templates/service-definition.json`, with the templates it names already
 * resolved and parsed by the loader.
 */
import type { Edition, ModuleSpec } from '../../../service-config/model';
import type { Path, SourceDoc, TemplateContext } from '../source/source-doc';

export interface TemplateEntry {
  /** `Name`: the TemplateName every other part of the definition refers to. */
  name: string;
  /** Path of the entry in the definition document. */
  path: Path;
  /** The entry itself (Name, Url, PredefinedParameters, OutputConfigs, ...). */
  config: Record<string, unknown>;
  url?: string;
  /** The local file the Url names, when it names one. */
  file?: string;
  exists: boolean;
  /** The parsed file, whatever it holds. */
  doc?: SourceDoc;
  /** The parsed template, when the file exists and holds a mapping. */
  context?: TemplateContext;
  /** From SupplierDeployMetadata.SupplierTemplateConfigs (run in the provider's account). */
  supplier: boolean;
}

/** What `service.yaml` says about editions and modules (linting this repository only). */
export interface ServiceDescription {
  doc: SourceDoc;
  templateName: string;
  editions: Edition[];
  modules: ModuleSpec[];
  /** Problems the service-config loader reported; editions and modules are empty when there are any. */
  issues: { line: number; column: number; message: string }[];
}

export interface ServiceDefinition {
  doc: SourceDoc;
  root: Record<string, unknown>;
  /** Path of the Service section (`['Service']`). */
  servicePath: Path;
  service: Record<string, unknown>;
  /** DeployMetadata as an object (computenest-cli also accepts it as a JSON string). */
  deployMetadata: Record<string, unknown>;
  templates: TemplateEntry[];
  supplierTemplates: TemplateEntry[];
  /** Template-like files found beside the referenced ones (ros_templates/, templates/), absolute. */
  templateFolderFiles: { path: string; doc: SourceDoc }[];
  description?: ServiceDescription;
  /** The service test cases synth writes beside the definition (`service-tests/*.yaml`), parsed. */
  testCases?: SourceDoc[];
}

/** The template a TemplateName refers to, preferring one whose file could be read. */
export function templateNamed(definition: ServiceDefinition, name: unknown): TemplateEntry | undefined {
  const all = [...definition.templates, ...definition.supplierTemplates].filter((t) => t.name === name);
  return all.find((t) => t.context) ?? all[0];
}

/** Names other parts of the definition may use as TemplateName. */
export function templateNames(definition: ServiceDefinition): string[] {
  const names = definition.templates.map((t) => t.name);
  return names.length > 0 ? names : definition.supplierTemplates.map((t) => t.name);
}

/** Paths in the definition document, below the Service section. */
export function servicePath(definition: ServiceDefinition, ...rest: Path): Path {
  return [...definition.servicePath, ...rest];
}
