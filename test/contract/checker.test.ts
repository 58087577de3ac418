import { API_MODELS, type ApiModel } from '../../scripts/api-models/model';
import { checkResponse, checkWireRequest } from '../../scripts/api-models/contract';

const supplier = API_MODELS.supplier.actions;

describe('a request on the wire against its model', () => {
  it('accepts the official shape: flattened lists, JSON strings, plain scalars', () => {
    expect(
      checkWireRequest(supplier.ListServiceInstances, {
        RegionId: 'cn-hangzhou',
        'Filter.1.Name': 'ServiceId',
        'Filter.1.Value.1': 'service-1',
        'Tag.1.Key': 'nestkit:order',
        'Tag.1.Value': '123',
        MaxResults: '100',
        ShowDeleted: 'false',
      }),
    ).toEqual([]);
    expect(
      checkWireRequest(supplier.UpdateService, {
        RegionId: 'cn-hangzhou',
        ServiceId: 'service-1',
        Commodity: '{"SpecificationMappings":[]}',
        DeployMetadata: '{"TemplateConfigs":[]}',
      }),
    ).toEqual([]);
  });

  it('names a parameter the action lacks, a missing required one, and a wrong serialization', () => {
    const problems = checkWireRequest(supplier.PreLaunchService, {
      ServiceId: 's',
      ServiceVersion: '1',
    });
    expect(problems).toEqual([
      { path: 'ServiceVersion', message: 'the action has no such parameter' },
      { path: 'RegionId', message: 'required parameter missing' },
    ]);
    expect(
      checkWireRequest(supplier.UpdateService, {
        RegionId: 'r',
        ServiceId: 's',
        'Commodity.SpecificationMappings.1.SpecificationCode': 'x',
        'DeployMetadata.TemplateConfigs.1.Name': 'x',
        'Filter.1.Nme': 'x',
      }).map((p) => p.path),
    ).toEqual([
      'Commodity.SpecificationMappings.1.SpecificationCode',
      'DeployMetadata.TemplateConfigs.1.Name',
      'Filter.1.Nme',
    ]);
    expect(
      checkWireRequest(supplier.ListServiceInstances, {
        RegionId: 'r',
        'Filter.1.Nme': 'x',
        MaxResults: 'ten',
      }),
    ).toEqual([
      { path: 'Filter.1.Nme', message: 'no field "Nme" here' },
      { path: 'MaxResults', message: '"ten" is not an integer' },
    ]);
    expect(
      checkWireRequest(supplier.UpdateService, { RegionId: 'r', ServiceId: 's', Commodity: '[1' }),
    ).toEqual([{ path: 'Commodity', message: 'must be a JSON object' }]);
  });
});

describe('a response body against its model', () => {
  it('accepts the model’s fields with the model’s types', () => {
    expect(
      checkResponse(supplier.ListServiceInstances, {
        RequestId: 'R',
        MaxResults: 100,
        ServiceInstances: [{ ServiceInstanceId: 'si-1', UserId: 1, Tags: [{ Key: 'k', Value: 'v' }] }],
      }),
    ).toEqual([]);
  });

  it('names each field the model lacks and each value of the wrong type', () => {
    expect(
      checkResponse(supplier.ListServiceInstances, {
        RequestId: 'R',
        TotalCount: '3',
        ServiceInstances: [{ ServiceInstanceId: 'si-1', Outputs: '{}', UserId: '1' }],
      }),
    ).toEqual([
      { path: 'TotalCount', message: 'expected integer, got the string "3"' },
      { path: 'ServiceInstances[0].Outputs', message: 'the model has no such response field' },
      { path: 'ServiceInstances[0].UserId', message: 'expected long, got the string "1"' },
    ]);
  });

  it('fails the moment a field is deleted from the model', () => {
    const copy = JSON.parse(JSON.stringify(API_MODELS.supplier)) as ApiModel;
    const get = copy.actions.GetServiceInstance;
    get.response = get.response.filter((field) => field.name !== 'Status');
    const answer = { RequestId: 'R', ServiceInstanceId: 'si-1', Status: 'Deployed' };
    expect(checkResponse(supplier.GetServiceInstance, answer)).toEqual([]);
    expect(checkResponse(get, answer)).toEqual([
      { path: 'Status', message: 'the model has no such response field' },
    ]);
  });
});
