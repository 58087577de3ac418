/** Builds a ServiceDefinition from a parsed definition document, resolving and parsing its templates. */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ServiceDefinition, TemplateEntry } from '../service/definition';
import { listItems, objectOrJson } from '../service/shapes';
import { isRecord, rootMap, type Path, type SourceDoc } from '../source/source-doc';
import type { FileCache } from './file-cache';

export const TEMPLATE_FILE = /\.(ya?ml|json)$/i;

/** `baseDir` is what template Urls are relative to; `folders` are searched for unreferenced templates. */
export function loadDefinition(
  doc: SourceDoc,
  baseDir: string,
  files: FileCache,
  folders: string[],
): ServiceDefinition {
  const root = rootMap(doc) ?? {};
  const service = isRecord(root.Service) ? root.Service : {};
  const deployMetadata = objectOrJson(service.DeployMetadata);
  const deployPath: Path = ['Service', 'DeployMetadata'];
  const supplierPath: Path = [...deployPath, 'SupplierDeployMetadata', 'SupplierTemplateConfigs'];
  const supplierConfigs = objectOrJson(deployMetadata.SupplierDeployMetadata).SupplierTemplateConfigs;
  const templates = entries(
    deployMetadata.TemplateConfigs,
    [...deployPath, 'TemplateConfigs'],
    false,
    baseDir,
    files,
  );
  const supplierTemplates = entries(supplierConfigs, supplierPath, true, baseDir, files);
  const referenced = [...templates, ...supplierTemplates].flatMap((t) => (t.file ? [dirname(t.file)] : []));
  const templateFolderFiles = templateFiles([...folders, ...referenced]).flatMap((path) => {
    const found = files.load(path);
    return found && found !== doc ? [{ path, doc: found }] : [];
  });
  return {
    doc,
    root,
    servicePath: ['Service'],
    service,
    deployMetadata,
    templates,
    supplierTemplates,
    templateFolderFiles,
  };
}

function entries(
  value: unknown,
  path: Path,
  supplier: boolean,
  baseDir: string,
  files: FileCache,
): TemplateEntry[] {
  return listItems(value, path).map(({ item, path: itemPath }) => {
    const url = typeof item.Url === 'string' ? item.Url : undefined;
    const file =
      url !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? resolve(baseDir, url) : undefined;
    const doc = file ? files.load(file) : undefined;
    const context = file ? files.template(file) : undefined;
    return {
      name: String(item.Name ?? ''),
      path: itemPath,
      config: item,
      url,
      file,
      exists: Boolean(doc),
      doc,
      context,
      supplier,
    };
  });
}

/** Template-like files directly inside the folders, absolute and without duplicates. */
function templateFiles(folders: string[]): string[] {
  const out = new Set<string>();
  for (const folder of new Set(folders)) {
    try {
      for (const name of readdirSync(folder).sort())
        if (TEMPLATE_FILE.test(name)) out.add(join(folder, name));
    } catch {
      continue;
    }
  }
  return [...out];
}
