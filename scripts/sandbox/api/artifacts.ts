import { ApiError, denied, invalid } from '../errors';
import type { SandboxCore } from '../core';
import type { ArtifactRecord, ArtifactVersionRecord } from '../state';
import { page } from './paging';
import { integer, json, list, optional, required, structs, type Params } from './params';
import { read, write, type ActionContext, type ActionTable } from './registry';

/**
 * Compute Nest artifacts (ComputeNestSupplier CreateArtifact ... ListArtifactBuildLogs). A version's build
 * runs on the virtual clock: its status is read from the time since it started, so no timer is needed.
 * [I] The models give the statuses (Created, Scanning, ScanFailed, Delivering, Available, Deleted) but not
 * their order: a build shows `Created` while it runs, `Delivering` while the image is copied to the
 * regions, then `Available`; a failed build ends `ScanFailed` with the reason in StatusDetail.
 */
export const artifactActions: ActionTable = {
  CreateArtifact: write(createArtifact),
  UpdateArtifact: write(updateArtifact),
  GetArtifact: read(getArtifact),
  ListArtifacts: read(listArtifacts),
  ListArtifactVersions: read(listArtifactVersions),
  ReleaseArtifact: write(releaseArtifact),
  DeleteArtifact: write(deleteArtifact),
  ListArtifactBuildLogs: read(listArtifactBuildLogs),
};

/** [I] How long a build and a distribution take on the virtual clock; only their order matters. */
export const ARTIFACT_TIMINGS = { buildSeconds: 600, deliverSeconds: 120 };

export const ARTIFACT_STATUS = {
  building: 'Created',
  delivering: 'Delivering',
  available: 'Available',
  failed: 'ScanFailed',
  deleted: 'Deleted',
} as const;

const TYPES = ['EcsImage', 'AcrImage', 'File', 'Script', 'HelmChart'];
const DRAFT = 'draft';

// [I] The code of a missing artifact, by analogy with EntityNotExist.Service.
const artifactNotFound = (what: string) =>
  new ApiError(404, 'EntityNotExist.Artifact', `The specified Artifact ${what} does not exist.`);

function artifacts(core: SandboxCore): Record<string, ArtifactRecord> {
  return (core.state.artifacts ??= {});
}

function owned(ctx: ActionContext, id: string): ArtifactRecord {
  const artifact = artifacts(ctx.core)[id];
  if (!artifact || artifact.AccountId !== ctx.caller.accountId) throw artifactNotFound(id);
  return artifact;
}

/** The caller's artifact of that name; one whose every version was deleted is gone [I]. */
function byName(ctx: ActionContext, name: string): ArtifactRecord | undefined {
  return Object.values(artifacts(ctx.core)).find(
    (a) => a.Name === name && a.AccountId === ctx.caller.accountId && live(a).length > 0,
  );
}

function live(artifact: ArtifactRecord): ArtifactVersionRecord[] {
  return artifact.versions.filter((v) => !v.deleted);
}

/** The version a call names; without one, the newest released version, else the draft [I]. */
function versionOf(artifact: ArtifactRecord, name: string | undefined): ArtifactVersionRecord {
  const versions = live(artifact);
  const found =
    name === undefined
      ? (versions.filter((v) => v.ArtifactVersion !== DRAFT).at(-1) ??
        versions.find((v) => v.ArtifactVersion === DRAFT))
      : versions.find((v) => v.ArtifactVersion === name);
  if (!found) throw artifactNotFound(`${artifact.ArtifactId}:${name ?? 'latest'}`);
  return found;
}

function buildEndMs(version: ArtifactVersionRecord): number {
  return version.buildStartMs + (version.ArtifactBuildType ? ARTIFACT_TIMINGS.buildSeconds * 1000 : 0);
}

function availableMs(version: ArtifactVersionRecord): number {
  return buildEndMs(version) + ARTIFACT_TIMINGS.deliverSeconds * 1000;
}

export function statusOf(
  core: SandboxCore,
  version: ArtifactVersionRecord,
): { status: string; detail: string; progress: number } {
  const now = core.now();
  if (version.deleted) return { status: ARTIFACT_STATUS.deleted, detail: '', progress: 100 };
  if (now < buildEndMs(version)) {
    const share = (now - version.buildStartMs) / (buildEndMs(version) - version.buildStartMs);
    return { status: ARTIFACT_STATUS.building, detail: 'building', progress: Math.floor(share * 80) };
  }
  if (version.failure) return { status: ARTIFACT_STATUS.failed, detail: version.failure, progress: 100 };
  if (now < availableMs(version))
    return { status: ARTIFACT_STATUS.delivering, detail: 'distributing to the regions', progress: 90 };
  return { status: ARTIFACT_STATUS.available, detail: '', progress: 100 };
}

