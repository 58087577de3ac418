import { OUTPUT_KEYS } from '../../../cdk/hook-contract';
import { ENDED_STATES, type InstanceRecord, type LifecycleEvent } from '../machine';
import { SpiParseError } from './parse-params';
import { checkParameterTypes } from './parameter-types';
import { parseStrictSpiTime, SPI_TIME_FORMAT } from './spi-time';
import { SPI_ACTIONS, type SpiAction } from '../../marketplace/spi-actions';

/** The SPI's actions, named once in scripts/marketplace for both sides of the wire. */
export { SPI_ACTIONS, type SpiAction };

/**
 * Required parameters per action, besides `action` and `token` [V marketplace-spi.md section 4]. What
 * the documentation marks optional, or leaves out of its own examples, is optional here:
 * - createInstance: `expiredOn`, `template`, `ecsInstanceId`, `package_version` optional; `skuId` may be
 *   left out when `package_version` names the SKU [I] (checked in `toSpiRequest`).
 * - releaseInstance: `isRefund` optional, absent = a release without refund (the page's own example
 *   omits it); `orderId`, `ecsInstanceId` optional.
 * - renewInstance: `ecsInstanceId` optional.
 */
const REQUIRED: Record<SpiAction, string[]> = {
  createInstance: ['aliUid', 'orderBizId', 'orderId', 'productCode', 'trial'],
  renewInstance: ['instanceId', 'orderId', 'expiredOn'],
  upgradeInstance: ['instanceId', 'skuId', 'orderId'],
  expiredInstance: ['instanceId'],
  releaseInstance: ['instanceId'],
  verify: ['instanceId', 'timeStamp'],
};

/**
 * The SPI's system parameters: every parameter the SPI pages name for some action, plus `action` and
 * `token` [V marketplace-spi.md sections 3, 4]. Named once, here; on create and upgrade every other
 * parameter is an extra billing item (section 7). `ecsInstanceId` (renew, release; create for image
 * products) is the Compute Nest instance id, never a billing item.
 */
export const SYSTEM_PARAMETERS = [
  'action',
  'token',
  'aliUid',
  'orderBizId',
  'orderId',
  'productCode',
  'skuId',
  'package_version',
  'trial',
  'expiredOn',
  'template',
  'ecsInstanceId',
  'instanceId',
  'isRefund',
  'timeStamp',
] as const;
const NOT_BILLING: ReadonlySet<string> = new Set(SYSTEM_PARAMETERS);

export interface SpiRequest {
  action: SpiAction;
  /** The Marketplace instance id: `orderBizId` on create, `instanceId` afterwards. */
  instanceId: string;
  /** What it means for the lifecycle; `verify` has none. */
  event?: LifecycleEvent;
  /** `verify` only: the request's timestamp, ISO-8601 UTC. */
  timeStamp?: string;
  /**
   * createInstance and upgradeInstance: the SKU codes as sent, `package_version` first, then `skuId`
   * (either the product's SKU code like `cmgj00001-prepay` or the specification code `yuncode…`). The
   * handler resolves them to an edition and puts its specification code in the event.
   */
  skuCodes?: string[];
  /** renewInstance, releaseInstance (and createInstance of image products): the Compute Nest instance id. */
  ecsInstanceId?: string;
}

/**
 * Turns verified SPI parameters into a lifecycle event; `at` is the receiving time, ISO-8601 UTC.
 * `billingItems`: the billing items the service model sells, whose values must be whole numbers.
 */
export function toSpiRequest(
  params: Record<string, string>,
  at: string,
  billingItems: ReadonlySet<string> = new Set(),
): SpiRequest {
  const action = params.action as SpiAction;
  if (!SPI_ACTIONS.includes(action)) {
    throw new SpiParseError(
      'UnknownAction',
      `unknown action ${JSON.stringify(params.action ?? null)} (expected one of ${SPI_ACTIONS.join(', ')})`,
      'action',
    );
  }
  for (const name of REQUIRED[action]) {
    if (params[name] === undefined || params[name] === '')
      throw new SpiParseError('MissingParameter', `${action} needs parameter "${name}"`, name);
  }
  if (action === 'createInstance' && !params.skuId && !params.package_version)
    throw new SpiParseError('MissingParameter', 'createInstance needs "skuId" or "package_version"', 'skuId');
  checkParameterTypes(params, billingItems);
  const instanceId = action === 'createInstance' ? params.orderBizId : params.instanceId;
  const skuCodes =
    action === 'createInstance' || action === 'upgradeInstance'
      ? [params.package_version, params.skuId].filter((c): c is string => !!c)
      : undefined;
  return {
    action,
    instanceId,
    ...eventOf(action, params, at),
    ...(skuCodes ? { skuCodes } : {}),
    ...(params.ecsInstanceId ? { ecsInstanceId: params.ecsInstanceId } : {}),
  };
}

