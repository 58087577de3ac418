import { ContractError } from '../../scripts/cloud/client';
import type { Sandbox } from '../../scripts/sandbox';
import { admin, sandbox, supplier } from '../integration/sandbox/helpers';

interface Call {
  action: string;
  params: Record<string, string>;
}

async function calls(box: Sandbox): Promise<Call[]> {
  return (await admin<Call[]>(box, 'GET', '/_sandbox/calls')).body;
}

/** The client against the official models: what it sends is the model's shape, and nothing else leaves it. */
describe('the cloud client against the official API models', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox();
  });
  afterAll(() => box.close());
  beforeEach(() => admin(box, 'DELETE', '/_sandbox/calls'));

  it('refuses, before sending, a parameter the action lacks', async () => {
    const api = supplier(box);
    const request = { ServiceId: 'service-1', ServiceVersion: '1' } as never;
    await expect(api.preLaunchService(request)).rejects.toThrow(ContractError);
    await expect(api.preLaunchService(request)).rejects.toThrow(
      /PreLaunchService: ServiceVersion: the action has no such parameter/,
    );
    expect(await calls(box)).toEqual([]);
  });

  it('refuses a request without a required parameter', async () => {
    await expect(supplier(box).getUploadCredentials({} as never)).rejects.toThrow(
      /FileName: required parameter missing/,
    );
    expect(await calls(box)).toEqual([]);
  });

  it('refuses a JSON-text field given as an object', async () => {
    const request = { DeployType: 'ros', DeployMetadata: { TemplateConfigs: [] } } as never;
    await expect(supplier(box).createService(request)).rejects.toThrow(
      /DeployMetadata: DeployMetadata is a plain string: send JSON text/,
    );
  });

  it('adds RegionId only to actions that have it', async () => {
    const api = supplier(box);
    await api.getUploadCredentials({ FileName: 'a.json' });
    await api.updateServiceInstanceSpec({ ServiceInstanceId: 'si-none' }).catch(() => undefined);
    await api.getService({ ServiceId: 'service-none' }).catch(() => undefined);
    const sent = Object.fromEntries((await calls(box)).map((c) => [c.action, c.params]));
    expect(sent.GetUploadCredentials).not.toHaveProperty('RegionId');
    expect(sent.UpdateServiceInstanceSpec).not.toHaveProperty('RegionId');
    expect(sent.GetService).toHaveProperty('RegionId', 'cn-hangzhou');
  });

  it('sends json-style fields as one JSON string and flattens lists and tags', async () => {
    const api = supplier(box);
    await api
      .updateService({ ServiceId: 'service-none', Commodity: { SpecificationMappings: [] } })
      .catch(() => undefined);
    await api.listServiceInstances({
      Tag: [{ Key: 'k', Value: 'v' }],
      Filter: [{ Name: 'ServiceId', Value: ['a'] }],
    });
    const sent = Object.fromEntries((await calls(box)).map((c) => [c.action, c.params]));
    expect(sent.UpdateService.Commodity).toBe('{"SpecificationMappings":[]}');
    expect(sent.ListServiceInstances).toMatchObject({
      'Tag.1.Key': 'k',
      'Tag.1.Value': 'v',
      'Filter.1.Name': 'ServiceId',
      'Filter.1.Value.1': 'a',
    });
  });
});