/** The fields a version is created or updated with; ArtifactBuildProperty and ArtifactProperty are JSON strings. */
function versionFields(params: Params, previous?: ArtifactVersionRecord) {
  for (const field of ['ArtifactBuildProperty', 'ArtifactProperty']) json(params, field);
  const buildType = optional(params, 'ArtifactBuildType') ?? previous?.ArtifactBuildType;
  const regions = list(params, 'SupportRegionIds');
  return {
    ArtifactBuildType: buildType,
    ArtifactBuildProperty: optional(params, 'ArtifactBuildProperty') ?? previous?.ArtifactBuildProperty,
    ArtifactProperty: optional(params, 'ArtifactProperty') ?? previous?.ArtifactProperty,
    SupportRegionIds: regions.length > 0 ? regions : (previous?.SupportRegionIds ?? []),
  };
}

/** Starts a build now; the buildFail fault makes it end failed, as a command that exits non-zero would. */
function startBuild(core: SandboxCore, action: string, version: ArtifactVersionRecord): void {
  version.buildStartMs = core.now();
  version.GmtModified = core.iso();
  delete version.failure;
  if (version.ArtifactBuildType && core.faults.take('buildFail', action))
    version.failure = 'the build command exited with status 1 (injected fault buildFail)';
}

function createArtifact(ctx: ActionContext) {
  const { core, params, caller } = ctx;
  const type = required(params, 'ArtifactType');
  if (!TYPES.includes(type)) throw invalid('ArtifactType', `Expected one of ${TYPES.join(', ')}.`);
  const name = required(params, 'Name');
  const existingId = optional(params, 'ArtifactId');
  let artifact: ArtifactRecord;
  if (existingId) {
    artifact = owned(ctx, existingId);
    if (artifact.ArtifactType !== type)
      throw invalid('ArtifactType', `Artifact ${existingId} is ${artifact.ArtifactType}, not ${type}.`);
    // [I] One draft per artifact, as one draft per service: a second is refused; update it instead.
    if (live(artifact).some((v) => v.ArtifactVersion === DRAFT))
      throw denied('DraftExists', `Artifact ${existingId} already has a draft version; update it.`);
  } else {
    // [I] Artifact names are unique in an account.
    if (byName(ctx, name)) throw denied('ArtifactNameExists', `An artifact named ${name} already exists.`);
    artifact = {
      ArtifactId: core.newId('artifact-', 10),
      AccountId: caller.accountId,
      Name: name,
      ArtifactType: type,
      versions: [],
      lastVersion: 0,
    };
    artifacts(core)[artifact.ArtifactId] = artifact;
  }
  artifact.Description = optional(params, 'Description') ?? artifact.Description;
  const version: ArtifactVersionRecord = {
    ArtifactVersion: DRAFT,
    VersionName: required(params, 'VersionName'),
    ...versionFields(params),
    buildStartMs: core.now(),
    GmtCreate: core.iso(),
    GmtModified: core.iso(),
  };
  startBuild(core, 'CreateArtifact', version);
  artifact.versions.push(version);
  return { ...artifactView(core, artifact, version), MaxVersion: artifact.lastVersion };
}

/** [I] UpdateArtifact changes the draft and builds it again. */
function updateArtifact(ctx: ActionContext) {
  const { core, params } = ctx;
  const artifact = owned(ctx, required(params, 'ArtifactId'));
  const draft = live(artifact).find((v) => v.ArtifactVersion === DRAFT);
  if (!draft) throw artifactNotFound(`${artifact.ArtifactId}:${DRAFT}`);
  Object.assign(draft, versionFields(params, draft), {
    VersionName: optional(params, 'VersionName') ?? draft.VersionName,
  });
  artifact.Description = optional(params, 'Description') ?? artifact.Description;
  startBuild(core, 'UpdateArtifact', draft);
  const { Name: _name, ...view } = artifactView(core, artifact, draft);
  return view;
}

function getArtifact(ctx: ActionContext) {
  const { core, params } = ctx;
  const id = optional(params, 'ArtifactId');
  const name = optional(params, 'ArtifactName');
  if (!id && !name) throw invalid('ArtifactId', 'Name the artifact by ArtifactId or ArtifactName.');
  const artifact = id ? owned(ctx, id) : byName(ctx, name!);
  if (!artifact) throw artifactNotFound(name!);
  const version = versionOf(artifact, optional(params, 'ArtifactVersion'));
  const { status, detail, progress } = statusOf(core, version);
  return {
    ...artifactView(core, artifact, version),
    MaxVersion: artifact.lastVersion,
    Progress: String(progress),
    Status: status,
    StatusDetail: detail,
  };
}

