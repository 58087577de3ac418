import { CloudError, type SupplierApi } from '../cloud';
import type { ServiceModel } from '../../service-config/model';
import { CHANGE_EDITION_OPERATION, ORDER_PARAMETERS } from '../../cdk/hook-contract';
import type { EffectKind, InstanceRecord, LifecycleEvent } from './machine';
import { derivePassword, editionForSku, moduleParameters } from './order-parameters';
import type { Job } from './store/store';
import { hookTags, installationOfTags, isForeign, orderOfTags, TAG_KEYS, tagValue } from './tags';

/** What running an effect found out: events for the state machine, or "not finished, look again later". */
export interface EffectOutcome {
  events?: LifecycleEvent[];
  pollAfterMs?: number;
}

export interface EffectContext {
  supplier: SupplierApi;
  model: ServiceModel;
  serviceId: string;
  /** This installation's identity: tagged on every instance it creates, required of every one it deletes. */
  installationId: string;
  now: () => Date;
  pollMs: number;
  /** The store's instance secret, from which each instance's admin password is derived; never logged. */
  secret: string;
  /**
   * The fleet upgrade in progress (scripts/rollout): the instances it holds, which the hook leaves alone
   * until it lets go, and its target version, on which new orders are deployed meanwhile. Read from the
   * hook's database at each ask (see the worker's `held`).
   */
  rollout?: {
    isHeld(serviceInstanceId: string): Promise<boolean>;
    activeTargetVersion(): Promise<string | undefined>;
  };
}

/** An effect that must not be tried again (a safety refusal, a configuration error). */
export class PermanentEffectError extends Error {}

type Handler = (record: InstanceRecord, job: Job, ctx: EffectContext) => Promise<EffectOutcome>;

/** Seconds precision, as the API examples show EndTime (`2023-12-25T02:28:40Z`). */
const apiTime = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');
const token = (job: Job, suffix = '') =>
  `nk-${job.kind}-${job.instanceId}-${job.revision}${suffix}`.slice(0, 64);

