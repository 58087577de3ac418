import { synthesizeService } from '../../../cdk/service-app';
import { desiredService } from '../../../scripts/publish/desired';
import { fileOf, publishDiff } from '../../../scripts/publish/diff';
import { sampleModel } from '../../support/model';

const desired = desiredService(sampleModel(), synthesizeService(sampleModel()));

/** The remote as GetService reports the desired content back after an upload. */
function remoteOf(d = desired) {
  const metadata = JSON.parse(JSON.stringify(d.definition.Service.DeployMetadata));
  metadata.SupplierDeployMetadata.SupplierTemplateConfigs[0].Url =
    'oss://bucket/1000/abc/standard.template.json?RegionId=cn-hangzhou';
  return {
    version: '2',
    status: 'Online',
    deployMetadata: metadata,
    commodity: {
      MarketplaceMetadata: {
        SpecificationMappings: [...d.definition.Commodity.SpecificationMappings].reverse(),
      },
      // Another sales channel's binding: never compared.
      CssMetadata: { ComponentsMappings: [{ TemplateName: 'Standard', Mappings: { X: 'Y' } }] },
    },
  };
}

describe('dry-run diff', () => {
  it('finds no change when the remote holds the same content under an uploaded Url, in any SKU order', () => {
    expect(publishDiff(desired, remoteOf())).toEqual({ against: '2', deployMetadata: [], mappings: [] });
  });

  it('names the changed plan parameter and the remapped SKU', () => {
    const remote = remoteOf();
    remote.deployMetadata.SupplierDeployMetadata.SupplierTemplateConfigs[0].PredefinedParameters[0].Parameters.NodeCount = 5;
    remote.commodity.MarketplaceMetadata.SpecificationMappings =
      remote.commodity.MarketplaceMetadata.SpecificationMappings.map((m) =>
        m.SpecificationCode === 'yuncode5012300001' ? { ...m, SpecificationName: 'premium' } : m,
      );
    const diff = publishDiff(desired, remote);
    expect(diff.deployMetadata).toEqual([
      {
        path: 'SupplierDeployMetadata.SupplierTemplateConfigs[0].PredefinedParameters[0].Parameters.NodeCount',
        kind: '~',
        before: 5,
        after: 1,
      },
    ]);
    expect(diff.mappings).toEqual([
      {
        path: 'SpecificationMappings.yuncode5012300001.SpecificationName',
        kind: '~',
        before: 'premium',
        after: 'basic',
      },
    ]);
  });

  it('shows everything as added for a new service', () => {
    const diff = publishDiff(desired, undefined);
    expect(diff.against).toBeUndefined();
    expect(diff.deployMetadata.every((l) => l.kind === '+')).toBe(true);
    expect(diff.mappings.map((l) => `${l.kind} ${l.path}`)).toEqual([
      '+ SpecificationMappings.yuncode5012300001',
      '+ SpecificationMappings.yuncode5012300002',
      '+ SpecificationMappings.yuncode5012300003',
    ]);
  });

  it('compares template Urls by file name', () => {
    expect(fileOf('oss://b/1/k/standard.template.json?RegionId=cn-hangzhou')).toBe('standard.template.json');
    expect(fileOf('standard.template.json')).toBe('standard.template.json');
  });
});
