import type { SupplierApi } from '../cloud';
import type { CallRecorder } from './calls';
import { clientToken } from './client-token';
import { PublishError } from './errors';
import {
  ARTIFACT_DRAFT,
  ARTIFACT_FAILED,
  ARTIFACT_READY,
  describeArtifactStep,
  type ArtifactPlan,
  type ArtifactStep,
  type DesiredArtifact,
  type RemoteArtifact,
} from './artifact-plan';

/** How publish waits for a build: like the review, in polls, moving a sandbox clock when given `advance`. */
export interface BuildWaitOptions {
  /** Give up after this many seconds (default 7200); a re-run resumes the wait on the same draft. */
  timeoutSeconds?: number;
  /** Seconds between two reads (default 30). */
  pollSeconds?: number;
  advance?: (seconds: number) => Promise<unknown> | unknown;
}

export interface ArtifactDeps {
  api: SupplierApi;
  calls: CallRecorder;
  /** Region of the build-log call (ListArtifactBuildLogs requires one): the service's. */
  regionId: string;
  wait: BuildWaitOptions;
  progress: (line: string) => void;
}

/** The relation values of each artifact once built: `${Artifact.<key>.ArtifactId}` → id, and the version. */
export type ArtifactReferences = Record<string, { artifactId: string; version: string }>;

/** The lines of a failed build shown under the error. */
const LOG_TAIL = 20;

/**
 * Every artifact by name (ListArtifacts filtered by Name) with its versions (ListArtifactVersions): the
 * remote state the planner compares with the definition's `Artifact` section.
 */
export async function readArtifacts(
  deps: Pick<ArtifactDeps, 'api' | 'calls'>,
  desired: DesiredArtifact[],
): Promise<Record<string, RemoteArtifact | undefined>> {
  const found: Record<string, RemoteArtifact | undefined> = {};
  for (const artifact of desired) {
    const name = artifact.definition.ArtifactName;
    const request = { Filter: [{ Name: 'Name', Values: [name] }], MaxResults: 100 };
    const listed = await deps.calls.call('ListArtifacts', false, request, () =>
      deps.api.client.call('ListArtifacts', request),
    );
    const match = (listed.Artifacts ?? []).find((a) => a.Name === name);
    if (!match?.ArtifactId) continue;
    found[name] = {
      artifactId: match.ArtifactId,
      artifactType: match.ArtifactType,
      versions: await versionsOf(deps, match.ArtifactId),
    };
  }
  return found;
}

async function versionsOf(deps: Pick<ArtifactDeps, 'api' | 'calls'>, artifactId: string) {
  const versions: RemoteArtifact['versions'] = [];
  let NextToken: string | undefined;
  do {
    const request = { ArtifactId: artifactId, MaxResults: 100, NextToken };
    const page = await deps.calls.call('ListArtifactVersions', false, request, () =>
      deps.api.client.call('ListArtifactVersions', request),
    );
    for (const v of page.Artifacts ?? [])
      versions.push({ version: v.ArtifactVersion ?? '', versionName: v.VersionName, status: v.Status ?? '' });
    NextToken = page.NextToken;
  } while (NextToken);
  return versions;
}

/** Runs the artifact steps in order and answers the id and released version of every artifact. */
export async function applyArtifacts(
  desired: DesiredArtifact[],
  remote: Record<string, RemoteArtifact | undefined>,
  plan: ArtifactPlan,
  deps: ArtifactDeps,
  numbering: { offset: number; total: number },
): Promise<ArtifactReferences> {
  const references: ArtifactReferences = { ...plan.reused };
  const ids: Record<string, string> = {};
  for (const artifact of desired) {
    const found = remote[artifact.definition.ArtifactName];
    if (found) ids[artifact.key] = found.artifactId;
  }
  for (const [index, step] of plan.steps.entries()) {
    deps.progress(
      `[${numbering.offset + index + 1}/${numbering.total}] ${describeArtifactStep(step, desired)}`,
    );
    const artifact = desired.find((a) => a.key === step.artifact)!;
    const ctx = { artifact, deps, ids, references, remote: remote[artifact.definition.ArtifactName] };
    await STEPS[step.kind](step, ctx);
  }
  return references;
}

