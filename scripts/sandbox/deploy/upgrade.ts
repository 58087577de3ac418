import { denied, invalid } from '../errors';
import type { SandboxCore } from '../core';
import type { InstanceRecord, ServiceVersionRecord, UpgradeHistoryRecord } from '../state';
import { findVersion } from '../api/services';
import { loadTemplate } from './template-source';
import { parameterProblems, planDeployment } from './validate';
import { parseJson } from './engine';

/**
 * Version upgrades of a deployed instance (UpgradeServiceInstance, RollbackServiceInstance), on the
 * virtual clock. [I] What Compute Nest does is documented only in outline (compute-nest.md section 2):
 * the target version's `UpgradeMetadata.SupportUpgradeFromVersions` limits the source versions (empty:
 * any older version), `SupportRollback` allows the rollback, and the stack is updated to the new
 * template. The guesses are each one line below.
 */
export interface UpgradeMetadata {
  SupportRollback?: boolean;
  SupportUpgradeFromVersions?: string[];
  UpgradeComponents?: string[];
  Description?: string;
}

/** [I] How long a stack update takes, and its rollback: as long as a deployment. */
const upgradeMs = (core: SandboxCore) => core.timings.deploySeconds * 1000;

export interface UpgradeRequest {
  toVersion?: string;
  parameters: Record<string, unknown>;
  dryRun: boolean;
}

/** Starts an upgrade (or only checks it, with DryRun); answers the parameters the target still needs. */
export function upgradeInstance(
  core: SandboxCore,
  instance: InstanceRecord,
  request: UpgradeRequest,
): { requiredParameters: string[] } {
  const service = core.state.services[instance.ServiceId];
  if (!service) throw invalid('ServiceInstanceId', 'The instance has no service any more.');
  const target = findVersion(service, request.toVersion);
  const refusal = upgradeRefusal(instance, target, service.versions[instance.ServiceVersion]?.VersionName);
  if (refusal) throw denied(refusal.code, refusal.message);
  const checked = checkAgainst(core, target, instance, request.parameters);
  if (checked.missing.length > 0 && request.dryRun) return { requiredParameters: checked.missing };
  if (checked.problems.length > 0) throw invalid('Parameters', checked.problems.join('; '));
  if (request.dryRun) return { requiredParameters: [] };
  const history = (instance.UpgradeHistory ??= []);
  history.push({
    UpgradeHistoryId: core.newId('uh-', 8),
    // [I] The model documents no values for Type; `Upgrade` and `Rollback` are the sandbox's words.
    Type: 'Upgrade',
    FromVersion: instance.ServiceVersion,
    ToVersion: target.Version,
    Status: 'upgrading',
    StartTime: core.iso(),
  });
  instance.PreviousVersion = instance.ServiceVersion;
  instance.PreviousParameters = instance.Parameters;
  instance.ServiceVersion = target.Version;
  instance.Parameters = checked.parameters;
  move(core, instance, 'Upgrading', '');
  core.schedule('instance.upgraded', instance.ServiceInstanceId, core.now() + upgradeMs(core));
  return { requiredParameters: [] };
}

/** Why the instance cannot move to `target`, as a Compute Nest error code and message; none when it can. */
export function upgradeRefusal(
  instance: Pick<InstanceRecord, 'Status' | 'ServiceVersion' | 'BizStatus'>,
  target: ServiceVersionRecord,
  fromVersionName?: string,
): { code: string; message: string } | undefined {
  if (instance.Status !== 'Deployed')
    return {
      code: 'ServiceInstanceStatus',
      message: `Cannot upgrade an instance that is ${instance.Status}.`,
    };
  // [I] An expired instance is not upgraded: it is to be renewed or released.
  if (instance.BizStatus === 'Expired')
    return { code: 'ServiceInstanceExpired', message: 'Cannot upgrade an expired instance.' };
  if (target.Version === 'draft' || target.Status !== 'Online')
    return {
      code: 'ServiceVersionStatus',
      message: `Version ${target.Version} is ${target.Status}, not Online.`,
    };
  if (target.Version === instance.ServiceVersion)
    return { code: 'SameVersion', message: `The instance already runs version ${target.Version}.` };
  const metadata = parseJson(target.fields.UpgradeMetadata) as UpgradeMetadata | undefined;
  // [I] A version without UpgradeMetadata offers no upgrade.
  if (!metadata)
    return { code: 'UpgradeNotSupported', message: `Version ${target.Version} has no UpgradeMetadata.` };
  const from = metadata.SupportUpgradeFromVersions ?? [];
  // [I] An empty list allows every older version; a downgrade is never an upgrade.
  // [I] An entry names a version by its number or by the VersionName it was released under (`1.3.0`
  // for `1.3.0-<hash>`, as nestkit publish names versions).
  const names = (entry: string) =>
    entry === instance.ServiceVersion ||
    fromVersionName === entry ||
    (fromVersionName?.startsWith(`${entry}-`) ?? false);
  const allowed = from.length > 0 ? from.some(names) : older(instance.ServiceVersion, target.Version);
  if (!allowed)
    return {
      code: 'UpgradeNotSupported',
      message: `Version ${target.Version} cannot be reached from version ${instance.ServiceVersion} (SupportUpgradeFromVersions: ${from.join(', ') || 'any older'}).`,
    };
  return undefined;
}

const older = (from: string, to: string) => Number(from) < Number(to);

