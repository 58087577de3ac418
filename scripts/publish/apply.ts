import { uploadToOss, type SupplierApi } from '../cloud';
import type { CallRecorder } from './calls';
import { clientToken } from './client-token';
import { deployMetadataWithUrls, type DesiredService } from './desired';
import { PublishError } from './errors';
import { commodityMatches, DRAFT, PublishConflict, type PublishPlan, type Step } from './plan';
import type { RemoteRead } from './remote';
import { listAll } from './remote';
import { waitForApproval, type ApprovalOptions } from './wait-approval';

export interface ApplyDeps {
  api: SupplierApi;
  calls: CallRecorder;
  /** The object store's base URL when the endpoint is overridden (a sandbox); else the public OSS host. */
  objectStoreUrl?: string;
  approval: ApprovalOptions;
  progress: (line: string) => void;
}

export interface ApplyOutcome {
  serviceId: string;
  version: string;
  status: string;
}

/** Where a run stands while it applies the plan: the service and version it acts on, and uploaded Urls. */
interface Progress {
  serviceId?: string;
  version: string;
  status: string;
  urls: Map<string, string>;
}

const CONTENT_STEPS = new Set<Step['kind']>(['upload', 'createService', 'updateDraft', 'setCommodity']);

/**
 * Executes the plan step by step. Every write carries a ClientToken derived from the content hash, so an
 * answer lost on the wire is answered again rather than acted on twice; the result is read back.
 */
export async function applyPlan(
  desired: DesiredService,
  remote: RemoteRead,
  plan: PublishPlan,
  deps: ApplyDeps,
): Promise<ApplyOutcome> {
  const holder = remote.versions.find((v) => v.version === plan.version);
  const at: Progress = {
    serviceId: remote.serviceId,
    version: plan.version,
    status: holder?.status ?? 'Draft',
    urls: new Map(),
  };
  for (const [index, step] of plan.steps.entries()) {
    deps.progress(`[${index + 1}/${plan.steps.length}] ${describeStep(step, desired)}`);
    await STEPS[step.kind](step, { desired, remote, deps, at });
    const next = plan.steps[index + 1];
    if (CONTENT_STEPS.has(step.kind) && (!next || !CONTENT_STEPS.has(next.kind)))
      await verifyContent({ desired, remote, deps, at });
  }
  return { serviceId: at.serviceId as string, version: at.version, status: at.status };
}

interface StepContext {
  desired: DesiredService;
  remote: RemoteRead;
  deps: ApplyDeps;
  at: Progress;
}

type Executor = (step: Step, ctx: StepContext) => Promise<void>;

const STEPS: Record<Step['kind'], Executor> = {
  upload: (step, ctx) => upload((step as { file: string }).file, ctx),
  createService: (_step, ctx) => createService(ctx),
  updateDraft: (_step, ctx) => updateDraft(ctx),
  setCommodity: (_step, ctx) => setCommodity(ctx),
  register: (_step, ctx) => register(ctx),
  waitApproval: (_step, ctx) => waitApproval(ctx),
  prelaunch: (_step, ctx) => goLive(ctx, 'PreLaunchService', 'Beta'),
  launch: (_step, ctx) => goLive(ctx, 'LaunchService', 'Online'),
};

export function describeStep(step: Step, desired: DesiredService): string {
  switch (step.kind) {
    case 'upload':
      return `upload ${step.file} (GetUploadCredentials, then a PUT to the object store)`;
    case 'createService':
      return step.serviceId
        ? `CreateService: a new draft ${desired.versionName} of ${step.serviceId}`
        : `CreateService: a new service "${desired.name}", draft ${desired.versionName}`;
    case 'updateDraft':
      return `UpdateService: replace the draft with ${desired.versionName}`;
    case 'setCommodity':
      return `UpdateService: Marketplace SKU mappings of version ${step.version}`;
    case 'register':
      return `RegisterService: submit ${desired.versionName} for review`;
    case 'waitApproval':
      return `wait for the review of ${desired.versionName}`;
    case 'prelaunch':
      return `PreLaunchService: pre-release ${desired.versionName} (Beta)`;
    case 'launch':
      return `LaunchService: publish ${desired.versionName} (Online)`;
  }
}

async function upload(file: string, { desired, deps, at }: StepContext): Promise<void> {
  const template = desired.templates.find((t) => t.file === file);
  if (!template) throw new Error(`no synthesized template ${file}`);
  const request = { FileName: file };
  const { Data } = await deps.calls.call('GetUploadCredentials', true, request, () =>
    deps.api.getUploadCredentials(request),
  );
  const put = { FileName: file };
  const { ossUrl } = await deps.calls.call('PutObject', true, put, async () => ({
    RequestId: undefined,
    ...(await uploadToOss(Data, template.content, {
      endpointOverrideUrl: deps.objectStoreUrl,
      contentType: 'application/json',
    })),
  }));
  at.urls.set(file, ossUrl);
}

