import type { CommodityInput, ServiceCommodity } from '../cloud';
import { canonicalJson, type DesiredService } from './desired';

/** What publishing ends with: a draft holding the content, a pre-released (Beta) version, or an Online one. */
export type PublishGoal = 'draft' | 'prelaunch' | 'launch';

/** One version of the service as ListServices reports it. */
export interface RemoteVersion {
  version: string;
  versionName?: string;
  status: string;
  /** Changes whenever the version is written; part of each ClientToken so a token names one intent. */
  updateTime?: string;
  defaultVersion?: boolean;
}

/** What publish reads before it plans. */
export interface RemoteState {
  serviceId?: string;
  versions: RemoteVersion[];
  /** The Marketplace mappings of the version that holds the desired content, when one does. */
  commodity?: ServiceCommodity;
  /** The review of the version that holds the desired content (GetService `RegistrationId`), if any. */
  registrationId?: string;
}

export type Step =
  | { kind: 'upload'; file: string }
  | { kind: 'createService'; serviceId?: string }
  | { kind: 'updateDraft' }
  /** `version` as planned: the draft, an existing version, or `launched` (the number LaunchService answers). */
  | { kind: 'setCommodity'; version: string }
  /** RegisterService takes the service only: it submits the draft. */
  | { kind: 'register' }
  | { kind: 'waitApproval' }
  /** PreLaunchService takes the service only: it pre-releases the Approved draft. */
  | { kind: 'prelaunch' }
  /** The Approved draft, or a Beta or Offline version. */
  | { kind: 'launch'; version: string };

export interface PublishPlan {
  /** The version that holds (or will hold) the desired content, as far as it is known before applying. */
  version: string;
  steps: Step[];
}

/** A remote state publishing must not touch; the message says what to do. */
export class PublishConflict extends Error {
  readonly code = 'PublishConflict';
}

export const DRAFT = 'draft';
/** The label of the version LaunchService will answer with, before it does. */
export const LAUNCHED = 'launched';

/**
 * [I] The models do not say whether the Marketplace SKUs are bound (UpdateService with Commodity) before
 * the review or after the launch. We bind them on the draft, before RegisterService, so the reviewed and
 * launched version carries them. To bind after launching (on the launched version) instead, set this to true.
 */
export const BIND_SKUS_AFTER_LAUNCH = false;

/** [I] Draft statuses (GetService's model) in which the draft can still be edited and submitted. */
const EDITABLE = new Set(['Draft', 'CreateFailed', 'UpdateFailed']);

/**
 * Compares the desired service with the remote one and returns exactly the calls that close the gap.
 * A remote version whose VersionName carries the desired content hash is the one to keep: nothing is
 * uploaded or created again, which makes a re-run with nothing changed free of mutating calls.
 */
export function planPublish(desired: DesiredService, remote: RemoteState, goal: PublishGoal): PublishPlan {
  const holder = holderOf(desired, remote.versions);
  const content: Step[] = [];
  let version: RemoteVersion;
  let bind = true;
  if (holder) {
    version = holder;
    bind = !commodityMatches(remote.commodity, desired);
  } else {
    version = { version: DRAFT, versionName: desired.versionName, status: 'Draft' };
    content.push(...desired.templates.map((t) => ({ kind: 'upload' as const, file: t.file })));
    content.push(contentStep(remote));
  }
  const toGoal = goalSteps(version, goal);
  const afterLaunch =
    BIND_SKUS_AFTER_LAUNCH && toGoal.some((s) => s.kind === 'launch' || s.kind === 'prelaunch');
  const binding: Step[] = bind
    ? [{ kind: 'setCommodity', version: afterLaunch ? LAUNCHED : version.version }]
    : [];
  const steps = afterLaunch ? [...content, ...toGoal, ...binding] : [...content, ...binding, ...toGoal];
  return { version: version.version, steps };
}