/**
 * The versions an instance could be upgraded to, oldest first, as `GetServiceInstance` lists them under
 * `Service` (`UpgradableServiceVersions`, `UpgradableServiceInfos`): every version `upgradeRefusal`
 * would let it reach. [I] The list follows the versions' rules only, whatever the instance's own
 * status: one that is deploying or expired lists what it could move to once it may.
 */
export function upgradableVersions(
  versions: Record<string, ServiceVersionRecord>,
  instance: Pick<InstanceRecord, 'ServiceVersion'>,
): ServiceVersionRecord[] {
  const from = versions[instance.ServiceVersion]?.VersionName;
  const asDeployed = { Status: 'Deployed', BizStatus: 'Normal', ServiceVersion: instance.ServiceVersion };
  return Object.values(versions)
    .filter((v) => !upgradeRefusal(asDeployed, v, from))
    .sort((a, b) => Number(a.Version) - Number(b.Version));
}

/** The instance's parameters, with the request's over them, checked against the target's template. */
function checkAgainst(
  core: SandboxCore,
  target: ServiceVersionRecord,
  instance: InstanceRecord,
  given: Record<string, unknown>,
): { problems: string[]; missing: string[]; parameters: Record<string, unknown> } {
  const planned = planDeployment(
    parseJson(target.fields.DeployMetadata),
    {
      templateName: instance.TemplateName,
      planName: instance.SpecificationName,
      parameters: { ...instance.Parameters, ...given },
    },
    target.ServiceType,
  );
  if (!planned.ok) return { problems: planned.reasons, missing: [], parameters: {} };
  const { template, problem } = loadTemplate(core.state, planned.config.Url);
  if (!template) return { problems: [problem!], missing: [], parameters: {} };
  const problems = parameterProblems(template, planned.parameters);
  const missing = Object.entries(template.Parameters ?? {})
    .filter(([name, p]) => p?.Default === undefined && planned.parameters[name] === undefined)
    .map(([name]) => name);
  return { problems, missing, parameters: planned.parameters };
}

/** Rolls an upgraded instance back to the version it had before its last upgrade. */
export function rollbackInstance(core: SandboxCore, instance: InstanceRecord): void {
  const last = instance.UpgradeHistory?.filter((h) => h.Type === 'Upgrade').pop();
  if (!last || !instance.PreviousVersion)
    throw denied('RollbackNotSupported', 'The instance has no upgrade to roll back.');
  // [I] A rollback follows a finished upgrade, failed or not; never one in progress.
  if (instance.Status !== 'Deployed' && instance.Status !== 'DeployedFailed')
    throw denied('ServiceInstanceStatus', `Cannot roll back an instance that is ${instance.Status}.`);
  const version = core.state.services[instance.ServiceId]?.versions[instance.ServiceVersion];
  const metadata = parseJson(version?.fields.UpgradeMetadata) as UpgradeMetadata | undefined;
  if (metadata?.SupportRollback !== true)
    throw denied('RollbackNotSupported', `Version ${instance.ServiceVersion} does not support rollback.`);
  instance.UpgradeHistory!.push({
    UpgradeHistoryId: core.newId('uh-', 8),
    Type: 'Rollback',
    FromVersion: instance.ServiceVersion,
    ToVersion: instance.PreviousVersion,
    Status: 'upgrading',
    StartTime: core.iso(),
  });
  move(core, instance, 'UpgradeRollbacking', '');
  core.schedule('instance.rolledBack', instance.ServiceInstanceId, core.now() + upgradeMs(core));
}

export function registerUpgradeTimers(core: SandboxCore): void {
  core.onTimer('instance.upgraded', (timer) => finishUpgrade(core, core.state.instances[timer.ref]));
  core.onTimer('instance.rolledBack', (timer) => finishRollback(core, core.state.instances[timer.ref]));
}

function finishUpgrade(core: SandboxCore, instance: InstanceRecord | undefined): void {
  if (!instance || instance.Status !== 'Upgrading') return;
  const entry = instance.UpgradeHistory?.at(-1);
  // [I] A failed stack update leaves the instance DeployedFailed on the new version; a rollback restores it.
  if (core.faults.take('upgradeFail', 'UpgradeServiceInstance')) {
    move(core, instance, 'DeployedFailed', 'Stack update failed: injected fault upgradeFail');
    close(core, entry, 'UpgradeFailed', 'injected fault upgradeFail');
    return;
  }
  move(core, instance, 'Deployed', 'upgrade successfully');
  close(core, entry, 'UpgradeSuccessful', 'ok');
}

function finishRollback(core: SandboxCore, instance: InstanceRecord | undefined): void {
  if (!instance || instance.Status !== 'UpgradeRollbacking') return;
  instance.ServiceVersion = instance.PreviousVersion ?? instance.ServiceVersion;
  instance.Parameters = instance.PreviousParameters ?? instance.Parameters;
  instance.PreviousVersion = undefined;
  instance.PreviousParameters = undefined;
  move(core, instance, 'Deployed', 'rollback successfully');
  close(core, instance.UpgradeHistory?.at(-1), 'UpgradeSuccessful', 'rolled back');
}

function close(
  core: SandboxCore,
  entry: UpgradeHistoryRecord | undefined,
  status: UpgradeHistoryRecord['Status'],
  results: string,
): void {
  if (!entry) return;
  entry.Status = status;
  entry.EndTime = core.iso();
  entry.Results = results;
}

function move(core: SandboxCore, instance: InstanceRecord, status: string, detail: string): void {
  instance.Status = status;
  instance.StatusDetail = detail;
  instance.UpdateTime = core.iso();
}