/** CreateService / UpdateService fields of the service definition, with the uploaded template Urls. */
function serviceFields(desired: DesiredService, urls: Map<string, string>) {
  const { Service } = desired.definition;
  return {
    VersionName: desired.versionName,
    DeployType: Service.DeployType,
    ServiceType: Service.ServiceType,
    ServiceInfo: Service.ServiceInfo,
    DeployMetadata: deployMetadataWithUrls(desired.definition, urls),
    OperationMetadata: Service.OperationMetadata,
    LicenseMetadata: Service.LicenseMetadata,
  };
}

/** The version as it was read: its last write and what it held. */
function basis(ctx: StepContext, version: string): string {
  const found = ctx.remote.versions.find((v) => v.version === version);
  return found ? `${found.updateTime ?? ''}/${found.versionName ?? ''}` : '';
}

/** The newest write to any version of the service as read: a new version starts from that state. */
function latestWrite(ctx: StepContext): string {
  return ctx.remote.versions.reduce(
    (latest, v) => ((v.updateTime ?? '') > latest ? v.updateTime! : latest),
    '',
  );
}

async function createService(ctx: StepContext): Promise<void> {
  const { desired, deps, at } = ctx;
  const request = {
    ...serviceFields(desired, at.urls),
    ServiceId: at.serviceId,
    ClientToken: clientToken(
      desired.contentHash,
      'CreateService',
      at.serviceId ?? desired.name,
      latestWrite(ctx),
    ),
  };
  const created = await deps.calls.call('CreateService', true, request, () =>
    deps.api.createService(request),
  );
  Object.assign(at, { serviceId: created.ServiceId, version: DRAFT, status: 'Draft' });
}

async function updateDraft(ctx: StepContext): Promise<void> {
  const { desired, deps, at } = ctx;
  const request = {
    ...serviceFields(desired, at.urls),
    ServiceId: at.serviceId as string,
    ServiceVersion: DRAFT,
    ClientToken: clientToken(desired.contentHash, 'UpdateService', at.serviceId, DRAFT, basis(ctx, DRAFT)),
  };
  await deps.calls.call('UpdateService', true, request, () => deps.api.updateService(request));
  Object.assign(at, { version: DRAFT, status: 'Draft' });
}

async function setCommodity(ctx: StepContext): Promise<void> {
  const { desired, deps, at } = ctx;
  const request = {
    ServiceId: at.serviceId as string,
    ServiceVersion: at.version,
    Commodity: desired.definition.Commodity,
    ClientToken: clientToken(
      desired.contentHash,
      'Commodity',
      at.serviceId,
      at.version,
      basis(ctx, at.version),
    ),
  };
  await deps.calls.call('UpdateService', true, request, () => deps.api.updateService(request));
}

/** Reads the version back: it must carry the desired VersionName and mappings, or something raced us. */
async function verifyContent({ desired, deps, at }: StepContext): Promise<void> {
  const request = { ServiceId: at.serviceId as string, ServiceVersion: at.version };
  const read = await deps.calls.call('GetService', false, request, () => deps.api.getService(request));
  if (read.VersionName !== desired.versionName || !commodityMatches(read.Commodity, desired)) {
    throw new PublishConflict(
      `version ${at.version} of ${at.serviceId} reads back as ${read.VersionName ?? 'unnamed'} ` +
        `with other mappings than sent; another publish may have run at the same time: run nestkit publish again`,
    );
  }
  at.status = read.Status;
}

async function register(ctx: StepContext): Promise<void> {
  const { desired, deps, at } = ctx;
  const request = {
    ServiceId: at.serviceId as string,
    ClientToken: clientToken(desired.contentHash, 'RegisterService', at.serviceId, latestWrite(ctx)),
  };
  await deps.calls.call('RegisterService', true, request, () => deps.api.registerService(request));
  at.status = 'Submitted';
}

/** RegisterService does not return the new version number: it is found by VersionName. */
async function findByName(ctx: StepContext) {
  const { desired, deps, at } = ctx;
  const versions = await listAll(deps.api, deps.calls, {
    AllVersions: true,
    Filter: [{ Name: 'ServiceId', Value: [at.serviceId as string] }],
  });
  const found = versions.find((v) => v.VersionName === desired.versionName && v.Version !== DRAFT);
  return found && { version: found.Version, versionName: found.VersionName, status: found.Status };
}

async function waitApproval(ctx: StepContext): Promise<void> {
  const approved = await waitForApproval(() => findByName(ctx), ctx.deps.approval, ctx.deps.progress);
  Object.assign(ctx.at, { version: approved.version, status: approved.status });
}

async function goLive(
  ctx: StepContext,
  action: 'PreLaunchService' | 'LaunchService',
  expected: string,
): Promise<void> {
  const { desired, deps, at } = ctx;
  const request = {
    ServiceId: at.serviceId as string,
    ServiceVersion: at.version,
    ClientToken: clientToken(desired.contentHash, action, at.serviceId, at.version),
  };
  await deps.calls.call(action, true, request, () =>
    action === 'LaunchService' ? deps.api.launchService(request) : deps.api.preLaunchService(request),
  );
  const after = await findByName(ctx);
  if (after?.status !== expected) {
    throw new PublishError(
      'UnexpectedStatus',
      `${action} answered, but version ${at.version} reads back as ${after?.status ?? 'missing'}, not ${expected}`,
      'look at the version in the Compute Nest console, then run nestkit publish again',
    );
  }
  at.status = expected;
}
