/**
 * `publishService`: the programmatic publish that `nestkit publish` and `nestkit demo` call. It checks,
 * reads the remote service, plans, and (unless dry) applies the plan; it prints nothing itself.
 */
import { basename, dirname, join, resolve } from 'node:path';
import type Credential from '@alicloud/credentials';
import { synthesizeService } from '../../cdk/service-app';
import { loadServiceConfig } from '../../service-config/load';
import { EXIT, UserError } from '../errors';
import { withLocation } from '../synth/with-location';
import {
  createSupplierApi,
  endpointUrl,
  type CloudError,
  type RateLimitOptions,
  type RetryOptions,
  type TokenBucket,
} from '../cloud';
import { applyPlan, describeStep } from './apply';
import { applyArtifacts, readArtifacts, type BuildWaitOptions } from './artifact-apply';
import { describeArtifactStep, desiredArtifacts, planArtifacts, type ArtifactStep } from './artifact-plan';
import { CallRecorder, type CallEntry } from './calls';
import { checkPublishable } from './checks';
import { resolveCredential } from './credentials';
import { definitionWithArtifacts, desiredService } from './desired';
import { publishDiff, type PublishDiff } from './diff';
import { holderOf, isMutating, planPublish, type PublishGoal, type Step } from './plan';
import { readRemote } from './remote';
import type { ApprovalOptions } from './wait-approval';

export type { PublishGoal, Step } from './plan';
export type { CallEntry } from './calls';
export type { PublishDiff } from './diff';
export type { ApprovalOptions } from './wait-approval';
export type { BuildWaitOptions } from './artifact-apply';
export { PublishError } from './errors';
export { PublishConflict } from './plan';
export { sandboxClockAdvancer } from './sandbox-clock';

export interface PublishOptions {
  /** Path of service.yaml; the project root is the folder above its folder (`service-config/`). */
  config: string;
  /** draft (default): a draft holding the content; prelaunch: Beta; launch: Online. */
  goal?: PublishGoal;
  /** Plan and diff only: read calls, no mutating call. */
  dryRun?: boolean;
  /** A URL such as http://127.0.0.1:8900; default NESTKIT_ENDPOINT, then the public endpoint. */
  endpoint?: string;
  /** Default: the @alicloud/credentials chain (environment, OIDC role, profile ...). */
  credential?: Credential;
  /** Review wait: timeout, poll interval, and `advance` to move a sandbox clock instead of sleeping. */
  approval?: ApprovalOptions;
  /** Artifact builds: timeout (default 7200 s), poll interval; `advance` defaults to the approval's. */
  build?: BuildWaitOptions;
  retry?: RetryOptions;
  rateLimit?: TokenBucket | RateLimitOptions;
  /** Default `<root>/templates`. */
  templatesDir?: string;
  /** Progress lines (the CLI writes them to stderr). */
  progress?: (line: string) => void;
  /** Each API call once it ended (the CLI prints them with --verbose). */
  onCall?: (entry: CallEntry) => void;
  onRetry?: (info: { action: string; attempt: number; delayMs: number; error: CloudError }) => void;
}

export interface PlannedStep {
  kind: Step['kind'] | ArtifactStep['kind'];
  description: string;
  mutating: boolean;
}

export interface PublishResult {
  /** Undefined only for a dry run of a service that does not exist yet. */
  serviceId?: string;
  /** `draft` or the version number. */
  version: string;
  versionName: string;
  contentHash: string;
  /** The version's status after the run (as planned, for a dry run). */
  status: string;
  goal: PublishGoal;
  dryRun: boolean;
  foundBy: 'id' | 'name' | 'none';
  plan: PlannedStep[];
  diff: PublishDiff;
  calls: CallEntry[];
}

export async function publishService(options: PublishOptions): Promise<PublishResult> {
  const configPath = resolve(options.config);
  if (basename(dirname(configPath)) !== 'service-config') {
    throw new UserError(
      'NotAProject',
      `${options.config} is not the service.yaml of a nestkit project: publish checks <project>/templates/ and lints <project>, so the config must be <project>/service-config/service.yaml`,
      undefined,
      EXIT.usage,
    );
  }
  const root = dirname(dirname(configPath));
  const model = loadServiceConfig(configPath);
  const synthesized = withLocation(options.config, () => synthesizeService(model));
  checkPublishable(root, options.templatesDir ?? join(root, 'templates'), model, synthesized);
  const desired = desiredService(model, synthesized);
  const goal = options.goal ?? 'draft';
  const progress = options.progress ?? (() => undefined);
  const api = createSupplierApi({
    regionId: desired.regionId,
    endpoint: options.endpoint,
    credential: await resolveCredential(options.credential),
    retry: options.retry,
    rateLimit: options.rateLimit,
    onRetry: options.onRetry,
  });
  const calls = new CallRecorder(options.onCall);
  // Artifacts first: the version that uses them names their ids and released versions.
  const artifacts = desiredArtifacts(desired.definition.Artifact);
  const remoteArtifacts = await readArtifacts({ api, calls }, artifacts);
  const artifactPlan = planArtifacts(artifacts, remoteArtifacts);
  const remote = await readRemote(api, calls, desired);
  const plan = planPublish(desired, remote, goal);
  const base = {
    versionName: desired.versionName,
    contentHash: desired.contentHash,
    goal,
    foundBy: remote.foundBy,
    plan: [
      ...artifactPlan.steps.map((s) => ({
        kind: s.kind,
        description: describeArtifactStep(s, artifacts),
        mutating: s.kind !== 'waitArtifact',
      })),
      ...plan.steps.map((s) => ({
        kind: s.kind,
        description: describeStep(s, desired),
        mutating: isMutating(s),
      })),
    ],
    // Against the remote, the artifacts reused are named by their ids; those to be built stay placeholders.
    diff: publishDiff(
      { ...desired, definition: definitionWithArtifacts(desired.definition, artifactPlan.reused, true) },
      remote.baseline,
    ),
    calls: calls.entries,
  };
  const status = holderOf(desired, remote.versions)?.status ?? 'Draft';
  if (options.dryRun || base.plan.length === 0)
    return { ...base, serviceId: remote.serviceId, version: plan.version, status, dryRun: !!options.dryRun };
  const total = base.plan.length;
  const references = await applyArtifacts(
    artifacts,
    remoteArtifacts,
    artifactPlan,
    {
      api,
      calls,
      regionId: desired.regionId,
      wait: { advance: options.approval?.advance, ...options.build },
      progress,
    },
    { offset: 0, total },
  );
  if (plan.steps.length === 0)
    return { ...base, serviceId: remote.serviceId, version: plan.version, status, dryRun: false };
  const resolved = { ...desired, definition: definitionWithArtifacts(desired.definition, references) };
  const { endpoint } = api.client;
  const outcome = await applyPlan(resolved, remote, plan, {
    api,
    calls,
    objectStoreUrl: endpoint.overridden ? endpointUrl(endpoint) : undefined,
    approval: options.approval ?? {},
    progress,
    numbering: { offset: artifactPlan.steps.length, total },
  });
  return { ...base, ...outcome, dryRun: false };
}