const HANDLERS: Record<EffectKind, Handler> = {
  async createInstance(record, _job, ctx) {
    if (record.state !== 'provisioning' || record.serviceInstanceId) return {};
    const edition = editionForSku(ctx.model, record.skuId);
    if (!edition)
      return {
        events: [
          {
            type: 'deployFailed',
            at: ctx.now().toISOString(),
            reason: `SKU ${record.skuId} maps to no edition`,
          },
        ],
      };
    const { service } = ctx.model;
    const response = await ctx.supplier.createServiceInstance({
      ServiceId: ctx.serviceId,
      Name: `${service.instanceNamePrefix}${record.id}`,
      TemplateName: service.template.name,
      SpecificationName: edition.name,
      // During a rollout, the version it upgrades to; else the service's default. Read now, with the
      // create: a rollout started a moment earlier is seen (a read that fails fails the attempt, retried).
      ServiceVersion: await ctx.rollout?.activeTargetVersion(),
      Parameters: {
        [ORDER_PARAMETERS.zoneId]: service.deployZoneId,
        [ORDER_PARAMETERS.adminPassword]: derivePassword(ctx.secret, record.id),
        ...moduleParameters(ctx.model, edition, record.billingItems),
      },
      EndTime: record.expiresAt ? apiTime(record.expiresAt) : undefined,
      // The order and the service in tags: how a create that landed before a crash is found again
      // (ListServiceInstances filters by Tag, not by instance name) and how a delete proves ownership.
      Tag: hookTags(ctx.serviceId, record.id, ctx.installationId),
      // The same token for every attempt at this order: a create that timed out after the server
      // committed returns the instance it made instead of a second one.
      ClientToken: `nk-create-${record.id}`.slice(0, 64),
    });
    const serviceInstanceId = response.ServiceInstanceId;
    // Retried with the same ClientToken, so a second try answers the instance the first one made.
    if (!serviceInstanceId) throw new Error('CreateServiceInstance answered no ServiceInstanceId');
    return { events: [{ type: 'instanceCreated', at: ctx.now().toISOString(), serviceInstanceId }] };
  },

  async watchDeployment(record, _job, ctx) {
    if (!record.serviceInstanceId || record.state === 'deleting' || record.state === 'deleted') return {};
    if (record.outputs && record.state !== 'provisioning') return {};
    const instance = await ctx.supplier.getServiceInstance({ ServiceInstanceId: record.serviceInstanceId });
    const at = ctx.now().toISOString();
    if (instance.Status === 'Deployed')
      return { events: [{ type: 'deployed', at, outputs: parseOutputs(instance.Outputs) }] };
    if (instance.Status === 'DeployedFailed')
      return { events: [{ type: 'deployFailed', at, reason: instance.StatusDetail ?? 'deployment failed' }] };
    return { pollAfterMs: ctx.pollMs };
  },

  /**
   * An operator's retry of a failed deployment: ContinueDeployServiceInstance runs it again, and the
   * watch queued behind this job judges the outcome. Called only while the instance is DeployedFailed,
   * so a retried job whose call already went through (it is Deploying or further) calls nothing; the
   * ClientToken covers a call that timed out after the server accepted it. [I] The status leaves
   * DeployedFailed as the call is accepted, before the watch reads it.
   */
  async continueDeployment(record, job, ctx) {
    if (!record.serviceInstanceId || record.state !== 'provisioning') return {};
    const instance = await ctx.supplier.getServiceInstance({ ServiceInstanceId: record.serviceInstanceId });
    if (instance.Status !== 'DeployedFailed') return {};
    await ctx.supplier.continueDeployServiceInstance({
      ServiceInstanceId: record.serviceInstanceId,
      ClientToken: token(job),
    });
    return {};
  },

  async extendEndTime(record, _job, ctx) {
    if (!record.serviceInstanceId || !record.expiresAt) return {};
    // Setting an absolute EndTime is idempotent, so the call is safe to repeat without a ClientToken.
    await ctx.supplier.client.call(
      'UpdateServiceInstanceAttribute',
      { ServiceInstanceId: record.serviceInstanceId, EndTime: apiTime(record.expiresAt) },
      { safe: true },
    );
    return {};
  },

  async applyUpgrade(record, job, ctx) {
    const edition = editionForSku(ctx.model, record.skuId);
    if (!record.serviceInstanceId || !edition) return {};
    const status = (await ctx.supplier.getServiceInstance({ ServiceInstanceId: record.serviceInstanceId }))
      .Status;
    if (busy(status)) return { pollAfterMs: ctx.pollMs };
    if (status !== 'Deployed') return {}; // stopped or failed: the renewal that restarts it applies the change
    await ctx.supplier.updateServiceInstanceSpec({
      ServiceInstanceId: record.serviceInstanceId,
      PredefinedParametersName: edition.name,
      // [I] The operation named in OperationMetadata.ModifyParametersConfig of the service definition.
      OperationName: CHANGE_EDITION_OPERATION,
      Parameters: moduleParameters(ctx.model, edition, record.billingItems),
      ClientToken: token(job),
    });
    return {};
  },

  stopInstance: (record, job, ctx) => changePower(record, job, ctx, 'Stop'),
  startInstance: (record, job, ctx) => changePower(record, job, ctx, 'Start'),

  /**
   * Deletes and then watches until Deleted; a DeletedFailed instance is deleted again (a new attempt).
   * Without a known id (a create may have landed before a crash) the instance is looked up by its order
   * tag. Before any delete the instance must prove to be this record's: see `ownershipProblem`.
   */
  async deleteInstance(record, job, ctx) {
    if (record.state !== 'deleting') return {};
    const at = ctx.now().toISOString();
    const id = record.serviceInstanceId ?? (await findByOrderTag(ctx, record))?.ServiceInstanceId;
    if (!id) return { events: [{ type: 'deleted', at }] };
    const learnt: LifecycleEvent[] = record.serviceInstanceId
      ? []
      : [{ type: 'instanceCreated', at, serviceInstanceId: id }];
    const instance = await getOrGone(ctx, id);
    if (!instance || instance.Status === 'Deleted') return { events: [...learnt, { type: 'deleted', at }] };
    const problem = ownershipProblem(instance, record, ctx.serviceId, ctx.installationId);
    if (problem) throw new PermanentEffectError(`refusing to delete ${id}: ${problem}`);
    if (busy(instance.Status)) return { events: learnt, pollAfterMs: ctx.pollMs };
    if (instance.Status === 'DeletedFailed' && job.attempts === 0) {
      throw new CloudError(
        'DeletedFailed',
        instance.StatusDetail ?? 'the deletion failed',
        undefined,
        500,
        'DeleteServiceInstances',
      );
    }
    await ctx.supplier.deleteServiceInstances({
      ServiceInstanceId: [id],
      ClientToken: token(job, `-${job.attempts}`),
    });
    return { events: learnt, pollAfterMs: ctx.pollMs };
  },
};

