import { rollbackInstance, upgradeInstance } from '../deploy/upgrade';
import { invalid } from '../errors';
import { owned } from './instances';
import { page } from './paging';
import { integer, json, optional, required } from './params';
import { read, write, type ActionContext, type ActionTable } from './registry';

/** Version upgrades of service instances (ComputeNestSupplier 2021-05-21), shaped by their models. */
export const supplierUpgradeActions: ActionTable = {
  UpgradeServiceInstance: write(upgrade),
  RollbackServiceInstance: write(rollback),
  ListServiceInstanceUpgradeHistory: read(history),
};

/** The model leaves ServiceInstanceId optional; an upgrade of no instance is refused as a missing one. */
function upgrade(ctx: ActionContext) {
  const instance = owned(ctx, required(ctx.params, 'ServiceInstanceId'));
  const dryRun = optional(ctx.params, 'DryRun');
  if (dryRun !== undefined && dryRun !== 'true' && dryRun !== 'false')
    throw invalid('DryRun', 'Expected true or false.');
  const { requiredParameters } = upgradeInstance(ctx.core, instance, {
    toVersion: optional(ctx.params, 'ServiceVersion'),
    parameters: json<Record<string, unknown>>(ctx.params, 'Parameters') ?? {},
    dryRun: dryRun === 'true',
  });
  return {
    ServiceInstanceId: instance.ServiceInstanceId,
    Status: instance.Status,
    ...(requiredParameters.length > 0 ? { UpgradeRequiredParameters: requiredParameters } : {}),
  };
}

function rollback(ctx: ActionContext) {
  const instance = owned(ctx, required(ctx.params, 'ServiceInstanceId'));
  rollbackInstance(ctx.core, instance);
  return { ServiceInstanceId: instance.ServiceInstanceId, Status: instance.Status };
}

/** [I] Newest first, as a history is usually read. */
function history(ctx: ActionContext) {
  const instance = owned(ctx, required(ctx.params, 'ServiceInstanceId'));
  const maxResults = integer(ctx.params, 'MaxResults', 20, 1, 100);
  const rows = [...(instance.UpgradeHistory ?? [])].reverse();
  const result = page(rows, maxResults, optional(ctx.params, 'NextToken'));
  return {
    UpgradeHistory: result.items.map((entry) => ({ ...entry })),
    NextToken: result.nextToken,
    TotalCount: rows.length,
    MaxResults: maxResults,
  };
}