interface StepContext {
  artifact: DesiredArtifact;
  deps: ArtifactDeps;
  ids: Record<string, string>;
  references: ArtifactReferences;
  remote?: RemoteArtifact;
}

const STEPS: Record<ArtifactStep['kind'], (step: ArtifactStep, ctx: StepContext) => Promise<void>> = {
  createArtifact: (step, ctx) => createArtifact(step as { artifactId?: string }, ctx),
  updateArtifact: (_step, ctx) => updateArtifact(ctx),
  waitArtifact: (_step, ctx) => waitForBuild(ctx),
  releaseArtifact: (_step, ctx) => release(ctx),
};

/** The CreateArtifact / UpdateArtifact fields of the definition: the build and the artifact's properties. */
function contentFields({ definition }: DesiredArtifact) {
  return {
    Description: definition.Description,
    SupportRegionIds: definition.SupportRegionIds,
    ...(definition.ArtifactBuildType ? { ArtifactBuildType: definition.ArtifactBuildType } : {}),
    ...(definition.ArtifactBuildProperty ? { ArtifactBuildProperty: definition.ArtifactBuildProperty } : {}),
    ...(definition.ArtifactProperty ? { ArtifactProperty: definition.ArtifactProperty } : {}),
  };
}

/**
 * The ClientToken of an artifact write: the content, the step, and the versions as read, so a retry of a
 * lost answer is answered again while a later rebuild of the same content (after a failure) is a new intent.
 */
function token(ctx: StepContext, step: string): string {
  const basis = (ctx.remote?.versions ?? []).map((v) => `${v.version}:${v.versionName ?? ''}:${v.status}`);
  return clientToken(ctx.artifact.versionName, step, ctx.ids[ctx.artifact.key], ...basis);
}

async function createArtifact(step: { artifactId?: string }, ctx: StepContext): Promise<void> {
  const { artifact, deps } = ctx;
  const request = {
    ...contentFields(artifact),
    ArtifactType: artifact.definition.ArtifactType,
    Name: artifact.definition.ArtifactName,
    VersionName: artifact.versionName,
    ...(step.artifactId ? { ArtifactId: step.artifactId } : {}),
    ClientToken: token(ctx, 'CreateArtifact'),
  };
  const created = await deps.calls.call('CreateArtifact', true, request, () =>
    deps.api.client.call('CreateArtifact', request),
  );
  if (!created.ArtifactId) throw unexpected('CreateArtifact', 'no ArtifactId');
  ctx.ids[artifact.key] = created.ArtifactId;
}

async function updateArtifact(ctx: StepContext): Promise<void> {
  const { artifact, deps } = ctx;
  // UpdateArtifact keeps the build type of the artifact (the model has no ArtifactBuildType here).
  const { ArtifactBuildType: _kept, ...fields } = contentFields(artifact);
  const request = {
    ...fields,
    ArtifactId: ctx.ids[artifact.key],
    VersionName: artifact.versionName,
    ClientToken: token(ctx, 'UpdateArtifact'),
  };
  await deps.calls.call('UpdateArtifact', true, request, () =>
    deps.api.client.call('UpdateArtifact', request),
  );
}

/**
 * Polls the draft until Available, printing each new build-log line; a failed build stops publish with
 * the tail of its log, a build that outlasts the timeout with what to do next.
 */
