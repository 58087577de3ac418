import type { SupplierApi } from '../../../scripts/cloud/supplier';
import type { Sandbox } from '../../../scripts/sandbox';
import { admin, expectCloudError, sandbox, supplier } from '../sandbox/helpers';
import { fleet, publishNextVersion } from './support';

describe('the sandbox upgrades and rolls back instances on the virtual clock', () => {
  let box: Sandbox;
  let api: SupplierApi;
  beforeEach(async () => {
    box = await sandbox();
    api = supplier(box);
  });
  afterEach(() => box.close());
  const upgradeTime = () => box.core.timings.deploySeconds;

  it('goes Upgrading then Deployed on the new version, and records the history', async () => {
    const { ids, from, to } = await fleet(box, api, 1);
    const answer = await api.upgradeServiceInstance({ ServiceInstanceId: ids[0], ServiceVersion: to });
    expect(answer).toMatchObject({ ServiceInstanceId: ids[0], Status: 'Upgrading' });
    expect((await api.getServiceInstance({ ServiceInstanceId: ids[0] })).Status).toBe('Upgrading');
    box.advance(upgradeTime());
    const done = await api.getServiceInstance({ ServiceInstanceId: ids[0] });
    expect(done).toMatchObject({ Status: 'Deployed', Service: { Version: to } });
    const history = await api.listServiceInstanceUpgradeHistory({ ServiceInstanceId: ids[0] });
    expect(history.UpgradeHistory).toEqual([
      expect.objectContaining({
        FromVersion: from,
        ToVersion: to,
        Status: 'UpgradeSuccessful',
        Type: 'Upgrade',
      }),
    ]);
    expect(history.TotalCount).toBe(1);
  });

  it('answers the first upgrade again for a repeated ClientToken, starting nothing twice', async () => {
    const { ids, to } = await fleet(box, api, 1);
    const request = { ServiceInstanceId: ids[0], ServiceVersion: to, ClientToken: 'nk-upgrade-1' };
    await api.upgradeServiceInstance(request);
    box.advance(upgradeTime());
    await expect(api.upgradeServiceInstance(request)).resolves.toMatchObject({ Status: 'Upgrading' });
    const history = await api.listServiceInstanceUpgradeHistory({ ServiceInstanceId: ids[0] });
    expect(history.TotalCount).toBe(1);
  });

  it('checks without changing anything on DryRun', async () => {
    const { ids, from } = await fleet(box, api, 1);
    await api.upgradeServiceInstance({ ServiceInstanceId: ids[0], DryRun: 'true' });
    const instance = await api.getServiceInstance({ ServiceInstanceId: ids[0] });
    expect(instance).toMatchObject({ Status: 'Deployed', Service: { Version: from } });
  });

  it('refuses a source version UpgradeMetadata does not list, and a version without UpgradeMetadata', async () => {
    const { ids, serviceId } = await fleet(box, api, 1, { SupportUpgradeFromVersions: ['7'] });
    await expectCloudError(
      api.upgradeServiceInstance({ ServiceInstanceId: ids[0], ServiceVersion: '2' }),
      'OperationDenied.UpgradeNotSupported',
      403,
    );
    const v3 = await publishNextVersion(box, api, serviceId, null);
    await expectCloudError(
      api.upgradeServiceInstance({ ServiceInstanceId: ids[0], ServiceVersion: v3 }),
      'OperationDenied.UpgradeNotSupported',
    );
  });

  it("lists the versions an instance may move to under Service, by the targets' UpgradeMetadata", async () => {
    const { ids, serviceId, from, to } = await fleet(box, api, 1);
    await publishNextVersion(box, api, serviceId, null); // no UpgradeMetadata: offers no upgrade
    const v4 = await publishNextVersion(box, api, serviceId, { SupportUpgradeFromVersions: [from] });
    await publishNextVersion(box, api, serviceId, { SupportUpgradeFromVersions: ['99'] });
    const { Service } = await api.getServiceInstance({ ServiceInstanceId: ids[0] });
    expect(Service?.UpgradableServiceVersions).toEqual([to, v4]);
    expect(Service?.UpgradableServiceInfos?.map((i) => i.Version)).toEqual([to, v4]);
    await api.upgradeServiceInstance({ ServiceInstanceId: ids[0], ServiceVersion: v4 });
    box.advance(upgradeTime());
    const after = await api.getServiceInstance({ ServiceInstanceId: ids[0] });
    expect(after.Service?.UpgradableServiceVersions).toEqual([]);
  });

  it('fails an upgrade with the upgradeFail fault, then rolls it back to the old version', async () => {
    const { ids, from, to } = await fleet(box, api, 1);
    await admin(box, 'POST', '/_sandbox/faults', { kind: 'upgradeFail', count: 1 });
    await api.upgradeServiceInstance({ ServiceInstanceId: ids[0], ServiceVersion: to });
    box.advance(upgradeTime());
    expect((await api.getServiceInstance({ ServiceInstanceId: ids[0] })).Status).toBe('DeployedFailed');
    const rolled = await api.rollbackServiceInstance({ ServiceInstanceId: ids[0] });
    expect(rolled.Status).toBe('UpgradeRollbacking');
    box.advance(upgradeTime());
    const back = await api.getServiceInstance({ ServiceInstanceId: ids[0] });
    expect(back).toMatchObject({ Status: 'Deployed', Service: { Version: from } });
    const history = await api.listServiceInstanceUpgradeHistory({ ServiceInstanceId: ids[0] });
    expect(history.UpgradeHistory?.map((h) => [h.Type, h.Status])).toEqual([
      ['Rollback', 'UpgradeSuccessful'],
      ['Upgrade', 'UpgradeFailed'],
    ]);
  });

  it('refuses to upgrade an instance that is not Deployed', async () => {
    const { ids, to } = await fleet(box, api, 1);
    await api.upgradeServiceInstance({ ServiceInstanceId: ids[0], ServiceVersion: to });
    await expectCloudError(
      api.upgradeServiceInstance({ ServiceInstanceId: ids[0], ServiceVersion: to }),
      'OperationDenied.ServiceInstanceStatus',
    );
  });
});
