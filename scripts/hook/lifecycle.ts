/**
 * The vocabulary of an order's lifecycle: its states, its record, the events that move it and the
 * effects they ask for. Types and constants only, so the machine and the rules it consults
 * (stale-events.ts) both import it and neither imports the other.
 */
import type { LifecyclePolicy } from '../../service-config/model';

/** Every state, in lifecycle order. */
export const STATES = [
  'announced', // renew/upgrade/expire arrived before create: remembered, nothing deployed
  'provisioning', // create recorded; the Compute Nest instance is being created or deployed
  'active', // deployed and in service
  'failed', // the deployment failed; kept for the operator, torn down on release
  'expired', // subscription lapsed: stopped (or kept, by policy), data kept
  'released', // released: teardown scheduled after the retention (or retained when the policy says so)
  'deleting', // DeleteServiceInstances issued, watching until Deleted
  'deleted', // gone (torn down by the hook, or seen deleted outside it)
] as const;
export type State = (typeof STATES)[number];

export type Source = 'spi' | 'computenest' | 'license';

export interface InstanceRecord {
  /** The Marketplace instance id (SPI `instanceId` = `orderBizId`), or the adopted instance's key. */
  id: string;
  source: Source;
  state: State;
  /** Incremented on every change; part of each effect's idempotency key (ClientToken). */
  revision: number;
  skuId?: string;
  /** Extra billing items as the Marketplace sent them: item key → value. */
  billingItems: Record<string, string>;
  aliUid?: string;
  orderIds: string[];
  /** End of the paid period, ISO-8601 UTC. */
  expiresAt?: string;
  /** The latest expiry notice applied (or remembered before the create): holds while no later end is paid. */
  lapsedAt?: string;
  /** The time of the upgrade the record holds: an older one arriving late changes nothing. */
  upgradedAt?: string;
  serviceInstanceId?: string;
  outputs?: Record<string, string>;
  /** When a released (or long-expired) instance is to be torn down, ISO-8601 UTC. */
  teardownAt?: string;
  stopped: boolean;
  /** The upgrade recorded while provisioning, applied once the instance is deployed. */
  pendingUpgrade: boolean;
  /** A create was asked for: an instance may exist even before its id is known. */
  createRequested: boolean;
  /** Licence mode: the code the buyer activated; the reconciler re-reads the licence by it. */
  licenseCode?: string;
  refunded?: boolean;
  failure?: string;
  /** True when the instance disappeared without the hook tearing it down. */
  deletedOutside?: boolean;
  /** An operator's manual teardown (`nestkit orders release`): the reason they gave. */
  operatorReleaseReason?: string;
  createdAt: string;
  updatedAt: string;
}

export type LifecycleEvent =
  | {
      type: 'create';
      at: string;
      skuId: string;
      billingItems: Record<string, string>;
      expiresAt?: string;
      aliUid?: string;
      orderId?: string;
      source?: Source;
      licenseCode?: string;
    }
  | {
      type: 'adopt';
      at: string;
      serviceInstanceId: string;
      deployed: boolean;
      skuId?: string;
      /** [I] For a Compute Nest-mode order: the modules its parameters show (see reconcile-events). */
      billingItems?: Record<string, string>;
      expiresAt?: string;
      outputs?: Record<string, string>;
    }
  | { type: 'instanceCreated'; at: string; serviceInstanceId: string }
  | { type: 'deployed'; at: string; outputs: Record<string, string> }
  | { type: 'deployFailed'; at: string; reason: string }
  | { type: 'renew'; at: string; expiresAt: string; orderId?: string }
  | { type: 'upgrade'; at: string; skuId?: string; billingItems: Record<string, string>; orderId?: string }
  | {
      type: 'expire';
      at: string;
      /**
       * Read from the Marketplace or Compute Nest by a signed call (licence status, BizStatus), not
       * pushed: it applies whatever paid end the record holds. An SPI notification never sets it.
       */
      confirmed?: boolean;
    }
  | { type: 'release'; at: string; refund: boolean }
  | { type: 'teardownDue'; at: string }
  | { type: 'deleted'; at: string; outside?: boolean }
  | { type: 'deleteFailed'; at: string; reason: string }
  /** An operator retries a failed order (`nestkit orders retry`, the console): create or watch again. */
  | { type: 'retry'; at: string }
  /** An operator tears an order down now, whatever the policy's retention (the teardown guard still applies). */
  | { type: 'operatorRelease'; at: string; reason: string };

export type EffectKind =
  | 'createInstance'
  | 'watchDeployment'
  | 'continueDeployment'
  | 'extendEndTime'
  | 'applyUpgrade'
  | 'stopInstance'
  | 'startInstance'
  | 'deleteInstance';

export interface Effect {
  kind: EffectKind;
}

export interface Transition {
  record: InstanceRecord;
  effects: Effect[];
  /** False when the event changed nothing (a duplicate or an event that no longer applies). */
  changed: boolean;
  /** Why a notification was judged stale by what it says (see stale-events.ts): logged by the caller. */
  stale?: string;
}

export type Policy = Pick<LifecyclePolicy, 'onExpiry' | 'retentionDays' | 'deleteOnRelease'>;
