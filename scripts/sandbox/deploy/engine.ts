import { denied, invalid, notFound } from '../errors';
import type { SandboxCore } from '../core';
import type { InstanceRecord, ServiceRecord, ServiceVersionRecord } from '../state';
import { findVersion } from '../api/services';
import { canApply, FAILED_STATUS, nextStatus } from './lifecycle';
import { artifactProblems } from './artifact-placeholders';
import { loadTemplate } from './template-source';
import type { RosTemplate } from '../../../cdk/ros/template';
import { parameterProblems, planDeployment } from './validate';

/** What creating an instance needs, whichever API (supplier, user, Marketplace) asks. */
export interface InstanceOrder {
  serviceId: string;
  serviceVersion?: string;
  name?: string;
  templateName?: string;
  specificationName?: string;
  specificationCode?: string;
  parameters: Record<string, unknown>;
  endTime?: string;
  userId: string;
  creatorAccountId: string;
  source: InstanceRecord['Source'];
  marketInstanceId?: string;
  orderId?: string;
  components?: Record<string, string>;
  tags?: { Key: string; Value: string }[];
  payType?: string;
}

export function createInstance(
  core: SandboxCore,
  service: ServiceRecord,
  order: InstanceOrder,
): InstanceRecord {
  const version = deployableVersion(service, order.serviceVersion);
  const mapping = mapSpecification(version, order);
  const now = core.iso();
  const id = core.newId('si-');
  const instance: InstanceRecord = {
    ServiceInstanceId: id,
    Name: order.name ?? id,
    Status: 'Created',
    StatusDetail: '',
    BizStatus: 'Normal',
    Progress: 0,
    ServiceId: service.ServiceId,
    ServiceVersion: version.Version,
    TemplateName: mapping.templateName,
    SpecificationName: mapping.specificationName,
    SpecificationCode: order.specificationCode,
    Parameters: order.parameters,
    Components: order.components,
    MarketInstanceId: order.marketInstanceId,
    OrderId: order.orderId,
    Tags: order.tags ?? [],
    PayType: order.payType ?? (order.endTime ? 'CustomFixTime' : 'Permanent'),
    Source: order.source,
    UserId: order.userId,
    CreatorAccountId: order.creatorAccountId,
    EndTime: order.endTime,
    CreateTime: now,
    UpdateTime: now,
  };
  core.state.instances[id] = instance;
  core.schedule('instance.deploy', id, core.now() + core.timings.deployStartSeconds * 1000);
  scheduleExpiry(core, instance);
  return instance;
}

/** [I] Without ServiceVersion: the default (online) version, else the newest, else the draft. */
function deployableVersion(service: ServiceRecord, version: string | undefined): ServiceVersionRecord {
  return findVersion(service, version);
}

/** A Marketplace SKU (SpecificationCode) names a template and plan through the version's Commodity. */
function mapSpecification(version: ServiceVersionRecord, order: InstanceOrder) {
  if (order.specificationCode === undefined) {
    return { templateName: order.templateName, specificationName: order.specificationName };
  }
  const mapping = version.Commodity?.SpecificationMappings?.find(
    (m) => m.SpecificationCode === order.specificationCode,
  );
  if (!mapping) {
    throw invalid(
      'SpecificationCode',
      `${order.specificationCode} is not mapped by version ${version.Version} of the service.`,
    );
  }
  return { templateName: mapping.TemplateName, specificationName: mapping.SpecificationName };
}

export function findInstance(core: SandboxCore, id: string): InstanceRecord {
  const instance = core.state.instances[id];
  if (!instance) throw notFound('ServiceInstance', id);
  return instance;
}

export function deleteInstance(core: SandboxCore, instance: InstanceRecord): void {
  if (instance.Status === 'Deleting' || instance.Status === 'Deleted') return;
  move(core, instance, 'Deleting', '');
  core.cancel('instance.deploy', instance.ServiceInstanceId);
  core.cancel('instance.deployed', instance.ServiceInstanceId);
  core.schedule(
    'instance.delete',
    instance.ServiceInstanceId,
    core.now() + core.timings.deleteSeconds * 1000,
  );
}

export function setEndTime(core: SandboxCore, instance: InstanceRecord, endTime: string): void {
  instance.EndTime = endTime;
  instance.UpdateTime = core.iso();
  core.cancel('instance.expire', instance.ServiceInstanceId);
  // [I] Extending past now makes an expired instance Normal again (a renewal).
  if (Date.parse(endTime) > core.now() && instance.BizStatus === 'Expired') instance.BizStatus = 'Normal';
  scheduleExpiry(core, instance);
}

function scheduleExpiry(core: SandboxCore, instance: InstanceRecord): void {
  if (instance.EndTime === undefined) return;
  core.schedule(
    'instance.expire',
    instance.ServiceInstanceId,
    Math.max(core.now(), Date.parse(instance.EndTime)),
  );
}

