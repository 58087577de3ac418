import { createHash } from 'node:crypto';
import type { ArtifactDefinition } from '../../cdk/artifacts';
import { canonicalJson } from './desired';
import { PublishConflict } from './plan';

/** An artifact as the service definition wants it, with the version name that carries its content hash. */
export interface DesiredArtifact {
  /** The key in the definition's `Artifact` section (and in `${Artifact.<key>...}`). */
  key: string;
  definition: ArtifactDefinition;
  /** `nestkit-<12 hex of the hash of the definition>`: a version so named holds exactly this content. */
  versionName: string;
}

/** One version of a remote artifact as ListArtifactVersions reports it. */
export interface RemoteArtifactVersion {
  version: string;
  versionName?: string;
  status: string;
}

/** A remote artifact found by name, and its versions (draft included). */
export interface RemoteArtifact {
  artifactId: string;
  artifactType?: string;
  versions: RemoteArtifactVersion[];
}

export type ArtifactStep =
  /** CreateArtifact: a new artifact, or with `artifactId` a new draft version of an existing one. */
  | { kind: 'createArtifact'; artifact: string; artifactId?: string }
  /** UpdateArtifact: the draft takes this content and is built again. */
  | { kind: 'updateArtifact'; artifact: string; artifactId: string }
  /** Poll the draft (GetArtifact) until Available, printing ListArtifactBuildLogs as it goes. */
  | { kind: 'waitArtifact'; artifact: string }
  /** ReleaseArtifact: the Available draft becomes a numbered version the service can name. */
  | { kind: 'releaseArtifact'; artifact: string };

/** What the planner knows of one artifact before applying: its id and released version when reused. */
export interface ArtifactPlan {
  steps: ArtifactStep[];
  /** Artifacts whose released version already holds the content: key → {id, version}. */
  reused: Record<string, { artifactId: string; version: string }>;
}

export const ARTIFACT_DRAFT = 'draft';

/**
 * [I] The statuses of the models' enum (Created, Scanning, ScanFailed, Delivering, Available, Deleted) as
 * publish reads them: a build that failed ends ScanFailed; one that runs is in any of the others but
 * Available and Deleted. A wrong guess is a change of these sets.
 */
export const ARTIFACT_READY = new Set(['Available']);
export const ARTIFACT_FAILED = new Set(['ScanFailed']);
export const ARTIFACT_GONE = new Set(['Deleted']);

const VERSION_NAME_PREFIX = 'nestkit-';

export function desiredArtifacts(section: Record<string, ArtifactDefinition> | undefined): DesiredArtifact[] {
  return Object.entries(section ?? {}).map(([key, definition]) => ({
    key,
    definition,
    versionName: `${VERSION_NAME_PREFIX}${createHash('sha256').update(canonicalJson(definition)).digest('hex').slice(0, 12)}`,
  }));
}

/**
 * Per artifact, the calls that make a released version hold the desired content. An unchanged artifact
 * (a released version carrying the version name) needs none; a draft carrying it is awaited or released;
 * any other draft is updated (and a failed build of this content is built again); without a draft a new
 * version is created.
 */
export function planArtifacts(
  desired: DesiredArtifact[],
  remote: Record<string, RemoteArtifact | undefined>,
): ArtifactPlan {
  const plan: ArtifactPlan = { steps: [], reused: {} };
  for (const artifact of desired) {
    const found = remote[artifact.definition.ArtifactName];
    const name = artifact.key;
    if (!found) {
      plan.steps.push({ kind: 'createArtifact', artifact: name }, ...buildAndRelease(name));
      continue;
    }
    if (found.artifactType && found.artifactType !== artifact.definition.ArtifactType)
      throw new PublishConflict(
        `artifact ${artifact.definition.ArtifactName} (${found.artifactId}) is ${found.artifactType}, not ${artifact.definition.ArtifactType}; ` +
          'rename the artifact in service.yaml or delete the other one in the Compute Nest console',
      );
    const live = found.versions.filter((v) => !ARTIFACT_GONE.has(v.status));
    const released = live.find(
      (v) =>
        v.version !== ARTIFACT_DRAFT &&
        v.versionName === artifact.versionName &&
        ARTIFACT_READY.has(v.status),
    );
    if (released) {
      plan.reused[name] = { artifactId: found.artifactId, version: released.version };
      continue;
    }
    const draft = live.find((v) => v.version === ARTIFACT_DRAFT);
    if (!draft) plan.steps.push({ kind: 'createArtifact', artifact: name, artifactId: found.artifactId });
    else if (draft.versionName !== artifact.versionName || ARTIFACT_FAILED.has(draft.status))
      plan.steps.push({ kind: 'updateArtifact', artifact: name, artifactId: found.artifactId });
    else if (ARTIFACT_READY.has(draft.status)) {
      plan.steps.push({ kind: 'releaseArtifact', artifact: name });
      continue;
    }
    plan.steps.push(...buildAndRelease(name));
  }
  return plan;
}

function buildAndRelease(name: string): ArtifactStep[] {
  return [
    { kind: 'waitArtifact', artifact: name },
    { kind: 'releaseArtifact', artifact: name },
  ];
}

export function describeArtifactStep(step: ArtifactStep, desired: DesiredArtifact[]): string {
  const artifact = desired.find((a) => a.key === step.artifact);
  const named = `${artifact?.definition.ArtifactName ?? step.artifact} (${artifact?.versionName ?? ''})`;
  switch (step.kind) {
    case 'createArtifact':
      return step.artifactId
        ? `CreateArtifact: a new version of artifact ${step.artifactId}, ${named}`
        : `CreateArtifact: a new ${artifact?.definition.ArtifactType ?? ''} artifact ${named}`;
    case 'updateArtifact':
      return `UpdateArtifact: build the draft of ${step.artifactId} again as ${named}`;
    case 'waitArtifact':
      return `wait for the build of ${named} (GetArtifact, ListArtifactBuildLogs)`;
    case 'releaseArtifact':
      return `ReleaseArtifact: release the built draft of ${named}`;
  }
}
