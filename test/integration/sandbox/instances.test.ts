import type { Sandbox } from '../../../scripts/sandbox';
import type { SupplierApi } from '../../../scripts/cloud/supplier';
import {
  admin,
  expectCloudError,
  publishService,
  sandbox,
  settleDeployments,
  supplier,
  user,
  CUSTOMER,
  type Published,
} from './helpers';

const GOOD = { AdminPassword: 'Passw0rd123' };

describe('service instances on the virtual clock', () => {
  let box: Sandbox;
  let api: SupplierApi;
  let service: Published;
  beforeEach(async () => {
    box = await sandbox();
    api = supplier(box);
    service = await publishService(box, api, {
      OperationMetadata: {
        StatusOperationConfigs: [
          { TemplateName: 'Standard', SupportOperations: ['Start', 'Stop', 'Restart'] },
        ],
        ModifyParametersConfig: [
          { TemplateName: 'Standard', Operation: [{ Name: 'ChangeEdition', Type: 'Custom' }] },
        ],
      },
    });
  });
  afterEach(() => box.close());

  const create = async (extra: Record<string, unknown> = {}) => {
    const created = await api.createServiceInstance({
      ServiceId: service.serviceId,
      TemplateName: 'Standard',
      SpecificationName: 'Basic',
      Parameters: GOOD,
      ...extra,
    });
    return { ...created, ServiceInstanceId: created.ServiceInstanceId! };
  };

  it('goes Created, Deploying, Deployed with outputs, on the virtual clock', async () => {
    const { ServiceInstanceId, Status } = await create({ Name: 'tenant-1' });
    expect(Status).toBe('Created');
    const t = box.core.timings;
    box.advance(t.deployStartSeconds);
    expect((await api.getServiceInstance({ ServiceInstanceId })).Status).toBe('Deploying');
    box.advance(t.deploySeconds);
    const done = await api.getServiceInstance({ ServiceInstanceId });
    expect(done).toMatchObject({
      Status: 'Deployed',
      BizStatus: 'Normal',
      Name: 'tenant-1',
      TemplateName: 'Standard',
      PredefinedParameterName: 'Basic',
      Source: 'Supplier',
    });
    expect(done.Service).toMatchObject({ ServiceId: service.serviceId, Version: service.version });
    expect(JSON.parse(done.Parameters!)).toEqual({ ...GOOD, InstanceType: 'ecs.c7.large' });
    expect(JSON.parse(done.Outputs!)).toEqual({
      Endpoint: 'https://demo.example.com',
      Console: `sandbox://${ServiceInstanceId}/Console`,
    });
  });

  it.each([
    [
      'a value outside AllowedValues',
      { SpecificationName: undefined, Parameters: { ...GOOD, InstanceType: 'ecs.g9.huge' } },
      /InstanceType: "ecs.g9.huge" is not one of the AllowedValues/,
    ],
    [
      'a value not matching AllowedPattern',
      { Parameters: { AdminPassword: 'short' } },
      /AdminPassword: "short" does not match the AllowedPattern/,
    ],
    [
      'a Number below MinValue',
      { Parameters: { ...GOOD, DiskSize: 5 } },
      /DiskSize: 5 is below the MinValue 20/,
    ],
    ['a missing required parameter', { Parameters: {} }, /AdminPassword is required/],
    ['an unknown parameter', { Parameters: { ...GOOD, Colour: 'red' } }, /Colour is not declared/],
    ['a plan that does not exist', { SpecificationName: 'Gold' }, /plan "Gold" does not exist/],
    ['a template that does not exist', { TemplateName: 'Huge' }, /template "Huge" does not exist/],
  ])('ends DeployedFailed with the reason for %s', async (_name, extra, reason) => {
    const { ServiceInstanceId } = await create(extra);
    settleDeployments(box);
    const failed = await api.getServiceInstance({ ServiceInstanceId });
    expect(failed.Status).toBe('DeployedFailed');
    expect(failed.StatusDetail).toMatch(reason);
  });

  it('maps a SpecificationCode to its template and plan, and rejects an unmapped one', async () => {
    // Only the customer API has SpecificationCode (the SKU); the supplier's CreateServiceInstance names a plan.
    const customer = user(box);
    const order = { ServiceId: service.serviceId, Parameters: GOOD };
    const { ServiceInstanceId } = await customer.createServiceInstance({
      ...order,
      SpecificationCode: 'yuncode5012300002',
    });
    settleDeployments(box);
    const done = await api.getServiceInstance({ ServiceInstanceId: ServiceInstanceId! });
    expect(done).toMatchObject({ Status: 'Deployed', PredefinedParameterName: 'Premium' });
    expect(JSON.parse(done.Parameters!).InstanceType).toEqual(['ecs.c7.xlarge']);
    await expectCloudError(
      customer.createServiceInstance({ ...order, SpecificationCode: 'yuncode0' }),
      'InvalidParameter',
      400,
    );
  });

  it('answers EntityNotExist for an unknown service or instance', async () => {
    await expectCloudError(
      api.createServiceInstance({ ServiceId: 'service-none' }),
      'EntityNotExist.Service',
      404,
    );
    await expectCloudError(
      api.getServiceInstance({ ServiceInstanceId: 'si-none' }),
      'EntityNotExist.ServiceInstance',
      404,
    );
    await expectCloudError(
      api.deleteServiceInstances({ ServiceInstanceId: ['si-none'] }),
      'EntityNotExist.ServiceInstance',
      404,
    );
  });

  it('deletes: Deleting then Deleted, hidden from lists unless ShowDeleted', async () => {
    const { ServiceInstanceId } = await create();
    settleDeployments(box);
    await api.deleteServiceInstances({ ServiceInstanceId: [ServiceInstanceId] });
    expect((await api.getServiceInstance({ ServiceInstanceId })).Status).toBe('Deleting');
    box.advance(box.core.timings.deleteSeconds);
    expect((await api.getServiceInstance({ ServiceInstanceId })).Status).toBe('Deleted');
    expect((await api.listServiceInstances({})).ServiceInstances).toHaveLength(0);
    expect((await api.listServiceInstances({ ShowDeleted: true })).ServiceInstances).toHaveLength(1);
  });

  it('turns BizStatus Expired at EndTime, and Normal again when EndTime moves later', async () => {
    const start = box.core.now();
    const endTime = new Date(start + 3600_000).toISOString().replace('.000Z', 'Z');
    const { ServiceInstanceId } = await create({ EndTime: endTime });
    box.advance(3599);
    expect((await api.getServiceInstance({ ServiceInstanceId })).BizStatus).toBe('Normal');
    box.advance(1);
    const expired = await api.getServiceInstance({ ServiceInstanceId });
    expect(expired).toMatchObject({ BizStatus: 'Expired', EndTime: endTime });
    const later = new Date(start + 7200_000).toISOString().replace('.000Z', 'Z');
    await api.updateServiceInstanceAttribute({ ServiceInstanceId, EndTime: later });
    expect((await api.getServiceInstance({ ServiceInstanceId })).BizStatus).toBe('Normal');
    box.advance(3600);
    expect((await api.getServiceInstance({ ServiceInstanceId })).BizStatus).toBe('Expired');
    await expectCloudError(
      api.updateServiceInstanceAttribute({ ServiceInstanceId, EndTime: 'tomorrow' }),
      'InvalidParameter',
      400,
    );
  });

  it('stops and starts a deployed instance when the service supports it', async () => {
    const { ServiceInstanceId } = await create();
    await expectCloudError(
      api.stopServiceInstance({ ServiceInstanceId }),
      'OperationDenied.ServiceInstanceStatus',
      403,
    );
    settleDeployments(box);
    await api.stopServiceInstance({ ServiceInstanceId });
    expect((await api.getServiceInstance({ ServiceInstanceId })).Status).toBe('Stopping');
    box.advance(box.core.timings.operationSeconds);
    expect((await api.getServiceInstance({ ServiceInstanceId })).Status).toBe('Stopped');
    await api.startServiceInstance({ ServiceInstanceId });
    box.advance(box.core.timings.operationSeconds);
    expect((await api.getServiceInstance({ ServiceInstanceId })).Status).toBe('Deployed');
  });

  it('restarts a deployed instance: Starting, then Deployed again', async () => {
    const { ServiceInstanceId } = await create();
    await expectCloudError(
      api.restartServiceInstance({ ServiceInstanceId }),
      'OperationDenied.ServiceInstanceStatus',
      403,
    );
    settleDeployments(box);
    await api.restartServiceInstance({ ServiceInstanceId });
    expect((await api.getServiceInstance({ ServiceInstanceId })).Status).toBe('Starting');
    box.advance(box.core.timings.operationSeconds);
    expect((await api.getServiceInstance({ ServiceInstanceId })).Status).toBe('Deployed');
  });

  it('keeps the Tags of a create, answers them in Get and List, and filters by Tag', async () => {
    const tagged = await create({
      Tag: [
        { Key: 'order', Value: 'a' },
        { Key: 'env', Value: 'prod' },
      ],
    });
    await create({ Tag: [{ Key: 'order', Value: 'b' }] });
    await create();
    expect((await api.getServiceInstance({ ServiceInstanceId: tagged.ServiceInstanceId })).Tags).toEqual([
      { Key: 'order', Value: 'a' },
      { Key: 'env', Value: 'prod' },
    ]);
    const byTag = await api.listServiceInstances({ Tag: [{ Key: 'order', Value: 'a' }] });
    expect(byTag.ServiceInstances!.map((i) => i.ServiceInstanceId)).toEqual([tagged.ServiceInstanceId]);
    expect(byTag.ServiceInstances![0].Tags).toContainEqual({ Key: 'env', Value: 'prod' });
    // every tag given must match
    expect(
      (
        await api.listServiceInstances({
          Tag: [
            { Key: 'order', Value: 'a' },
            { Key: 'env', Value: 'dev' },
          ],
        })
      ).TotalCount,
    ).toBe(0);
    expect((await api.listServiceInstances({ Tag: [{ Key: 'order' }] })).TotalCount).toBe(2);
    await expectCloudError(create({ Tag: [{ Key: 'acs:x', Value: '1' }] }), 'InvalidParameter', 400);
  });

  it('tags an instance after its creation (TagResources overwrites a key) and lists tags (ListTagResources)', async () => {
    const { ServiceInstanceId } = await create({ Tag: [{ Key: 'order', Value: 'a' }] });
    const other = await create();
    await api.tagResources({
      ResourceType: 'serviceinstance',
      ResourceId: [ServiceInstanceId],
      Tag: [
        { Key: 'order', Value: 'b' },
        { Key: 'owner', Value: 'x' },
      ],
    });
    expect((await api.getServiceInstance({ ServiceInstanceId })).Tags).toEqual([
      { Key: 'order', Value: 'b' },
      { Key: 'owner', Value: 'x' },
    ]);
    const listed = await api.client.call('ListTagResources', {
      ResourceType: 'serviceinstance',
      Tag: [{ Key: 'owner' }],
    });
    expect(listed.TagResources).toEqual([
      { ResourceId: ServiceInstanceId, ResourceType: 'serviceinstance', TagKey: 'owner', TagValue: 'x' },
    ]);
    await expectCloudError(
      api.tagResources({
        ResourceType: 'service',
        ResourceId: [other.ServiceInstanceId],
        Tag: [{ Key: 'k', Value: 'v' }],
      }),
      'InvalidParameter',
      400,
    );
    await expectCloudError(
      api.tagResources({
        ResourceType: 'serviceinstance',
        ResourceId: ['si-none'],
        Tag: [{ Key: 'k', Value: 'v' }],
      }),
      'EntityNotExist.ServiceInstance',
    );
  });

  it('filters by Name as the service name, not the instance name', async () => {
    const { ServiceInstanceId } = await create({ Name: 'tenant-7' });
    const byName = (name: string) =>
      api.listServiceInstances({ Filter: [{ Name: 'Name', Value: [name] }] }).then((p) => p.TotalCount);
    expect(await byName('Demo SaaS')).toBe(1);
    expect(await byName('tenant-7')).toBe(0);
    expect(
      (await api.listServiceInstances({ Filter: [{ Name: 'Name', Value: ['Demo SaaS'] }] }))
        .ServiceInstances![0].ServiceInstanceId,
    ).toBe(ServiceInstanceId);
  });

  it('answers the supplier only what its model has: outputs and the plan in Get, not in List', async () => {
    const { ServiceInstanceId } = await create();
    settleDeployments(box);
    const [item] = (await api.listServiceInstances({})).ServiceInstances!;
    expect(item).toMatchObject({ ServiceInstanceId, Status: 'Deployed', Progress: 100, Tags: [] });
    for (const absent of ['Outputs', 'PredefinedParameterName', 'Components', 'MarketInstanceId', 'OrderId'])
      expect(item).not.toHaveProperty(absent);
    const got = await api.getServiceInstance({ ServiceInstanceId });
    expect(got).toMatchObject({ PredefinedParameterName: 'Basic', SupplierUid: 1000000000000001 });
    expect(JSON.parse(got.Outputs!)).toHaveProperty('Endpoint');
    for (const absent of ['Components', 'MarketInstanceId', 'OrderId'])
      expect(got).not.toHaveProperty(absent);
  });

  it('changes the plan of a deployed instance through a ModifyParametersConfig operation', async () => {
    const { ServiceInstanceId } = await create();
    settleDeployments(box);
    const change = { ServiceInstanceId, PredefinedParametersName: 'Premium', OperationName: 'ChangeEdition' };
    await expectCloudError(
      api.updateServiceInstanceSpec({ ...change, OperationName: 'Resize' }),
      'InvalidParameter',
      400,
    );
    await expectCloudError(
      api.updateServiceInstanceSpec({ ...change, PredefinedParametersName: 'Gold' }),
      'InvalidParameter',
      400,
    );
    await api.updateServiceInstanceSpec(change);
    expect((await api.getServiceInstance({ ServiceInstanceId })).Status).toBe('Upgrading');
    box.advance(box.core.timings.operationSeconds);
    const done = await api.getServiceInstance({ ServiceInstanceId });
    expect(done).toMatchObject({ Status: 'Deployed', PredefinedParameterName: 'Premium' });
    expect(JSON.parse(done.Parameters!).InstanceType).toEqual(['ecs.c7.xlarge']);
  });

  it('returns the same instance for a repeated ClientToken', async () => {
    const first = await create({ ClientToken: 'order-1' });
    const again = await create({ ClientToken: 'order-1' });
    expect(again.ServiceInstanceId).toBe(first.ServiceInstanceId);
    expect((await api.listServiceInstances({})).TotalCount).toBe(1);
  });

  it('pages over 1,000 instances with MaxResults/NextToken and filters by ServiceId and Status', async () => {
    const other = await publishService(box, api);
    for (let i = 0; i < 1000; i++) await create({ Name: `t-${i}` });
    for (let i = 0; i < 5; i++)
      await api.createServiceInstance({
        ServiceId: other.serviceId,
        SpecificationName: 'Basic',
        Parameters: GOOD,
      });
    const seen: string[] = [];
    let pages = 0;
    for await (const instance of api.serviceInstances({
      Filter: [{ Name: 'ServiceId', Value: [service.serviceId] }],
    })) {
      seen.push(instance.Name!);
      pages = seen.length % 100 === 1 ? pages + 1 : pages;
    }
    expect(seen).toHaveLength(1000);
    expect(new Set(seen).size).toBe(1000);
    expect(seen[0]).toBe('t-0');
    expect(seen[999]).toBe('t-999');
    expect(pages).toBe(10);
    const page = await api.listServiceInstances({
      MaxResults: 100,
      Filter: [{ Name: 'ServiceId', Value: [service.serviceId] }],
    });
    expect(page).toMatchObject({ TotalCount: 1000, MaxResults: 100 });
    expect(
      (await api.listServiceInstances({ Filter: [{ Name: 'Status', Value: ['Deployed'] }] })).TotalCount,
    ).toBe(0);
    settleDeployments(box);
    expect(
      (await api.listServiceInstances({ Filter: [{ Name: 'Status', Value: ['Deployed'] }] })).TotalCount,
    ).toBe(1005);
    await expectCloudError(api.listServiceInstances({ NextToken: 'garbage' }), 'InvalidParameter', 400);
  });

  it('serves the customer API: order by SKU, read, delete; other accounts see nothing', async () => {
    const customer = user(box);
    const ordered = await customer.createServiceInstance({
      ServiceId: service.serviceId,
      SpecificationCode: 'yuncode5012300001',
      Parameters: GOOD,
      Commodity: { PayPeriod: 1, PayPeriodUnit: 'Month' },
    });
    settleDeployments(box);
    const orderedId = ordered.ServiceInstanceId!;
    const mine = await customer.getServiceInstance({ ServiceInstanceId: orderedId });
    expect(mine).toMatchObject({
      Status: 'Deployed',
      Source: 'User',
      UserId: Number(CUSTOMER.accountId),
      PayType: 'Subscription',
    });
    // Ordered at 00:01:00 (after the approval delay), for one month.
    expect(mine.EndTime).toBe('2026-02-01T00:01:00Z');
    const calls = (
      await admin<{ action: string; version: string; params: Record<string, string> }[]>(
        box,
        'GET',
        '/_sandbox/calls',
      )
    ).body;
    expect(
      calls.find((c) => c.version === '2021-06-01' && c.action === 'CreateServiceInstance')!.params[
        'Commodity.PayPeriod'
      ],
    ).toBe('1');
    // The supplier sees the order of its service too; a stranger's id is not found for the customer.
    expect((await api.getServiceInstance({ ServiceInstanceId: orderedId })).UserId).toBe(
      Number(CUSTOMER.accountId),
    );
    const own = await create();
    await expectCloudError(
      customer.getServiceInstance({ ServiceInstanceId: own.ServiceInstanceId }),
      'EntityNotExist.ServiceInstance',
      404,
    );
    await customer.deleteServiceInstances({ ServiceInstanceId: [orderedId] });
    settleDeployments(box);
    expect((await customer.getServiceInstance({ ServiceInstanceId: orderedId })).Status).toBe('Deleted');
  });
});