/** Start/Stop need the template's StatusOperationConfigs to list the operation. [I] the check mirrors the console. */
export function operate(
  core: SandboxCore,
  instance: InstanceRecord,
  operation: 'Start' | 'Stop' | 'Restart',
): void {
  const version = core.state.services[instance.ServiceId]?.versions[instance.ServiceVersion];
  const metadata = parseJson(version?.fields.OperationMetadata) as
    { StatusOperationConfigs?: { TemplateName?: string; SupportOperations?: string[] }[] } | undefined;
  const supported = (metadata?.StatusOperationConfigs ?? []).some(
    (c) =>
      (c.TemplateName === undefined || c.TemplateName === instance.TemplateName) &&
      (c.SupportOperations ?? []).includes(operation),
  );
  if (!supported)
    throw denied(
      'OperationNotSupported',
      `The service does not support ${operation} for template ${instance.TemplateName ?? ''}.`,
    );
  const op = operation === 'Stop' ? 'stop' : operation === 'Start' ? 'start' : 'restart';
  if (!canApply(instance.Status, op))
    throw denied(
      'ServiceInstanceStatus',
      `Cannot ${operation.toLowerCase()} an instance that is ${instance.Status}.`,
    );
  move(core, instance, nextStatus(op), '');
  core.schedule(
    `instance.${op === 'stop' ? 'stop' : 'start'}`,
    instance.ServiceInstanceId,
    core.now() + core.timings.operationSeconds * 1000,
  );
}

/** A change of plan and parameters, as UpdateServiceInstanceSpec asks. */
export interface SpecChange {
  operationName?: string;
  planName?: string;
  parameters: Record<string, unknown>;
}

/**
 * Changes a deployed instance's plan and parameters: the operation must be one the version's
 * ModifyParametersConfig offers for the template [I], and the new values must pass the same checks as a
 * deployment, else nothing changes and the call fails.
 */
export function updateSpec(core: SandboxCore, instance: InstanceRecord, change: SpecChange): void {
  const version = core.state.services[instance.ServiceId]?.versions[instance.ServiceVersion];
  const metadata = parseJson(version?.fields.OperationMetadata) as
    { ModifyParametersConfig?: { TemplateName?: string; Operation?: { Name?: string }[] }[] } | undefined;
  const offered = (metadata?.ModifyParametersConfig ?? [])
    .filter((c) => c.TemplateName === undefined || c.TemplateName === instance.TemplateName)
    .flatMap((c) => (c.Operation ?? []).map((o) => o.Name));
  if (change.operationName !== undefined && !offered.includes(change.operationName)) {
    throw invalid(
      'OperationName',
      `The service offers no operation ${change.operationName} (offered: ${offered.join(', ') || 'none'}).`,
    );
  }
  if (!canApply(instance.Status, 'modify')) {
    throw denied(
      'ServiceInstanceStatus',
      `Cannot change the specification of an instance that is ${instance.Status}.`,
    );
  }
  const changed = {
    ...instance,
    SpecificationName: change.planName ?? instance.SpecificationName,
    Parameters: { ...instance.Parameters, ...change.parameters },
  };
  const checked = version
    ? checkOrder(core, version, changed)
    : { problems: ['the service version no longer exists'] };
  if (checked.problems.length > 0) throw invalid('Parameters', checked.problems.join('; '));
  instance.SpecificationName = changed.SpecificationName;
  instance.Parameters = checked.parameters!;
  move(core, instance, nextStatus('modify'), '');
  core.schedule(
    'instance.modified',
    instance.ServiceInstanceId,
    core.now() + core.timings.operationSeconds * 1000,
  );
}

function move(core: SandboxCore, instance: InstanceRecord, status: string, detail: string): void {
  instance.Status = status;
  instance.StatusDetail = detail;
  instance.UpdateTime = core.iso();
}

/** The timers that move instances along on the virtual clock. */
export function registerInstanceTimers(core: SandboxCore): void {
  core.onTimer('instance.deploy', (timer) => startDeploy(core, core.state.instances[timer.ref]));
  core.onTimer('instance.deployed', (timer) => finishDeploy(core, core.state.instances[timer.ref]));
  core.onTimer('instance.delete', (timer) => finishDelete(core, core.state.instances[timer.ref]));
  core.onTimer('instance.stop', (timer) =>
    finishOperation(core, core.state.instances[timer.ref], 'finishStop'),
  );
  core.onTimer('instance.start', (timer) =>
    finishOperation(core, core.state.instances[timer.ref], 'finishStart'),
  );
  core.onTimer('instance.expire', (timer) => expire(core, core.state.instances[timer.ref], timer.atMs));
  core.onTimer('instance.modified', (timer) =>
    finishOperation(core, core.state.instances[timer.ref], 'finishModify'),
  );
}

