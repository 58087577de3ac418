import { uploadToOss, type SupplierApi } from '../cloud';
import type { CallRecorder } from './calls';
import { clientToken } from './client-token';
import { deployMetadataWithUrls, type DesiredService } from './desired';
import { PublishError } from './errors';
import { commodityMatches, DRAFT, PublishConflict, type PublishPlan, type Step } from './plan';
import type { RemoteRead } from './remote';
import { listAll } from './remote';
import { waitForApproval, type ApprovalOptions, type Review } from './wait-approval';

export interface ApplyDeps {
  api: SupplierApi;
  calls: CallRecorder;
  /** The object store's base URL when the endpoint is overridden (a sandbox); else the public OSS host. */
  objectStoreUrl?: string;
  approval: ApprovalOptions;
  progress: (line: string) => void;
  /** Where these steps stand among all of the run's (the artifact steps come first). */
  numbering?: { offset: number; total: number };
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
  /** The review of the draft, once submitted (RegisterService answers it; GetService shows it). */
  registrationId?: string;
  urls: Map<string, string>;
}

const CONTENT_STEPS = new Set<Step['kind']>(['upload', 'createService', 'updateDraft', 'setCommodity']);

/**
 * Executes the plan step by step. Every write carries a ClientToken derived from the version name and
 * content hash, so an answer lost on the wire is answered again rather than acted on twice; the result is
 * read back after each run of content steps.
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
    registrationId: remote.registrationId,
    urls: new Map(),
  };
  for (const [index, step] of plan.steps.entries()) {
    const { offset, total } = deps.numbering ?? { offset: 0, total: plan.steps.length };
    deps.progress(`[${offset + index + 1}/${total}] ${describeStep(step, desired)}`);
    await STEPS[step.kind](step, { desired, remote, deps, at });
    const next = plan.steps[index + 1];
    if (CONTENT_STEPS.has(step.kind) && (!next || !CONTENT_STEPS.has(next.kind))) {
      // The mappings are compared once no later step is to set them (they may be bound after launching).
      const mappingsDue = !plan.steps.slice(index + 1).some((s) => s.kind === 'setCommodity');
      await verifyContent({ desired, remote, deps, at }, mappingsDue);
    }
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
  prelaunch: (_step, ctx) => prelaunch(ctx),
  launch: (_step, ctx) => launch(ctx),
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
      return `RegisterService: submit the draft ${desired.versionName} for review`;
    case 'waitApproval':
      return `wait for the review of ${desired.versionName} (GetServiceRegistration)`;
    case 'prelaunch':
      return `PreLaunchService: pre-release the approved draft ${desired.versionName} (Beta)`;
    case 'launch':
      return `LaunchService: publish version ${step.version} (${desired.versionName}) Online`;
  }
}

async function upload(file: string, { desired, deps, at }: StepContext): Promise<void> {
  const template = desired.templates.find((t) => t.file === file);
  if (!template) throw new Error(`no synthesized template ${file}`);
  const request = { FileName: file };
  const { Data } = await deps.calls.call('GetUploadCredentials', true, request, () =>
    deps.api.getUploadCredentials(request),
  );
  if (!Data) throw unexpected('GetUploadCredentials', 'no Data');
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

/**
 * CreateService / UpdateService fields of the service definition, with the uploaded template Urls. The
 * metadata fields are plain strings in the model that hold JSON text: they are sent stringified.
 */
function serviceFields(desired: DesiredService, urls: Map<string, string>) {
  const { Service } = desired.definition;
  return {
    VersionName: desired.versionName,
    DeployType: Service.DeployType,
    ServiceType: Service.ServiceType,
    ServiceInfo: Service.ServiceInfo,
    DeployMetadata: JSON.stringify(deployMetadataWithUrls(desired.definition, urls)),
    OperationMetadata: JSON.stringify(Service.OperationMetadata),
    LicenseMetadata: JSON.stringify(Service.LicenseMetadata),
    UpgradeMetadata: JSON.stringify(Service.UpgradeMetadata),
    ...(Service.TenantType ? { TenantType: Service.TenantType } : {}),
  };
}