function listArtifacts(ctx: ActionContext) {
  const { core, params } = ctx;
  const conditions = structs(params, 'Filter').map((f) => ({
    name: String(f.Name ?? ''),
    values: Array.isArray(f.Values) ? f.Values.map(String) : f.Values === undefined ? [] : [String(f.Values)],
  }));
  const field: Record<string, keyof ArtifactRecord> = {
    Name: 'Name',
    ArtifactId: 'ArtifactId',
    ArtifactType: 'ArtifactType',
  };
  const matching = Object.values(artifacts(core)).filter(
    (a) =>
      a.AccountId === ctx.caller.accountId &&
      live(a).length > 0 &&
      conditions.every((c) => !field[c.name] || c.values.includes(String(a[field[c.name]]))),
  );
  const maxResults = integer(params, 'MaxResults', 20, 1, 100);
  const { items, nextToken } = page(matching, maxResults, optional(params, 'NextToken'));
  return {
    Artifacts: items.map((a) => {
      const newest = versionOf(a, undefined);
      return {
        ArtifactId: a.ArtifactId,
        ArtifactType: a.ArtifactType,
        Name: a.Name,
        Description: a.Description,
        MaxVersion: String(a.lastVersion),
        Status: statusOf(core, newest).status,
        GmtModified: newest.GmtModified,
        ArtifactBuildProperty: newest.ArtifactBuildProperty,
      };
    }),
    MaxResults: maxResults,
    NextToken: nextToken,
    TotalCount: matching.length,
  };
}

function listArtifactVersions(ctx: ActionContext) {
  const { core, params } = ctx;
  const artifact = owned(ctx, required(params, 'ArtifactId'));
  json(params, 'Filters');
  const maxResults = integer(params, 'MaxResults', 20, 1, 100);
  // [I] Newest first, the draft included.
  const versions = [...live(artifact)].reverse();
  const { items, nextToken } = page(versions, maxResults, optional(params, 'NextToken'));
  return {
    Artifacts: items.map((v) => {
      const { status, detail, progress } = statusOf(core, v);
      return {
        ArtifactId: artifact.ArtifactId,
        ArtifactType: artifact.ArtifactType,
        ArtifactVersion: v.ArtifactVersion,
        VersionName: v.VersionName,
        ArtifactBuildType: v.ArtifactBuildType,
        ArtifactBuildProperty: v.ArtifactBuildProperty,
        ArtifactProperty: v.ArtifactProperty,
        SupportRegionIds: JSON.stringify(v.SupportRegionIds),
        Status: status,
        StatusDetail: detail,
        Progress: String(progress),
        GmtCreate: v.GmtCreate,
        GmtModified: v.GmtModified,
      };
    }),
    MaxResults: maxResults,
    NextToken: nextToken,
    TotalCount: versions.length,
  };
}

/** [I] Releasing makes the Available draft the next numbered version; services then name that number. */
function releaseArtifact(ctx: ActionContext) {
  const { core, params } = ctx;
  const artifact = owned(ctx, required(params, 'ArtifactId'));
  const draft = live(artifact).find((v) => v.ArtifactVersion === DRAFT);
  if (!draft) throw artifactNotFound(`${artifact.ArtifactId}:${DRAFT}`);
  const { status } = statusOf(core, draft);
  if (status !== ARTIFACT_STATUS.available)
    throw denied('ArtifactStatus', `The draft of ${artifact.ArtifactId} is ${status}, not Available.`);
  artifact.lastVersion += 1;
  draft.ArtifactVersion = String(artifact.lastVersion);
  draft.GmtModified = core.iso();
  const view = artifactView(core, artifact, draft);
  return {
    ArtifactId: view.ArtifactId,
    ArtifactType: view.ArtifactType,
    ArtifactVersion: view.ArtifactVersion,
    ArtifactProperty: view.ArtifactProperty,
    Description: view.Description,
    GmtModified: view.GmtModified,
    Status: view.Status,
    VersionName: view.VersionName,
  };
}

/** Deletes one version, or with none named the whole artifact [I]. */
function deleteArtifact(ctx: ActionContext) {
  const { core, params } = ctx;
  const artifact = owned(ctx, required(params, 'ArtifactId'));
  const named = optional(params, 'ArtifactVersion');
  const targets = named === undefined ? live(artifact) : [versionOf(artifact, named)];
  for (const version of targets) {
    version.deleted = true;
    version.GmtModified = core.iso();
  }
  return {};
}

