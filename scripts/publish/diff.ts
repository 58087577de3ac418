import type { CommodityInput } from '../cloud';
import type { DesiredService } from './desired';
import { jsonDiff, type DiffLine } from './json-diff';
import { remoteMappings } from './plan';
import type { Baseline } from './remote';

/** What `--dry-run` shows: the DeployMetadata and SKU mappings that would change, against one remote version. */
export interface PublishDiff {
  /** The remote version compared with; undefined for a new service (everything is added). */
  against?: string;
  deployMetadata: DiffLine[];
  mappings: DiffLine[];
}

export function publishDiff(desired: DesiredService, baseline: Baseline | undefined): PublishDiff {
  return {
    against: baseline?.version,
    deployMetadata: jsonDiff(
      withFileUrls(baseline?.deployMetadata ?? {}),
      withFileUrls(desired.definition.Service.DeployMetadata),
    ),
    mappings: jsonDiff(
      keyedMappings(baseline ? remoteMappings(baseline.commodity) : {}),
      keyedMappings(desired.definition.Commodity),
    ),
  };
}

/**
 * Template Urls compared by file name: the remote holds `oss://bucket/…/standard.template.json?RegionId=…`
 * for what is `standard.template.json` here, and every upload gets a new key.
 */
function withFileUrls(metadata: unknown): unknown {
  const m = metadata as {
    TemplateConfigs?: { Url?: unknown }[];
    SupplierDeployMetadata?: { SupplierTemplateConfigs?: { Url?: unknown }[] };
  };
  if (!m || typeof m !== 'object' || !Array.isArray(m.TemplateConfigs)) return metadata;
  const byFile = (c: { Url?: unknown }) => ('Url' in c ? { ...c, Url: fileOf(c.Url) } : c);
  const supplier = m.SupplierDeployMetadata;
  return {
    ...m,
    TemplateConfigs: m.TemplateConfigs.map(byFile),
    ...(supplier && Array.isArray(supplier.SupplierTemplateConfigs)
      ? {
          SupplierDeployMetadata: {
            ...supplier,
            SupplierTemplateConfigs: supplier.SupplierTemplateConfigs.map(byFile),
          },
        }
      : {}),
  };
}

export function fileOf(url: unknown): unknown {
  if (typeof url !== 'string') return url;
  const path = url.replace(/\?.*$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Keyed by SKU code, so a reordering is no change and a diff line names the SKU. Only what GetService
 * returns for the Marketplace (MarketplaceMetadata.SpecificationMappings) is compared.
 */
function keyedMappings(commodity: CommodityInput) {
  return {
    SpecificationMappings: Object.fromEntries(
      (commodity.SpecificationMappings ?? []).map((m) => [
        m.SpecificationCode ?? '',
        { TemplateName: m.TemplateName, SpecificationName: m.SpecificationName },
      ]),
    ),
  };
}