/**
 * The ClientToken of one step: the version name (the release, which the content hash alone does not name:
 * bumping service.version keeps the hash) and the content hash, the step, and the state it starts from.
 */
function token(ctx: StepContext, step: string, ...basis: (string | undefined)[]): string {
  return clientToken(`${ctx.desired.versionName}/${ctx.desired.contentHash}`, step, ...basis);
}

/**
 * The version as it was read: its last write and what it held. A version this run created (not in the
 * read) starts from the newest write to the service, so it differs from every earlier release's.
 */
function basis(ctx: StepContext, version: string): string {
  const found = ctx.remote.versions.find((v) => v.version === version);
  return found ? `${found.updateTime ?? ''}/${found.versionName ?? ''}` : `new/${latestWrite(ctx)}`;
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
    ClientToken: token(ctx, 'CreateService', at.serviceId ?? desired.name, latestWrite(ctx)),
  };
  const created = await deps.calls.call('CreateService', true, request, () =>
    deps.api.createService(request),
  );
  if (!created.ServiceId) throw unexpected('CreateService', 'no ServiceId');
  Object.assign(at, { serviceId: created.ServiceId, version: created.Version ?? DRAFT, status: 'Draft' });
}

async function updateDraft(ctx: StepContext): Promise<void> {
  const { deps, at } = ctx;
  const request = {
    ...serviceFields(ctx.desired, at.urls),
    ServiceId: at.serviceId as string,
    ServiceVersion: DRAFT,
    ClientToken: token(ctx, 'UpdateService', at.serviceId, DRAFT, basis(ctx, DRAFT)),
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
    ClientToken: token(ctx, 'Commodity', at.serviceId, at.version, basis(ctx, at.version)),
  };
  await deps.calls.call('UpdateService', true, request, () => deps.api.updateService(request));
}

/**
 * Reads the version back: it must carry the desired VersionName and, once they are due, the SKU mappings
 * (as GetService returns them: MarketplaceMetadata.SpecificationMappings), or something raced us.
 */
async function verifyContent({ desired, deps, at }: StepContext, mappingsDue: boolean): Promise<void> {
  const request = { ServiceId: at.serviceId as string, ServiceVersion: at.version };
  const read = await deps.calls.call('GetService', false, request, () => deps.api.getService(request));
  const mappingsDiffer = mappingsDue && !commodityMatches(read.Commodity, desired);
  if (read.VersionName !== desired.versionName || mappingsDiffer) {
    throw new PublishConflict(
      `version ${at.version} of ${at.serviceId} reads back as ${read.VersionName ?? 'unnamed'}` +
        (mappingsDiffer ? ' with other mappings than sent' : '') +
        '; another publish may have run at the same time: run nestkit publish again',
    );
  }
  at.status = read.Status ?? at.status;
}

async function register(ctx: StepContext): Promise<void> {
  const { deps, at } = ctx;
  const request = {
    ServiceId: at.serviceId as string,
    ClientToken: token(ctx, 'RegisterService', at.serviceId, basis(ctx, DRAFT)),
  };
  const { RegistrationId } = await deps.calls.call('RegisterService', true, request, () =>
    deps.api.registerService(request),
  );
  if (!RegistrationId) throw unexpected('RegisterService', 'no RegistrationId');
  Object.assign(at, { registrationId: RegistrationId, status: 'Submitted' });
}

