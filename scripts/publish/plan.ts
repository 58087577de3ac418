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
}

export type Step =
  | { kind: 'upload'; file: string }
  | { kind: 'createService'; serviceId?: string }
  | { kind: 'updateDraft' }
  | { kind: 'setCommodity'; version: string }
  | { kind: 'prelaunch'; version: string }
  | { kind: 'register'; version: string }
  | { kind: 'waitApproval'; version: string }
  | { kind: 'launch'; version: string };

export interface PublishPlan {
  /** The version that holds (or will hold) the desired content. */
  version: string;
  steps: Step[];
}

/** A remote state publishing must not touch; the message says what to do. */
export class PublishConflict extends Error {
  readonly code = 'PublishConflict';
}

export const DRAFT = 'draft';
/** [I] Statuses in which a version can still be edited; Submitted and Approved are read-only. */
const EDITABLE = new Set(['Draft', 'Created', 'CreateFailed', 'UpdateFailed']);

/**
 * Compares the desired service with the remote one and returns exactly the calls that close the gap.
 * A remote version whose VersionName carries the desired content hash is the one to keep: nothing is
 * uploaded or created again, which makes a re-run with nothing changed free of mutating calls.
 */
export function planPublish(desired: DesiredService, remote: RemoteState, goal: PublishGoal): PublishPlan {
  const holder = holderOf(desired, remote.versions);
  const steps: Step[] = [];
  let version: RemoteVersion;
  if (holder) {
    version = holder;
    if (!commodityMatches(remote.commodity, desired))
      steps.push({ kind: 'setCommodity', version: holder.version });
  } else {
    version = { version: DRAFT, versionName: desired.versionName, status: 'Draft' };
    steps.push(...desired.templates.map((t) => ({ kind: 'upload' as const, file: t.file })));
    steps.push(contentStep(remote));
    steps.push({ kind: 'setCommodity', version: DRAFT });
  }
  steps.push(...goalSteps(version, goal));
  return { version: version.version, steps };
}

/** [I] Statuses from least to most published; when several versions hold the content, the furthest wins. */
const PROGRESS = ['Draft', 'Submitted', 'Approved', 'Beta', 'Online'];

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
        'wait for its review to end, or withdraw it in the Compute Nest console, then publish again',
    );
  }
  return { kind: 'updateDraft' };
}

/**
 * From wherever the version is towards the goal. Pre-launching and launching both need an Approved
 * version, so a draft is submitted and its review awaited first; Beta can still be launched.
 */
function goalSteps(version: RemoteVersion, goal: PublishGoal): Step[] {
  const v = version.version;
  if (goal === 'draft' || version.status === 'Online') return [];
  if (goal === 'prelaunch' && version.status === 'Beta') return [];
  const last: Step = goal === 'launch' ? { kind: 'launch', version: v } : { kind: 'prelaunch', version: v };
  switch (version.status) {
    case 'Approved':
    case 'Beta':
      return [last];
    case 'Submitted':
      return [{ kind: 'waitApproval', version: v }, last];
    default:
      return [{ kind: 'register', version: v }, { kind: 'waitApproval', version: v }, last];
  }
}

/** The Marketplace mappings as GetService reports them, in a comparable form. */
export function remoteMappings(
  commodity: ServiceCommodity | undefined,
): Required<Pick<CommodityInput, 'SpecificationMappings' | 'ComponentsMappings'>> {
  return {
    SpecificationMappings: (commodity?.MarketplaceMetadata?.SpecificationMappings ?? []).map((m) => ({
      SpecificationCode: m.SpecificationCode,
      TemplateName: m.TemplateName,
      SpecificationName: m.SpecificationName,
    })),
    ComponentsMappings: commodity?.CssMetadata?.ComponentsMappings ?? [],
  };
}

export function commodityMatches(commodity: ServiceCommodity | undefined, desired: DesiredService): boolean {
  const sorted = (c: CommodityInput) => ({
    SpecificationMappings: [...(c.SpecificationMappings ?? [])].sort((a, b) =>
      a.SpecificationCode.localeCompare(b.SpecificationCode),
    ),
    ComponentsMappings: [...(c.ComponentsMappings ?? [])].sort((a, b) =>
      a.TemplateName.localeCompare(b.TemplateName),
    ),
  });
  return (
    canonicalJson(sorted(remoteMappings(commodity))) === canonicalJson(sorted(desired.definition.Commodity))
  );
}

/** True when a step changes the cloud (everything but waiting). */
export function isMutating(step: Step): boolean {
  return step.kind !== 'waitApproval';
}