async function waitForBuild(ctx: StepContext): Promise<void> {
  const { artifact, deps } = ctx;
  const ArtifactId = ctx.ids[artifact.key];
  const timeout = deps.wait.timeoutSeconds ?? 7200;
  const poll = Math.max(1, deps.wait.pollSeconds ?? 30);
  const shown = new Set<string>();
  for (let waited = 0; ; waited += poll) {
    const request = { ArtifactId, ArtifactVersion: ARTIFACT_DRAFT };
    const read = await deps.calls.call('GetArtifact', false, request, () =>
      deps.api.client.call('GetArtifact', request),
    );
    const status = read.Status ?? 'unknown';
    const log = await buildLog(deps, ArtifactId);
    for (const line of log.filter((l) => !shown.has(l))) {
      shown.add(line);
      deps.progress(`  build: ${line}`);
    }
    if (read.VersionName !== undefined && read.VersionName !== artifact.versionName)
      throw new PublishError(
        'ArtifactChanged',
        `the draft of artifact ${ArtifactId} reads back as ${read.VersionName}, not ${artifact.versionName}`,
        'another publish may have run at the same time: run nestkit publish again',
      );
    if (ARTIFACT_READY.has(status)) return;
    if (ARTIFACT_FAILED.has(status)) throw buildFailed(artifact, ArtifactId, read.StatusDetail, log);
    if (waited >= timeout)
      throw new PublishError(
        'ArtifactBuildTimeout',
        `the build of artifact ${artifact.definition.ArtifactName} (${ArtifactId}) is still ${status} after ${timeout}s`,
        'run the same nestkit publish again later: it waits for this build instead of starting another',
      );
    deps.progress(
      `  building ${artifact.definition.ArtifactName}: ${status}, ${read.Progress ?? '?'}% (${waited}s of ${timeout}s)`,
    );
    await (deps.wait.advance ?? sleepSeconds)(poll);
  }
}

/** The build log of the draft, oldest line first (every page). */
async function buildLog(deps: ArtifactDeps, ArtifactId: string): Promise<string[]> {
  const lines: string[] = [];
  let NextToken: string | undefined;
  do {
    const request = {
      ArtifactId,
      ArtifactVersion: ARTIFACT_DRAFT,
      RegionId: deps.regionId,
      SortOrder: 'Ascending',
      MaxResults: 100,
      NextToken,
    };
    const page = await deps.calls.call('ListArtifactBuildLogs', false, request, () =>
      deps.api.client.call('ListArtifactBuildLogs', request),
    );
    for (const entry of page.BuildLogs ?? [])
      lines.push(`${entry.Timestamp ?? ''} ${entry.Content ?? ''}`.trim());
    NextToken = page.NextToken;
  } while (NextToken);
  return lines;
}

async function release(ctx: StepContext): Promise<void> {
  const { artifact, deps } = ctx;
  const ArtifactId = ctx.ids[artifact.key];
  const request = { ArtifactId, ClientToken: token(ctx, 'ReleaseArtifact') };
  const released = await deps.calls.call('ReleaseArtifact', true, request, () =>
    deps.api.client.call('ReleaseArtifact', request),
  );
  if (!released.ArtifactVersion || released.ArtifactVersion === ARTIFACT_DRAFT)
    throw unexpected('ReleaseArtifact', `ArtifactVersion ${released.ArtifactVersion ?? 'missing'}`);
  ctx.references[artifact.key] = { artifactId: ArtifactId, version: released.ArtifactVersion };
}

function buildFailed(
  artifact: DesiredArtifact,
  id: string,
  detail: string | undefined,
  log: string[],
): PublishError {
  return new PublishError(
    'ArtifactBuildFailed',
    `the build of artifact ${artifact.definition.ArtifactName} (${id}, ${artifact.versionName}) failed${detail ? `: ${detail}` : ''}`,
    'fix the build commands in service.yaml (artifacts) and publish again; the same content is built again on a re-run',
    undefined,
    log.slice(-LOG_TAIL),
  );
}

function unexpected(action: string, what: string): PublishError {
  return new PublishError(
    'UnexpectedAnswer',
    `${action} answered with ${what}`,
    'run nestkit publish again; if it repeats, report it with the RequestId from --verbose',
  );
}

function sleepSeconds(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}
