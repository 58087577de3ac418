import { invalid } from '../errors';
import type { InstanceRecord } from '../state';
import {
  continueDeploy,
  createInstance,
  deleteInstance,
  findInstance,
  operate,
  setEndTime,
  updateSpec,
} from '../deploy/engine';
import { notFound } from '../errors';
import { instanceView } from './instance-views';
import { page } from './paging';
import { bool, filters, integer, json, list, optional, required, structs, type Params } from './params';
import { read, write, type ActionContext, type ActionTable } from './registry';
import { findService, fuzzy } from './services';
import type { SandboxCore } from '../core';

/** The supplier's view of service instances (ComputeNestSupplier 2021-05-21). */
export const supplierInstanceActions: ActionTable = {
  CreateServiceInstance: write(create),
  GetServiceInstance: read(get),
  ListServiceInstances: read(listInstances),
  DeleteServiceInstances: write(remove),
  UpdateServiceInstanceAttribute: write(updateAttribute),
  StartServiceInstance: write((ctx) => operation(ctx, 'Start')),
  StopServiceInstance: write((ctx) => operation(ctx, 'Stop')),
  RestartServiceInstance: write((ctx) => operation(ctx, 'Restart')),
  ContinueDeployServiceInstance: write(continueDeployment),
  UpdateServiceInstanceSpec: write(changeSpec),
};

/**
 * ContinueDeployServiceInstance: deploys a failed instance again. [I] DryRun checks the status and answers
 * every parameter the instance has as one that may be changed (the model names the three lists, the
 * documentation not how they are filled).
 */
function continueDeployment(ctx: ActionContext) {
  const instance = owned(ctx, required(ctx.params, 'ServiceInstanceId'));
  const parameters = json<Record<string, unknown>>(ctx.params, 'Parameters') ?? {};
  const dryRun = bool(ctx.params, 'DryRun');
  continueDeploy(ctx.core, instance, parameters, dryRun);
  if (dryRun)
    return {
      ServiceInstanceId: instance.ServiceInstanceId,
      DryRunResult: {
        ParametersAllowedToBeModified: Object.keys(instance.Parameters),
        ParametersConditionallyAllowedToBeModified: [],
        ParametersNotAllowedToBeModified: [],
      },
    };
  return { ServiceInstanceId: instance.ServiceInstanceId };
}

/** UpdateServiceInstanceSpec carries no RegionId in the official model: the instance id says it all. */
function changeSpec(ctx: ActionContext) {
  const instance = owned(ctx, required(ctx.params, 'ServiceInstanceId'));
  updateSpec(ctx.core, instance, {
    operationName: optional(ctx.params, 'OperationName'),
    planName: optional(ctx.params, 'PredefinedParametersName'),
    parameters: json<Record<string, unknown>>(ctx.params, 'Parameters') ?? {},
  });
  return {};
}

function create({ core, params, caller }: ActionContext) {
  const service = findService(core, caller.accountId, required(params, 'ServiceId'));
  const endTime = optional(params, 'EndTime');
  if (endTime !== undefined && Number.isNaN(Date.parse(endTime))) invalidTime('EndTime');
  const instance = createInstance(core, service, {
    serviceId: service.ServiceId,
    serviceVersion: optional(params, 'ServiceVersion'),
    name: optional(params, 'Name'),
    templateName: optional(params, 'TemplateName'),
    // The supplier's CreateServiceInstance has no SpecificationCode: a supplier names the plan.
    specificationName: optional(params, 'SpecificationName'),
    parameters: json<Record<string, unknown>>(params, 'Parameters') ?? {},
    tags: tags(params),
    endTime,
    // [I] A supplier-created instance belongs to UserId when given, else to the supplier itself.
    userId: optional(params, 'UserId') ?? caller.accountId,
    creatorAccountId: caller.accountId,
    source: 'Supplier',
  });
  return { ServiceInstanceId: instance.ServiceInstanceId, Status: instance.Status };
}

/** The supplier sees the instances of its own services. */
export function owned(ctx: ActionContext, id: string): InstanceRecord {
  const instance = findInstance(ctx.core, id);
  if (
    ctx.core.state.services[instance.ServiceId]?.AccountId !== ctx.caller.accountId &&
    instance.CreatorAccountId !== ctx.caller.accountId
  ) {
    throw notFound('ServiceInstance', id);
  }
  return instance;
}

/**
 * `Tag.N.Key`/`Tag.N.Value` of a create. [I] Keys are required and unique, at most 20 tags, and keys
 * starting `acs:` or `aliyun` are reserved, as for Alibaba Cloud tags elsewhere.
 */
