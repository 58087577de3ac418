import { invalid, notFound } from '../errors';
import type { InstanceRecord } from '../state';
import { createInstance, deleteInstance } from '../deploy/engine';
import { instanceView } from './instance-views';
import { json, list, optional, required, unflatten } from './params';
import { read, write, type ActionContext, type ActionTable } from './registry';
import { tags } from './instances';

/**
 * The customer API (ComputeNest 2021-06-01): a customer orders an instance of a published service in
 * its own account. [I] Any service in the sandbox is visible to every account.
 */
export const userActions: ActionTable = {
  CreateServiceInstance: write(create),
  GetServiceInstance: read(get),
  DeleteServiceInstances: write(remove),
};

function create({ core, params, caller }: ActionContext) {
  const serviceId = required(params, 'ServiceId');
  const service = core.state.services[serviceId];
  if (!service) throw notFound('Service', serviceId);
  const commodity = unflatten(params, 'Commodity') as Record<string, string> | undefined;
  const instance = createInstance(core, service, {
    serviceId,
    serviceVersion: optional(params, 'ServiceVersion'),
    name: optional(params, 'Name'),
    templateName: optional(params, 'TemplateName'),
    specificationName: optional(params, 'SpecificationName'),
    specificationCode: optional(params, 'SpecificationCode'),
    parameters: json<Record<string, unknown>>(params, 'Parameters') ?? {},
    tags: tags(params),
    endTime: commodity ? endOfPeriod(core.now(), commodity) : undefined,
    userId: caller.accountId,
    creatorAccountId: caller.accountId,
    source: 'User',
    payType: commodity ? 'Subscription' : 'Permanent',
  });
  return { ServiceInstanceId: instance.ServiceInstanceId, Status: instance.Status };
}

/** [I] A subscription order ends PayPeriod units from now (default one month). */
function endOfPeriod(nowMs: number, commodity: Record<string, string>): string {
  const period = Number(commodity.PayPeriod ?? 1);
  if (!Number.isInteger(period) || period < 1)
    throw invalid('Commodity.PayPeriod', 'Expected a positive integer.');
  const date = new Date(nowMs);
  const unit = commodity.PayPeriodUnit ?? 'Month';
  if (unit === 'Year') date.setUTCFullYear(date.getUTCFullYear() + period);
  else if (unit === 'Month') date.setUTCMonth(date.getUTCMonth() + period);
  else if (unit === 'Day') date.setUTCDate(date.getUTCDate() + period);
  else throw invalid('Commodity.PayPeriodUnit', 'Expected Year, Month or Day.');
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function mine(ctx: ActionContext, instance: InstanceRecord | undefined, id: string): InstanceRecord {
  if (!instance || instance.UserId !== ctx.caller.accountId) throw notFound('ServiceInstance', id);
  return instance;
}

function get(ctx: ActionContext) {
  const id = optional(ctx.params, 'ServiceInstanceId');
  const marketId = optional(ctx.params, 'MarketInstanceId');
  if (id === undefined && marketId === undefined) required(ctx.params, 'ServiceInstanceId');
  const instance =
    id !== undefined
      ? ctx.core.state.instances[id]
      : Object.values(ctx.core.state.instances).find(
          (i) => i.MarketInstanceId === marketId && i.UserId === ctx.caller.accountId,
        );
  // The user API's GetServiceInstance has MarketInstanceId and Components; the supplier's has neither.
  return instanceView(ctx.core, mine(ctx, instance, id ?? marketId!), {
    api: 'user',
    action: 'GetServiceInstance',
  });
}

function remove(ctx: ActionContext) {
  const ids = list(ctx.params, 'ServiceInstanceId');
  if (ids.length === 0) required(ctx.params, 'ServiceInstanceId.1');
  const instances = ids.map((id) => mine(ctx, ctx.core.state.instances[id], id));
  for (const instance of instances) deleteInstance(ctx.core, instance);
  return {};
}