/**
 * ContinueDeployServiceInstance: a `DeployedFailed` instance deploys again, with the given parameters over
 * its own, through the same checks as its first deployment. Refused in any other status.
 */
export function continueDeploy(
  core: SandboxCore,
  instance: InstanceRecord,
  parameters: Record<string, unknown>,
  dryRun = false,
): void {
  if (!canApply(instance.Status, 'continueDeploy'))
    throw denied(
      'ServiceInstanceStatus',
      `Cannot continue the deployment of an instance that is ${instance.Status}.`,
    );
  if (dryRun) return;
  instance.Parameters = { ...instance.Parameters, ...parameters };
  startDeploy(core, instance, 'continueDeploy');
}

/** Deploying fetches the version's template and validates the order against it. */
function startDeploy(
  core: SandboxCore,
  instance: InstanceRecord | undefined,
  operation: 'startDeploy' | 'continueDeploy' = 'startDeploy',
): void {
  if (!instance || !canApply(instance.Status, operation)) return;
  move(core, instance, 'Deploying', '');
  instance.Progress = 10;
  const version = core.state.services[instance.ServiceId]?.versions[instance.ServiceVersion];
  const checked = version
    ? checkOrder(core, version, instance)
    : { problems: [`service version ${instance.ServiceVersion} no longer exists`] };
  if (checked.problems.length > 0) {
    fail(core, instance, FAILED_STATUS[operation]!, checked.problems.join('; '));
    return;
  }
  instance.Parameters = checked.parameters!;
  instance.TemplateName = checked.templateName;
  instance.Outputs = outputsOf(checked.template!, instance.ServiceInstanceId);
  core.schedule(
    'instance.deployed',
    instance.ServiceInstanceId,
    core.now() + core.timings.deploySeconds * 1000,
  );
}

function checkOrder(core: SandboxCore, version: ServiceVersionRecord, instance: InstanceRecord) {
  const planned = planDeployment(
    parseJson(version.fields.DeployMetadata),
    {
      templateName: instance.TemplateName,
      planName: instance.SpecificationName,
      parameters: instance.Parameters,
    },
    version.ServiceType,
  );
  if (!planned.ok) return { problems: planned.reasons };
  const { template, problem } = loadTemplate(core.state, planned.config.Url);
  if (!template) return { problems: [problem!] };
  const owner = core.state.services[instance.ServiceId]?.AccountId ?? instance.CreatorAccountId;
  return {
    problems: [
      ...artifactProblems(core, owner, parseJson(version.fields.DeployMetadata), template),
      ...parameterProblems(template, planned.parameters),
    ],
    parameters: planned.parameters,
    template,
    templateName: planned.config.Name,
  };
}

function finishDeploy(core: SandboxCore, instance: InstanceRecord | undefined): void {
  if (!instance || !canApply(instance.Status, 'finishDeploy')) return;
  if (core.faults.take('deployFail', 'CreateServiceInstance')) {
    fail(core, instance, FAILED_STATUS.finishDeploy!, 'Stack creation failed: injected fault deployFail');
    return;
  }
  move(core, instance, 'Deployed', 'deploy successfully');
  instance.Progress = 100;
  instance.Resources = [{ StackId: `stack-${instance.ServiceInstanceId.slice(3)}`, RegionId: 'cn-hangzhou' }];
}

function finishDelete(core: SandboxCore, instance: InstanceRecord | undefined): void {
  if (!instance || !canApply(instance.Status, 'finishDelete')) return;
  if (core.faults.take('deleteFail', 'DeleteServiceInstances')) {
    fail(core, instance, FAILED_STATUS.finishDelete!, 'Stack deletion failed: injected fault deleteFail');
    return;
  }
  move(core, instance, 'Deleted', '');
  core.cancel('instance.expire', instance.ServiceInstanceId);
}

function finishOperation(
  core: SandboxCore,
  instance: InstanceRecord | undefined,
  op: 'finishStop' | 'finishStart' | 'finishModify',
): void {
  if (!instance || !canApply(instance.Status, op)) return;
  move(core, instance, nextStatus(op), '');
}

function expire(core: SandboxCore, instance: InstanceRecord | undefined, atMs: number): void {
  if (!instance?.EndTime || Date.parse(instance.EndTime) > atMs || instance.Status === 'Deleted') return;
  instance.BizStatus = 'Expired';
  instance.UpdateTime = core.iso();
}

function fail(core: SandboxCore, instance: InstanceRecord, status: string, reason: string): void {
  move(core, instance, status, reason);
  instance.Progress = 100;
}

/** [I] The sandbox creates no resources: a literal output is kept, any other becomes a placeholder. */
function outputsOf(template: RosTemplate, id: string): Record<string, unknown> {
  const outputs: Record<string, unknown> = {};
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    const value = output?.Value;
    outputs[key] =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : `sandbox://${id}/${key}`;
  }
  return outputs;
}

export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