export function tags(params: Params): { Key: string; Value: string }[] {
  const given = structs(params, 'Tag').map((t) => ({
    Key: String(t.Key ?? ''),
    Value: String(t.Value ?? ''),
  }));
  if (given.length > 20) throw invalid('Tag', 'At most 20 tags.');
  const keys = new Set<string>();
  for (const [n, tag] of given.entries()) {
    if (!tag.Key) throw invalid(`Tag.${n + 1}.Key`, 'A tag needs a key.');
    if (/^(acs:|aliyun)/i.test(tag.Key)) throw invalid(`Tag.${n + 1}.Key`, `${tag.Key} is a reserved key.`);
    if (keys.has(tag.Key)) throw invalid(`Tag.${n + 1}.Key`, `Tag key ${tag.Key} given twice.`);
    keys.add(tag.Key);
  }
  return given;
}

/** [I] A `Tag.N` filter keeps instances carrying every tag given (any value when Value is empty). */
export function matchesTags(instance: InstanceRecord, wanted: { Key: string; Value: string }[]): boolean {
  return wanted.every((w) =>
    (instance.Tags ?? []).some((t) => t.Key === w.Key && (w.Value === '' || t.Value === w.Value)),
  );
}

function get(ctx: ActionContext) {
  return instanceView(ctx.core, owned(ctx, required(ctx.params, 'ServiceInstanceId')), {
    api: 'supplier',
    action: 'GetServiceInstance',
  });
}

/** The names of an instance's service, every locale (the `Name` filter is the service's name). */
function serviceNames(core: SandboxCore, i: InstanceRecord): string[] {
  const version = core.state.services[i.ServiceId]?.versions[i.ServiceVersion];
  return (version?.ServiceInfos ?? []).map((info) => info.Name ?? '');
}

const FILTERS: Record<string, (i: InstanceRecord, v: string, core: SandboxCore) => boolean> = {
  ServiceInstanceId: (i, v) => i.ServiceInstanceId === v,
  ServiceId: (i, v) => i.ServiceId === v,
  Status: (i, v) => i.Status === v,
  Version: (i, v) => i.ServiceVersion === v,
  UserId: (i, v) => i.UserId === v,
  // The official model: `Name` filters by the service's name, not the instance's.
  Name: (i, v, core) => serviceNames(core, i).some((name) => fuzzy(v, name)),
  // [I] The user API documents ServiceInstanceName; the supplier's list of filter names is cut short in
  // the model, so the sandbox accepts it here too, by the instance's name.
  ServiceInstanceName: (i, v) => fuzzy(v, i.Name),
};

function listInstances(ctx: ActionContext) {
  const { core, params, caller } = ctx;
  const maxResults = integer(params, 'MaxResults', 20, 1, 100);
  const showDeleted = bool(params, 'ShowDeleted');
  const wanted = filters(params);
  for (const f of wanted) if (!FILTERS[f.Name]) throw invalid('Filter', `Unknown filter name ${f.Name}.`);
  const wantedTags = tags(params);
  const rows = Object.values(core.state.instances).filter(
    (i) =>
      (core.state.services[i.ServiceId]?.AccountId === caller.accountId ||
        i.CreatorAccountId === caller.accountId) &&
      (showDeleted || i.Status !== 'Deleted') &&
      wanted.every((f) => f.Value.length === 0 || f.Value.some((v) => FILTERS[f.Name](i, v, core))) &&
      matchesTags(i, wantedTags),
  );
  // The fault `emptyList`: a well-formed page that lists nothing, as a short-lived backend may answer.
  if (core.faults.take('emptyList', 'ListServiceInstances'))
    return { ServiceInstances: [], TotalCount: 0, MaxResults: maxResults };
  const result = page(rows, maxResults, optional(params, 'NextToken'));
  return {
    ServiceInstances: result.items.map((i) =>
      instanceView(core, i, { api: 'supplier', action: 'ListServiceInstances' }),
    ),
    NextToken: result.nextToken,
    TotalCount: rows.length,
    MaxResults: maxResults,
  };
}

function remove(ctx: ActionContext) {
  const ids = list(ctx.params, 'ServiceInstanceId');
  if (ids.length === 0) required(ctx.params, 'ServiceInstanceId.1');
  const instances = ids.map((id) => owned(ctx, id));
  for (const instance of instances) deleteInstance(ctx.core, instance);
  return {};
}

function updateAttribute(ctx: ActionContext) {
  const instance = owned(ctx, required(ctx.params, 'ServiceInstanceId'));
  const endTime = optional(ctx.params, 'EndTime');
  if (endTime !== undefined) {
    if (Number.isNaN(Date.parse(endTime))) invalidTime('EndTime');
    setEndTime(ctx.core, instance, endTime);
  }
  return {};
}

function operation(ctx: ActionContext, op: 'Start' | 'Stop' | 'Restart') {
  operate(ctx.core, owned(ctx, required(ctx.params, 'ServiceInstanceId')), op);
  return {};
}

function invalidTime(name: string): never {
  throw invalid(name, 'Expected an ISO-8601 UTC time such as 2023-12-25T02:28:40Z.');
}