/** The review of the draft: answered by RegisterService, else (a resumed run) shown by GetService. */
async function registrationId(ctx: StepContext): Promise<string> {
  const { deps, at } = ctx;
  if (at.registrationId) return at.registrationId;
  const request = { ServiceId: at.serviceId as string, ServiceVersion: at.version };
  const read = await deps.calls.call('GetService', false, request, () => deps.api.getService(request));
  if (!read.RegistrationId) {
    throw new PublishError(
      'ReviewUnknown',
      `version ${at.version} of ${at.serviceId} is ${read.Status ?? 'unknown'} but names no review (RegistrationId)`,
      'look at the review in the Compute Nest console, then run nestkit publish again',
    );
  }
  return (at.registrationId = read.RegistrationId);
}

async function waitApproval(ctx: StepContext): Promise<void> {
  const { deps } = ctx;
  const RegistrationId = await registrationId(ctx);
  const read = async (): Promise<Review> => {
    const request = { RegistrationId };
    const review = await deps.calls.call('GetServiceRegistration', false, request, () =>
      deps.api.getServiceRegistration(request),
    );
    return {
      registrationId: RegistrationId,
      status: review.Status ?? 'unknown',
      comment: review.Comment,
      versionName: review.ServiceInfo?.VersionName ?? ctx.desired.versionName,
    };
  };
  await waitForApproval(read, deps.approval, deps.progress);
  ctx.at.status = 'Approved';
}

/** PreLaunchService names no version: the approved draft becomes a Beta version, found by its VersionName. */
async function prelaunch(ctx: StepContext): Promise<void> {
  const { deps, at } = ctx;
  const request = {
    ServiceId: at.serviceId as string,
    ClientToken: token(ctx, 'PreLaunchService', at.serviceId, basis(ctx, DRAFT)),
  };
  await deps.calls.call('PreLaunchService', true, request, () => deps.api.preLaunchService(request));
  const after = await findByName(ctx);
  if (after?.status !== 'Beta')
    throw notAsExpected('PreLaunchService', after?.version ?? DRAFT, after?.status, 'Beta');
  Object.assign(at, { version: after.version, status: 'Beta' });
}

/** LaunchService answers the Version it published; that version is read back Online. */
async function launch(ctx: StepContext): Promise<void> {
  const { desired, deps, at } = ctx;
  const request = {
    ServiceId: at.serviceId as string,
    ServiceVersion: at.version,
    ClientToken: token(ctx, 'LaunchService', at.serviceId, at.version, basis(ctx, at.version)),
  };
  const launched = await deps.calls.call('LaunchService', true, request, () =>
    deps.api.launchService(request),
  );
  const version = launched.Version ?? (await findByName(ctx))?.version;
  if (!version) throw unexpected('LaunchService', 'no Version');
  const read = { ServiceId: at.serviceId as string, ServiceVersion: version };
  const after = await deps.calls.call('GetService', false, read, () => deps.api.getService(read));
  if (after.Status !== 'Online' || after.VersionName !== desired.versionName)
    throw notAsExpected('LaunchService', version, after.Status, 'Online');
  Object.assign(at, { version, status: 'Online' });
}

/** The numbered version holding the desired VersionName (the draft once pre-launched). */
async function findByName(ctx: StepContext) {
  const { desired, deps, at } = ctx;
  const versions = await listAll(deps.api, deps.calls, {
    AllVersions: true,
    Filter: [{ Name: 'ServiceId', Value: [at.serviceId as string] }],
  });
  const found = versions.find((v) => v.VersionName === desired.versionName && v.Version !== DRAFT);
  return found && { version: found.Version ?? '', status: found.Status ?? '' };
}

function notAsExpected(action: string, version: string, status: string | undefined, expected: string) {
  return new PublishError(
    'UnexpectedStatus',
    `${action} answered, but version ${version} reads back as ${status ?? 'missing'}, not ${expected}`,
    'look at the version in the Compute Nest console, then run nestkit publish again',
  );
}

function unexpected(action: string, what: string): PublishError {
  return new PublishError(
    'UnexpectedAnswer',
    `${action} answered with ${what}`,
    'run nestkit publish again; if it repeats, report it with the RequestId from --verbose',
  );
}