/** Build log lines of a version, by the virtual time each was written. */
export function buildLog(
  core: SandboxCore,
  version: ArtifactVersionRecord,
): { atMs: number; text: string }[] {
  if (!version.ArtifactBuildType) return [];
  const build = (json({ p: version.ArtifactBuildProperty ?? '{}' }, 'p') ?? {}) as Record<string, unknown>;
  const commands = String(build.CommandContent ?? build.SourceContainerImage ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const start = version.buildStartMs;
  const end = buildEndMs(version);
  const step = (end - start) / (commands.length + 2);
  const lines = [
    {
      atMs: start,
      text: `build started from ${String(build.SourceImageId ?? build.SourceContainerImage ?? 'source')} in ${String(build.RegionId ?? '')}`,
    },
    ...commands.map((command, i) => ({ atMs: start + step * (i + 1), text: `+ ${command}` })),
    version.failure
      ? { atMs: end, text: `ERROR: ${version.failure}` }
      : { atMs: end, text: `build finished; distributing to ${version.SupportRegionIds.join(', ')}` },
  ];
  if (!version.failure) lines.push({ atMs: availableMs(version), text: 'available in every region' });
  return lines.filter((line) => line.atMs <= core.now());
}

function listArtifactBuildLogs(ctx: ActionContext) {
  const { core, params } = ctx;
  required(params, 'RegionId');
  const artifact = owned(ctx, required(params, 'ArtifactId'));
  const version = versionOf(artifact, optional(params, 'ArtifactVersion') ?? DRAFT);
  const sort = optional(params, 'SortOrder') ?? 'Descending';
  if (sort !== 'Ascending' && sort !== 'Descending')
    throw invalid('SortOrder', 'Expected Ascending or Descending.');
  const lines = buildLog(core, version);
  const ordered = sort === 'Ascending' ? lines : [...lines].reverse();
  const maxResults = integer(params, 'MaxResults', 20, 1, 100);
  const { items, nextToken } = page(ordered, maxResults, optional(params, 'NextToken'));
  return {
    // The model's format: yyyy-MM-ddTHH:mmZ.
    BuildLogs: items.map((line) => ({
      Content: line.text,
      Timestamp: `${core.iso(line.atMs).slice(0, 16)}Z`,
    })),
    MaxResults: maxResults,
    NextToken: nextToken,
  };
}

function artifactView(core: SandboxCore, artifact: ArtifactRecord, version: ArtifactVersionRecord) {
  const { status, detail } = statusOf(core, version);
  return {
    ArtifactId: artifact.ArtifactId,
    ArtifactType: artifact.ArtifactType,
    ArtifactVersion: version.ArtifactVersion,
    Name: artifact.Name,
    VersionName: version.VersionName,
    Description: artifact.Description,
    ArtifactBuildType: version.ArtifactBuildType,
    ArtifactBuildProperty: version.ArtifactBuildProperty,
    ArtifactProperty: version.ArtifactProperty,
    SupportRegionIds: JSON.stringify(version.SupportRegionIds),
    Status: status,
    StatusDetail: detail,
    GmtModified: version.GmtModified,
  };
}

/**
 * The artifact version a service's relation names, for a deployment: it must exist in the caller's
 * account, be Available and reach the region; else the reason the deployment fails [I].
 */
export function resolveArtifact(
  core: SandboxCore,
  accountId: string,
  reference: { ArtifactId?: unknown; ArtifactVersion?: unknown },
  regionId: string | undefined,
): { version?: ArtifactVersionRecord; artifact?: ArtifactRecord; problem?: string } {
  const id = String(reference.ArtifactId ?? '');
  const artifact = artifacts(core)[id];
  if (!artifact || artifact.AccountId !== accountId)
    return { problem: `artifact ${id || '(none)'} does not exist` };
  const wanted = String(reference.ArtifactVersion ?? '');
  const version = live(artifact).find((v) => v.ArtifactVersion === wanted);
  if (!version) return { problem: `artifact ${id} has no version ${wanted || '(none)'}` };
  const { status } = statusOf(core, version);
  if (status !== ARTIFACT_STATUS.available)
    return { problem: `artifact ${id} version ${wanted} is ${status}, not Available` };
  if (regionId && !version.SupportRegionIds.includes(regionId))
    return { problem: `artifact ${id} version ${wanted} is not distributed to ${regionId}` };
  return { artifact, version };
}
