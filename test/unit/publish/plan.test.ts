import { synthesizeService } from '../../../cdk/service-app';
import { contentHash, desiredService, type DesiredService } from '../../../scripts/publish/desired';
import { formatDiff, jsonDiff } from '../../../scripts/publish/json-diff';
import { planPublish, PublishConflict, type RemoteState } from '../../../scripts/publish/plan';
import { sampleModel } from '../../support/model';

function desired(change?: (model: ReturnType<typeof sampleModel>) => void): DesiredService {
  const model = sampleModel();
  change?.(model);
  return desiredService(model, synthesizeService(model));
}

const kinds = (state: RemoteState, goal: 'draft' | 'prelaunch' | 'launch' = 'draft') =>
  planPublish(desired(), state, goal).steps.map((s) => s.kind);

/** The Commodity of the desired service, as GetService reports it back. */
function remoteCommodity(d: DesiredService) {
  return {
    MarketplaceMetadata: { SpecificationMappings: d.definition.Commodity.SpecificationMappings },
    CssMetadata: { ComponentsMappings: d.definition.Commodity.ComponentsMappings },
  };
}

describe('desired service', () => {
  it('names the version after the semantic version and the content hash', () => {
    const d = desired();
    expect(d.versionName).toMatch(/^1\.4\.0-[0-9a-f]{8}$/);
    expect(d.versionName.endsWith(d.contentHash.slice(0, 8))).toBe(true);
    expect(desired().contentHash).toBe(d.contentHash);
  });

  it('changes the hash when a template changes and not when keys are reordered', () => {
    const d = desired();
    const reordered = JSON.parse(JSON.stringify(d.definition), (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    );
    expect(contentHash(reordered, d.templates)).toBe(d.contentHash);
    const changed = d.templates.map((t) => ({
      ...t,
      content: t.content.replace('"NodeCount"', '"NodeCount2"'),
    }));
    expect(contentHash(d.definition, changed)).not.toBe(d.contentHash);
    expect(desired((m) => (m.editions[0].nodeCount = 2)).contentHash).not.toBe(d.contentHash);
  });
});

/** The steps towards a goal when version 3 already holds the content and its mappings, in `status`. */
function stepsFrom(status: string, goal: 'launch' | 'prelaunch') {
  const d = desired();
  const state = {
    serviceId: 's',
    versions: [{ version: '3', versionName: d.versionName, status }],
    commodity: remoteCommodity(d),
  };
  return planPublish(d, state, goal).steps.map((s) => s.kind);
}

describe('publish planner', () => {
  it('creates a new service with its templates and Marketplace mappings', () => {
    expect(kinds({ versions: [] })).toEqual(['upload', 'createService', 'setCommodity']);
  });

  it('creates a new draft of an existing service that has none', () => {
    const plan = planPublish(
      desired(),
      {
        serviceId: 'service-1',
        versions: [{ version: '1', versionName: '1.3.0-aaaaaaaa', status: 'Online' }],
      },
      'draft',
    );
    expect(plan.steps).toEqual([
      { kind: 'upload', file: 'standard.template.json' },
      { kind: 'createService', serviceId: 'service-1' },
      { kind: 'setCommodity', version: 'draft' },
    ]);
  });

  it('replaces an editable draft that holds other content', () => {
    expect(
      kinds({
        serviceId: 'service-1',
        versions: [{ version: 'draft', versionName: '1.4.0-00000000', status: 'Draft' }],
      }),
    ).toEqual(['upload', 'updateDraft', 'setCommodity']);
  });

  it('makes no call when a version already holds the content and its mappings', () => {
    const d = desired();
    const state: RemoteState = {
      serviceId: 'service-1',
      versions: [{ version: 'draft', versionName: d.versionName, status: 'Draft' }],
      commodity: remoteCommodity(d),
    };
    expect(planPublish(d, state, 'draft').steps).toEqual([]);
  });

  it('only sets the mappings when a run stopped after creating the draft', () => {
    const d = desired();
    const state: RemoteState = {
      serviceId: 'service-1',
      versions: [{ version: 'draft', versionName: d.versionName, status: 'Draft' }],
    };
    expect(planPublish(d, state, 'draft').steps).toEqual([{ kind: 'setCommodity', version: 'draft' }]);
  });

  it('submits, waits and launches towards Online, from wherever the version is', () => {
    const at = (status: string) => stepsFrom(status, 'launch');
    expect(at('Draft')).toEqual(['register', 'waitApproval', 'launch']);
    expect(at('Submitted')).toEqual(['waitApproval', 'launch']);
    expect(at('Approved')).toEqual(['launch']);
    expect(at('Beta')).toEqual(['launch']);
    expect(at('Online')).toEqual([]);
  });

  it('pre-releases only an approved version, so a new one is submitted and awaited first', () => {
    expect(kinds({ versions: [] }, 'prelaunch')).toEqual([
      'upload',
      'createService',
      'setCommodity',
      'register',
      'waitApproval',
      'prelaunch',
    ]);
    const at = (status: string) => stepsFrom(status, 'prelaunch');
    expect(at('Submitted')).toEqual(['waitApproval', 'prelaunch']);
    expect(at('Approved')).toEqual(['prelaunch']);
    expect(at('Beta')).toEqual([]);
    expect(at('Online')).toEqual([]);
  });

  it('keeps the most published of several versions holding the content', () => {
    const d = desired();
    const state: RemoteState = {
      serviceId: 's',
      versions: [
        { version: '1', versionName: d.versionName, status: 'Online' },
        { version: 'draft', versionName: d.versionName, status: 'Draft' },
      ],
      commodity: remoteCommodity(d),
    };
    expect(planPublish(d, state, 'launch')).toEqual({ version: '1', steps: [] });
  });

  it('refuses to touch a draft under review', () => {
    const state: RemoteState = {
      serviceId: 'service-1',
      versions: [{ version: 'draft', versionName: '1.4.0-00000000', status: 'Submitted' }],
    };
    expect(() => planPublish(desired(), state, 'draft')).toThrow(PublishConflict);
  });
});

describe('json diff', () => {
  it('lists changed, added and removed leaves with their paths', () => {
    const lines = jsonDiff({ a: 1, list: [{ x: 1 }], gone: true }, { a: 2, list: [{ x: 1 }, { x: 2 }] });
    expect(formatDiff(lines)).toEqual(['~ a: 1 → 2', '+ list[1]: {"x":2}', '- gone: true']);
    expect(jsonDiff({ same: [1, 2] }, { same: [1, 2] })).toEqual([]);
  });
});