function eventOf(
  action: SpiAction,
  p: Record<string, string>,
  at: string,
): Pick<SpiRequest, 'event' | 'timeStamp'> {
  switch (action) {
    case 'createInstance':
      return {
        event: {
          type: 'create',
          at,
          // The edition's specification code once the handler resolved `skuCodes`; as sent until then.
          skuId: p.package_version || p.skuId,
          billingItems: billingItems(p),
          expiresAt: p.expiredOn === undefined ? undefined : spiTimeToIso(p.expiredOn, 'expiredOn'),
          aliUid: p.aliUid,
          orderId: p.orderId,
          source: 'spi',
        },
      };
    case 'renewInstance':
      return {
        event: { type: 'renew', at, expiresAt: spiTimeToIso(p.expiredOn, 'expiredOn'), orderId: p.orderId },
      };
    case 'upgradeInstance':
      return {
        event: {
          type: 'upgrade',
          at,
          skuId: p.package_version || p.skuId,
          billingItems: billingItems(p),
          orderId: p.orderId,
        },
      };
    case 'expiredInstance':
      return { event: { type: 'expire', at } };
    case 'releaseInstance':
      // Without isRefund: a release without refund (the documentation's own example omits it).
      return {
        event: {
          type: 'release',
          at,
          refund:
            p.isRefund === undefined || p.isRefund === '' ? false : booleanParam(p.isRefund, 'isRefund'),
        },
      };
    case 'verify':
      return { timeStamp: spiTimeToIso(p.timeStamp, 'timeStamp') };
  }
}

function billingItems(p: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(p).filter(([name]) => !NOT_BILLING.has(name)));
}

function booleanParam(value: string, name: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  throw new SpiParseError(
    'InvalidParameter',
    `${name} must be true or false, not ${JSON.stringify(value.slice(0, 40))}`,
    name,
  );
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8) [I: the SPI pages give no zone] → ISO-8601 UTC. */
export function spiTimeToIso(value: string, name: string): string {
  const parsed = parseStrictSpiTime(value);
  if ('error' in parsed) {
    throw new SpiParseError(
      'InvalidParameter',
      `${name} must be a time as ${SPI_TIME_FORMAT}, not ${JSON.stringify(value.slice(0, 40))}: ${parsed.error}`,
      name,
    );
  }
  return new Date(parsed.ms).toISOString();
}

/** The documented answer shapes [V marketplace-spi.md section 5]. */
export type SpiAnswer =
  | {
      instanceId: string;
      appInfo?: {
        frontEndUrl?: string;
        adminUrl?: string;
        username?: string;
        password?: string;
        /** The SSO entry: Marketplace sends the buyer there with a signed `verify` [V M4 M10]. */
        authUrl?: string;
      };
    }
  | { success: true };

/** A Marketplace billing item counts as bought unless its value is empty, zero or false. */
export function itemBought(value: string | undefined): boolean {
  return value !== undefined && !/^(|0|false|no)$/i.test(value.trim());
}

/**
 * The answer to an accepted request, from the record as stored. createInstance answers "0" until the
 * instance is deployed (Marketplace then calls again), then the same id and appInfo every time.
 */
export function spiAnswer(action: SpiAction, record: InstanceRecord | undefined): SpiAnswer {
  if (action !== 'createInstance') return { success: true };
  if (!record) return { instanceId: '0' };
  if (record.outputs) {
    const o = record.outputs;
    return {
      instanceId: record.id,
      appInfo: {
        frontEndUrl: o[OUTPUT_KEYS.frontendUrl],
        adminUrl: o[OUTPUT_KEYS.adminUrl],
        username: o[OUTPUT_KEYS.adminUser],
      },
    };
  }
  // Released before it was ever deployed: answer the id so Marketplace stops calling.
  if (ENDED_STATES.includes(record.state)) return { instanceId: record.id };
  return { instanceId: '0' };
}
