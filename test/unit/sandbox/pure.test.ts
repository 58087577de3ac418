import { Faults } from '../../../scripts/sandbox/faults';
import { unflatten, filters } from '../../../scripts/sandbox/api/params';
import { page } from '../../../scripts/sandbox/api/paging';
import { canApply } from '../../../scripts/sandbox/deploy/lifecycle';
import { parameterProblems, planDeployment } from '../../../scripts/sandbox/deploy/validate';
import { VirtualClock } from '../../../scripts/sandbox/clock';

describe('order planning and parameter checks', () => {
  const metadata = {
    TemplateConfigs: [
      {
        Name: 'Standard',
        Url: 'oss://b/k',
        PredefinedParameters: [{ Name: 'Basic', Parameters: { Size: 'S' } }],
      },
    ],
  };

  it('merges the plan over the order and defaults a single template', () => {
    expect(
      planDeployment(metadata, { planName: 'Basic', parameters: { Size: 'L', Other: 1 } }),
    ).toMatchObject({ ok: true, parameters: { Size: 'S', Other: 1 } });
    expect(planDeployment(metadata, { templateName: 'Nope', parameters: {} })).toMatchObject({ ok: false });
    expect(planDeployment({}, { parameters: {} })).toEqual({
      ok: false,
      reasons: ['the service version has no TemplateConfigs'],
    });
  });

  it('reports unknown, missing and invalid parameters', () => {
    const template = {
      Parameters: { A: { Type: 'Number', MaxValue: 3 }, B: { Type: 'String', Default: 'x' } },
    };
    expect(parameterProblems(template, { A: 2 })).toEqual([]);
    expect(parameterProblems(template, { A: 4, C: 1 })).toEqual([
      'parameter C is not declared by the template',
      'parameter A: 4 is above the MaxValue 3',
    ]);
    expect(parameterProblems(template, {})).toEqual(['parameter A is required (it has no Default)']);
  });
});

describe('RPC parameter reading', () => {
  it('rebuilds flattened lists and structs', () => {
    const params = {
      'Filter.1.Name': 'Status',
      'Filter.1.Value.1': 'Online',
      'Filter.1.Value.2': 'Beta',
      'Filter.2.Name': 'ServiceId',
      'Filter.2.Value.1': 's',
      'Id.1': 'a',
      'Id.2': 'b',
    };
    expect(filters(params)).toEqual([
      { Name: 'Status', Value: ['Online', 'Beta'] },
      { Name: 'ServiceId', Value: ['s'] },
    ]);
    expect(unflatten(params, 'Id')).toEqual(['a', 'b']);
  });
});

describe('paging tokens', () => {
  it('walks a list in pages and rejects a forged token', () => {
    const items = Array.from({ length: 5 }, (_, i) => i);
    const first = page(items, 2, undefined);
    const second = page(items, 2, first.nextToken);
    const third = page(items, 2, second.nextToken);
    expect([first.items, second.items, third.items, third.nextToken]).toEqual([
      [0, 1],
      [2, 3],
      [4],
      undefined,
    ]);
    expect(() => page(items, 2, 'forged')).toThrow(/NextToken/);
  });
});

describe('fault shares', () => {
  it('fires on a deterministic share of matching calls, at most count times', () => {
    const faults = new Faults();
    faults.add({ kind: 'throttle', action: 'A', share: 0.25, count: 2 });
    const fired = Array.from({ length: 12 }, () => Boolean(faults.take('throttle', 'A')));
    expect(fired.map((f, i) => (f ? i + 1 : 0)).filter(Boolean)).toEqual([4, 8]);
    expect(faults.take('throttle', 'B')).toBeUndefined();
  });
});

describe('instance state machine and clock', () => {
  it('allows deletion from failed states but not while deleting', () => {
    expect(canApply('DeployedFailed', 'delete')).toBe(true);
    expect(canApply('DeletedFailed', 'delete')).toBe(true);
    expect(canApply('Deleting', 'delete')).toBe(false);
    expect(canApply('Deploying', 'stop')).toBe(false);
  });

  it('moves only when advanced in manual mode, and follows the wall clock in real mode', () => {
    const manual = new VirtualClock('manual', Date.parse('2026-01-01T00:00:00Z'));
    manual.advance(61);
    expect(manual.iso()).toBe('2026-01-01T00:01:01Z');
    let wall = 1000;
    const real = new VirtualClock('real', 5000, () => wall);
    wall = 2000;
    real.advance(1);
    expect(real.now()).toBe(7000);
  });
});

describe('planDeployment of a managed service', () => {
  const supplierConfig = {
    Name: 'Standard',
    Url: 'oss://b/t.json',
    PredefinedParameters: [{ Name: 'Basic', Parameters: { Size: 'S' } }],
  };

  it('deploys from SupplierDeployMetadata.SupplierTemplateConfigs', () => {
    const metadata = {
      TemplateConfigs: [{ Name: 'Standard' }],
      SupplierDeployMetadata: { SupplierTemplateConfigs: [supplierConfig] },
    };
    expect(planDeployment(metadata, { planName: 'Basic', parameters: {} }, 'managed')).toEqual({
      ok: true,
      config: supplierConfig,
      parameters: { Size: 'S' },
    });
  });

  it("is refused without them, naming computenest-cli's KeyError", () => {
    const planned = planDeployment(
      { TemplateConfigs: [supplierConfig] },
      { planName: 'Basic', parameters: {} },
      'managed',
    );
    expect(planned.ok).toBe(false);
    expect(!planned.ok && planned.reasons[0]).toMatch(/^KeyError: 'SupplierDeployMetadata'/);
  });
});