/** [I] Statuses from least to most published; when several versions hold the content, the furthest wins. */
const PROGRESS = ['Draft', 'Submitted', 'Approved', 'Offline', 'Beta', 'Online'];

/** The remote version whose VersionName carries the desired content hash, if any. */
export function holderOf(desired: DesiredService, versions: RemoteVersion[]): RemoteVersion | undefined {
  const holders = versions.filter((v) => v.versionName === desired.versionName);
  return holders.sort((a, b) => PROGRESS.indexOf(b.status) - PROGRESS.indexOf(a.status))[0];
}

function contentStep(remote: RemoteState): Step {
  if (!remote.serviceId) return { kind: 'createService' };
  const draft = remote.versions.find((v) => v.version === DRAFT);
  if (!draft) return { kind: 'createService', serviceId: remote.serviceId };
  if (!EDITABLE.has(draft.status)) {
    throw new PublishConflict(
      `the draft of ${remote.serviceId} (${draft.versionName ?? 'unnamed'}) is ${draft.status} and cannot be changed; ` +
        (draft.status === 'Approved'
          ? 'launch it (publish its content with --launch) or delete it in the Compute Nest console, then publish again'
          : 'wait for its review to end, or withdraw it in the Compute Nest console, then publish again'),
    );
  }
  return { kind: 'updateDraft' };
}

/**
 * From wherever the version is towards the goal. The draft is submitted (RegisterService), its review
 * awaited (GetServiceRegistration), then the Approved draft is launched (LaunchService of `draft`) or
 * pre-launched (PreLaunchService); a Beta version is launched later without a new review.
 */
function goalSteps(version: RemoteVersion, goal: PublishGoal): Step[] {
  const v = version.version;
  if (goal === 'draft' || version.status === 'Online') return [];
  if (goal === 'prelaunch' && version.status === 'Beta') return [];
  const last: Step = goal === 'launch' ? { kind: 'launch', version: v } : { kind: 'prelaunch' };
  switch (version.status) {
    case 'Approved':
      return [last];
    case 'Beta':
      return [{ kind: 'launch', version: v }];
    case 'Offline':
      if (goal === 'launch') return [{ kind: 'launch', version: v }];
      throw new PublishConflict(
        `version ${v} (${version.versionName}) holds this content but was withdrawn (Offline); ` +
          'publish it with --launch to put it on sale again',
      );
    case 'Submitted':
      return [{ kind: 'waitApproval' }, last];
    default:
      if (v !== DRAFT && !EDITABLE.has(version.status)) {
        throw new PublishConflict(
          `version ${v} (${version.versionName}) is ${version.status}; wait until Compute Nest has finished with it, then publish again`,
        );
      }
      return [{ kind: 'register' }, { kind: 'waitApproval' }, last];
  }
}

/** The Marketplace mappings as GetService reports them (MarketplaceMetadata), in a comparable form. */
export function remoteMappings(commodity: ServiceCommodity | undefined): CommodityInput {
  return {
    SpecificationMappings: (commodity?.MarketplaceMetadata?.SpecificationMappings ?? []).map((m) => ({
      SpecificationCode: m.SpecificationCode,
      TemplateName: m.TemplateName,
      SpecificationName: m.SpecificationName,
    })),
  };
}

/**
 * True when the remote version holds the desired SKU mappings. Only what the real GetService returns is
 * compared: MarketplaceMetadata.SpecificationMappings (code, template, plan).
 */
export function commodityMatches(commodity: ServiceCommodity | undefined, desired: DesiredService): boolean {
  const sorted = (c: CommodityInput) =>
    [...(c.SpecificationMappings ?? [])].sort((a, b) =>
      (a.SpecificationCode ?? '').localeCompare(b.SpecificationCode ?? ''),
    );
  return (
    canonicalJson(sorted(remoteMappings(commodity))) === canonicalJson(sorted(desired.definition.Commodity))
  );
}

/** True when a step changes the cloud (everything but waiting). */
export function isMutating(step: Step): boolean {
  return step.kind !== 'waitApproval';
}
