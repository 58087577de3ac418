import { createSupplierApi } from '../../../scripts/cloud';
import type { Sandbox } from '../../../scripts/sandbox';
import {
  freshWorld,
  mutating,
  Project,
  publish,
  sandboxCalls,
  sandboxCredential,
  versionsOf,
} from './project';

/**
 * The release sequence of an ISV's CI: each release bumps service.version (and sometimes the SKUs),
 * synthesizes, and runs `nestkit publish --launch` once. Each run must succeed the first time.
 */
describe('releasing one version after another with --launch', () => {
  let box: Sandbox;
  let project: Project;
  const world = freshWorld();
  beforeEach(() => ({ box, project } = world));

  /** The SKU mappings of one version, as the real GetService returns them. */
  async function mappingsOf(serviceId: string, version: string) {
    const api = createSupplierApi({ endpoint: box.url, credential: sandboxCredential() });
    const read = await api.getService({ ServiceId: serviceId, ServiceVersion: version });
    return {
      versionName: read.VersionName,
      status: read.Status,
      codes: (read.Commodity?.MarketplaceMetadata?.SpecificationMappings ?? []).map(
        (m) => m.SpecificationCode,
      ),
    };
  }

  async function releaseAndExpectNoOp(version: string) {
    await sandboxCalls(box, true);
    const again = await publish(box, project, { goal: 'launch' });
    expect(again).toMatchObject({ version, status: 'Online', plan: [] });
    expect(mutating(await sandboxCalls(box))).toEqual([]);
  }

  it('v1 Online, then v2 (a new service.version) and v3 (other SKUs) each published and launched in one run', async () => {
    const CODES = ['yuncode5012300001', 'yuncode5012300002', 'yuncode5012300003'];
    const v1 = await publish(box, project, { goal: 'launch' });
    expect(v1).toMatchObject({ version: '1', status: 'Online' });
    expect(v1.versionName).toMatch(/^1\.4\.0-/);
    await releaseAndExpectNoOp('1');

    // v2: only service.version changes, so the content hash stays the same: the version name must be
    // enough to tell this release's writes (and their ClientTokens) from v1's.
    project.edit('version: 1.4.0', 'version: 1.5.0');
    const v2 = await publish(box, project, { goal: 'launch' });
    expect(v2).toMatchObject({ serviceId: v1.serviceId, version: '2', status: 'Online' });
    expect(v2.versionName).toMatch(/^1\.5\.0-/);
    expect(v2.contentHash).toBe(v1.contentHash);
    expect(v2.plan.map((s) => s.kind)).toEqual([
      'upload',
      'createService',
      'setCommodity',
      'register',
      'waitApproval',
      'launch',
    ]);
    expect(await mappingsOf(v1.serviceId!, '2')).toEqual({
      versionName: v2.versionName,
      status: 'Online',
      codes: CODES,
    });
    expect(box.core.state.services[v1.serviceId!].defaultVersion).toBe('2');
    await releaseAndExpectNoOp('2');

    // v3: a new release with one SKU code changed.
    project.edit('version: 1.5.0', 'version: 1.6.0', false);
    project.edit('specificationCode: yuncode5012300003', 'specificationCode: yuncode5012300009');
    const v3 = await publish(box, project, { goal: 'launch' });
    expect(v3).toMatchObject({ serviceId: v1.serviceId, version: '3', status: 'Online' });
    expect(v3.diff.mappings.length).toBeGreaterThan(0);
    expect(await mappingsOf(v1.serviceId!, '3')).toEqual({
      versionName: v3.versionName,
      status: 'Online',
      codes: ['yuncode5012300001', 'yuncode5012300002', 'yuncode5012300009'],
    });
    // Earlier versions keep what they were launched with.
    expect((await mappingsOf(v1.serviceId!, '2')).codes).toEqual(CODES);
    expect((await mappingsOf(v1.serviceId!, '1')).codes).toEqual(CODES);
    expect(box.core.state.services[v1.serviceId!].defaultVersion).toBe('3');
    await releaseAndExpectNoOp('3');

    expect(versionsOf(box).map((v) => [v.version, v.versionName, v.status])).toEqual([
      ['1', v1.versionName, 'Online'],
      ['2', v2.versionName, 'Online'],
      ['3', v3.versionName, 'Online'],
    ]);
    const reviews = Object.values(box.core.state.services)[0].registrations!;
    expect(reviews.map((r) => [r.ServiceVersion, r.Status])).toEqual([
      ['1', 'Executed'],
      ['2', 'Executed'],
      ['3', 'Executed'],
    ]);
  });

  it('a pre-released next version (Beta) is launched by the next --launch, the Online one staying the default until then', async () => {
    const v1 = await publish(box, project, { goal: 'launch' });
    project.edit('version: 1.4.0', 'version: 1.5.0');
    const beta = await publish(box, project, { goal: 'prelaunch' });
    expect(beta).toMatchObject({ version: '2', status: 'Beta' });
    expect(box.core.state.services[v1.serviceId!].defaultVersion).toBe('1');
    const online = await publish(box, project, { goal: 'launch' });
    expect(online).toMatchObject({ version: '2', status: 'Online' });
    expect(online.plan.map((s) => s.kind)).toEqual(['launch']);
    expect(box.core.state.services[v1.serviceId!].defaultVersion).toBe('2');
  });
});