/** Statuses in which an instance is in the middle of something and refuses other operations. */
const BUSY = new Set(['Created', 'Deploying', 'Stopping', 'Starting', 'Upgrading', 'Deleting']);
const busy = (status: string | undefined) => status === undefined || BUSY.has(status);

/**
 * Why an instance is not this record's to delete, or undefined when it is. It must be of this service;
 * one the hook created must carry this service's and this record's tags; one the hook adopted (a Compute
 * Nest-mode order, which Compute Nest deployed and the hook never tagged) must come from the Marketplace
 * [I: the supplier API shows no order id for it, so Source Market and the service are all there is].
 */
export function ownershipProblem(
  instance: { Service?: { ServiceId?: string }; Source?: string; Tags?: { Key?: string; Value?: string }[] },
  record: Pick<InstanceRecord, 'id' | 'source'>,
  serviceId: string,
  installationId?: string,
): string | undefined {
  const owner = instance.Service?.ServiceId;
  if (owner !== serviceId) return `it belongs to service ${owner ?? '(unknown)'}, not ${serviceId}`;
  if (installationId !== undefined && isForeign(instance.Tags, installationId))
    return `it was created by installation ${installationOfTags(instance.Tags)}, not this one (${installationId})`;
  if (record.source === 'computenest')
    return instance.Source === 'Market'
      ? undefined
      : `it is not a Marketplace order's instance (Source ${instance.Source ?? '(none)'})`;
  const order = orderOfTags(instance.Tags, serviceId);
  if (order === record.id) return undefined;
  const tagged = tagValue(instance.Tags, TAG_KEYS.order);
  return tagged === undefined
    ? `it carries no ${TAG_KEYS.order} tag of this service, so the hook did not create it`
    : `its tags name order ${tagged}, not ${record.id}`;
}

/** Stops or starts an instance once it is settled; nothing when it already is where it should be. */
async function changePower(
  record: InstanceRecord,
  job: Job,
  ctx: EffectContext,
  operation: 'Stop' | 'Start',
): Promise<EffectOutcome> {
  if (!record.serviceInstanceId) return {};
  const status = (await ctx.supplier.getServiceInstance({ ServiceInstanceId: record.serviceInstanceId }))
    .Status;
  if (busy(status)) return { pollAfterMs: ctx.pollMs };
  const request = { ServiceInstanceId: record.serviceInstanceId, ClientToken: token(job) };
  if (operation === 'Stop' && status === 'Deployed') await ctx.supplier.stopServiceInstance(request);
  if (operation === 'Start' && status === 'Stopped') await ctx.supplier.startServiceInstance(request);
  return {};
}

export function runEffect(record: InstanceRecord, job: Job, ctx: EffectContext): Promise<EffectOutcome> {
  return HANDLERS[job.kind](record, job, ctx);
}

/** The instance the hook created for a record, found by its order and service tags, if there is one. */
export async function findByOrderTag(
  ctx: Pick<EffectContext, 'supplier' | 'serviceId' | 'installationId'>,
  record: { id: string },
) {
  const page = await ctx.supplier.listServiceInstances({
    Filter: [{ Name: 'ServiceId', Value: [ctx.serviceId] }],
    Tag: hookTags(ctx.serviceId, record.id),
    MaxResults: 100,
  });
  return (page.ServiceInstances ?? []).find(
    (i) => orderOfTags(i.Tags, ctx.serviceId, ctx.installationId) === record.id && i.Status !== 'Deleted',
  );
}

async function getOrGone(ctx: EffectContext, serviceInstanceId: string) {
  try {
    return await ctx.supplier.getServiceInstance({ ServiceInstanceId: serviceInstanceId });
  } catch (error) {
    if (error instanceof CloudError && error.code.startsWith('EntityNotExist')) return undefined;
    throw error;
  }
}

/** `Outputs` is a JSON string of output key → value (ROS mode carries every template output). */
export function parseOutputs(outputs: string | undefined): Record<string, string> {
  if (!outputs) return {};
  try {
    const parsed = JSON.parse(outputs) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
  } catch {
    return {};
  }
}
