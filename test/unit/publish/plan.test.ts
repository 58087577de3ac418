import { synthesizeService } from '../../../cdk/service-app';
import { contentHash, desiredService, type DesiredService } from '../../../scripts/publish/desired';
import { formatDiff, jsonDiff } from '../../../scripts/publish/json-diff';
import {
  BIND_SKUS_AFTER_LAUNCH,
  planPublish,
  PublishConflict,
  type RemoteState,
} from '../../../scripts/publish/plan';
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

/**
 * The steps towards a goal when `version` already holds the content and its mappings, in `status`: the
 * draft until it is launched or pre-launched, a numbered version after.
 */
function stepsFrom(status: string, goal: 'launch' | 'prelaunch', version = 'draft') {
  const d = desired();
  const state = {
    serviceId: 's',
    versions: [{ version, versionName: d.versionName, status }],
    commodity: remoteCommodity(d),
  };
  return planPublish(d, state, goal).steps;
}
const kindsFrom = (...args: Parameters<typeof stepsFrom>) => stepsFrom(...args).map((s) => s.kind);

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

  it('submits the draft, waits for its review and launches the draft towards Online, from wherever it is', () => {
    const at = (status: string) => kindsFrom(status, 'launch');
    expect(at('Draft')).toEqual(['register', 'waitApproval', 'launch']);
    expect(at('UpdateFailed')).toEqual(['register', 'waitApproval', 'launch']);
    expect(at('Submitted')).toEqual(['waitApproval', 'launch']);
    expect(stepsFrom('Approved', 'launch')).toEqual([{ kind: 'launch', version: 'draft' }]);
    expect(stepsFrom('Beta', 'launch', '3')).toEqual([{ kind: 'launch', version: '3' }]);
    expect(stepsFrom('Offline', 'launch', '3')).toEqual([{ kind: 'launch', version: '3' }]);
    expect(kindsFrom('Online', 'launch', '3')).toEqual([]);
    expect(() => stepsFrom('Offline', 'prelaunch', '3')).toThrow(PublishConflict);
    expect(() => stepsFrom('Launching', 'launch', '3')).toThrow(PublishConflict);
  });

  it('binds the SKUs on the draft before submitting it ([I] BIND_SKUS_AFTER_LAUNCH false)', () => {
    expect(BIND_SKUS_AFTER_LAUNCH).toBe(false);
    expect(planPublish(desired(), { versions: [] }, 'launch').steps.slice(2)).toEqual([
      { kind: 'setCommodity', version: 'draft' },
      { kind: 'register' },
      { kind: 'waitApproval' },
      { kind: 'launch', version: 'draft' },
    ]);
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
    const at = (status: string, version?: string) => kindsFrom(status, 'prelaunch', version);
    expect(at('Submitted')).toEqual(['waitApproval', 'prelaunch']);
    // PreLaunchService takes the service only: the step names no version.
    expect(stepsFrom('Approved', 'prelaunch')).toEqual([{ kind: 'prelaunch' }]);
    expect(at('Beta', '3')).toEqual([]);
    expect(at('Online', '3')).toEqual([]);
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

  it('refuses to touch a draft under review or approved with other content', () => {
    for (const status of ['Submitted', 'Approved']) {
      const state: RemoteState = {
        serviceId: 'service-1',
        versions: [{ version: 'draft', versionName: '1.4.0-00000000', status }],
      };
      expect(() => planPublish(desired(), state, 'draft')).toThrow(PublishConflict);
    }
  });

  it('compares only the mappings GetService returns under MarketplaceMetadata, in any order', () => {
    const d = desired();
    const reversed = [...d.definition.Commodity.SpecificationMappings].reverse();
    const held = (commodity: object): RemoteState => ({
      serviceId: 's',
      versions: [{ version: 'draft', versionName: d.versionName, status: 'Draft' }],
      commodity,
    });
    const css = { ComponentsMappings: [{ TemplateName: 'Standard', Mappings: { A: 'B' } }] };
    expect(
      planPublish(
        d,
        held({ MarketplaceMetadata: { SpecificationMappings: reversed }, CssMetadata: css }),
        'draft',
      ).steps,
    ).toEqual([]);
    const other = reversed.map((m, i) => (i === 0 ? { ...m, SpecificationName: 'x' } : m));
    expect(
      planPublish(d, held({ MarketplaceMetadata: { SpecificationMappings: other } }), 'draft').steps,
    ).toEqual([{ kind: 'setCommodity', version: 'draft' }]);
  });
});

describe('json diff', () => {
  it('lists changed, added and removed leaves with their paths', () => {
    const lines = jsonDiff({ a: 1, list: [{ x: 1 }], gone: true }, { a: 2, list: [{ x: 1 }, { x: 2 }] });
    expect(formatDiff(lines)).toEqual(['~ a: 1 → 2', '+ list[1]: {"x":2}', '- gone: true']);
    expect(jsonDiff({ same: [1, 2] }, { same: [1, 2] })).toEqual([]);
  });
});
