import type { SandboxCore } from '../core';
import { upgradableVersions } from '../deploy/upgrade';
import type { InstanceRecord, ServiceVersionRecord } from '../state';
import { actionModel, type FieldModel, type ModelProduct } from '../../api-models/model';

/** The four instance answers, each shaped by its own official model. */
export interface InstanceAnswer {
  api: Extract<ModelProduct, 'supplier' | 'user'>;
  action: 'GetServiceInstance' | 'ListServiceInstances';
}

/**
 * How an instance reads in Get/ListServiceInstances of the supplier or the user API: everything the
 * sandbox knows (structured fields as JSON strings, ids of accounts as integers), then only the fields
 * the official model of that answer has. So the supplier never sees `Components`, `MarketInstanceId`
 * or `OrderId`, and its list never `Outputs` or `PredefinedParameterName`, whatever the sandbox keeps.
 */
export function instanceView(
  core: SandboxCore,
  instance: InstanceRecord,
  answer: InstanceAnswer,
): Record<string, unknown> {
  // Only a Get's model has the versions an instance may move to: a List (the reconciler's every pass)
  // does not work them out for each of its instances.
  return project(fullView(core, instance, answer.action === 'GetServiceInstance'), fieldsOf(answer));
}

function fullView(
  core: SandboxCore,
  instance: InstanceRecord,
  withUpgradable: boolean,
): Record<string, unknown> {
  const service = core.state.services[instance.ServiceId];
  const version = service?.versions[instance.ServiceVersion];
  return {
    ServiceInstanceId: instance.ServiceInstanceId,
    Name: instance.Name,
    Status: instance.Status,
    StatusDetail: instance.StatusDetail,
    BizStatus: instance.BizStatus,
    Progress: instance.Progress,
    TemplateName: instance.TemplateName,
    PredefinedParameterName: instance.SpecificationName,
    Parameters: JSON.stringify(instance.Parameters),
    Outputs: instance.Outputs ? JSON.stringify(instance.Outputs) : undefined,
    Resources: instance.Resources ? JSON.stringify(instance.Resources) : undefined,
    Components: instance.Components ? JSON.stringify(instance.Components) : undefined,
    MarketInstanceId: instance.MarketInstanceId,
    OrderId: instance.OrderId,
    PayType: instance.PayType,
    Source: instance.Source,
    ServiceType: version?.ServiceType,
    UserId: Number(instance.UserId),
    SupplierUid: service ? Number(service.AccountId) : undefined,
    Tags: (instance.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })),
    EndTime: instance.EndTime,
    CreateTime: instance.CreateTime,
    UpdateTime: instance.UpdateTime,
    Service: {
      ServiceId: instance.ServiceId,
      Version: instance.ServiceVersion,
      VersionName: version?.VersionName,
      Status: version?.Status,
      DeployType: version?.DeployType,
      ServiceType: version?.ServiceType,
      ServiceInfos: version?.ServiceInfos ?? [],
      ...(withUpgradable ? upgradable(service?.versions, instance) : {}),
    },
  };
}

function upgradable(versions: Record<string, ServiceVersionRecord> | undefined, instance: InstanceRecord) {
  const targets = versions ? upgradableVersions(versions, instance) : [];
  return {
    UpgradableServiceVersions: targets.map((v) => v.Version),
    UpgradableServiceInfos: targets.map((v) => ({ Version: v.Version, VersionName: v.VersionName })),
  };
}

/** The fields of one instance in the answer's model: the body of a Get, an item of a List. */
function fieldsOf(answer: InstanceAnswer): FieldModel[] {
  const response = actionModel(answer.api, answer.action)?.response ?? [];
  if (answer.action === 'GetServiceInstance') return response;
  return response.find((f) => f.name === 'ServiceInstances')?.children ?? [];
}

/** Keeps what the model has, recursively into objects and arrays of objects; drops undefined values. */
function project(value: Record<string, unknown>, fields: FieldModel[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const member = value[field.name];
    if (member === undefined) continue;
    if (field.type === 'object' && field.children && isObject(member)) {
      out[field.name] = project(member, field.children);
    } else if (field.type === 'array' && field.children && Array.isArray(member)) {
      out[field.name] = member.map((item) => (isObject(item) ? project(item, field.children!) : item));
    } else {
      out[field.name] = member;
    }
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
