import { SpiParseError } from './parse-params';
import { parseStrictSpiTime } from './spi-time';

/**
 * Every SPI parameter has a type, checked after the token and before anything is stored. The token is
 * an MD5 over `k=v&k=v…&key=` [V marketplace-spi.md section 3], so a captured token for
 * `A=0&B=0` also signs one parameter `A` with the value `0&B=0`: no value may contain `&` or `=`.
 */

/** A Marketplace id: `orderBizId`, `instanceId`, `orderId`. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
/** [I] Decimal ids (what the Marketplace sends, e.g. `40017`) fit an unsigned 64-bit integer. */
const MAX_DECIMAL_ID_DIGITS = 20;
/** Words that are what a broken or hostile client prints for "no number", never an id. */
const NOT_AN_ID = /^(nan|null|undefined|infinity|none|true|false)$/i;
/** A product, SKU or template code: `cmjj00012345`, `yuncode5012300001`, `cmgj00001-prepay`. */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** A buyer's Alibaba Cloud account id (16 digits in practice). */
const ALI_UID_PATTERN = /^[1-9][0-9]{0,19}$/;
/** The Compute Nest instance id (`si-…`). */
const ECS_INSTANCE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * [I] The quantity a billing item of a module may carry. The model's modules are switches (a Boolean
 * template parameter), so any whole number counts; the bound only keeps absurd values out.
 */
export const BILLING_ITEM_RANGE = { min: 0, max: 1000 } as const;
/** A parameter that is neither a system parameter nor a billing item of the model: kept, but plain. */
const OTHER_VALUE_PATTERN = /^[A-Za-z0-9_.:+-]{0,64}$/;

/** Why an id is not one, or undefined when it is. */
export function idProblem(value: string): string | undefined {
  if (!ID_PATTERN.test(value))
    return 'an id is 1-40 letters, digits, "_" or "-", starting with a letter or digit';
  if (/^0+$/.test(value)) return '0 is the SPI\'s "not ready" answer, never an id';
  if (NOT_AN_ID.test(value)) return `"${value}" is not an id`;
  if (/^\d+$/.test(value) && (value.length > MAX_DECIMAL_ID_DIGITS || value.startsWith('0')))
    return `a decimal id has at most ${MAX_DECIMAL_ID_DIGITS} digits and no leading zero`;
  return undefined;
}

type Check = (value: string) => string | undefined;

const matches =
  (pattern: RegExp, what: string): Check =>
  (value) =>
    pattern.test(value) ? undefined : what;

const flag: Check = (value) => (value === 'true' || value === 'false' ? undefined : 'must be true or false');

const time: Check = (value) => {
  const parsed = parseStrictSpiTime(value);
  return 'error' in parsed ? parsed.error : undefined;
};

/** The type of each system parameter (`action` is checked against the list of actions). */
const SYSTEM_TYPES: Record<string, Check> = {
  aliUid: matches(ALI_UID_PATTERN, 'must be an account id (digits, no leading zero, at most 20)'),
  orderBizId: idProblem,
  instanceId: idProblem,
  orderId: idProblem,
  productCode: matches(CODE_PATTERN, 'must be a product code (letters, digits, "_", "-", ".")'),
  skuId: matches(CODE_PATTERN, 'must be a SKU code (letters, digits, "_", "-", ".")'),
  package_version: matches(CODE_PATTERN, 'must be a SKU code (letters, digits, "_", "-", ".")'),
  template: matches(CODE_PATTERN, 'must be a template id'),
  ecsInstanceId: matches(ECS_INSTANCE_ID_PATTERN, 'must be an instance id'),
  trial: flag,
  isRefund: flag,
  expiredOn: time,
  timeStamp: time,
};

/** Optional parameters a caller may send empty: the same as absent. Empty elsewhere is refused. */
const EMPTY_MEANS_ABSENT: ReadonlySet<string> = new Set([
  'template',
  'ecsInstanceId',
  'isRefund',
  'package_version',
]);

function billingItem(value: string): string | undefined {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(value)) return 'a billing item is a whole number';
  const n = Number(value);
  return n < BILLING_ITEM_RANGE.min || n > BILLING_ITEM_RANGE.max
    ? `a billing item is from ${BILLING_ITEM_RANGE.min} to ${BILLING_ITEM_RANGE.max}`
    : undefined;
}

/**
 * Refuses the first parameter whose value is not of its type, naming it (`InvalidParameter`).
 * `billingItems`: the billing items the service model sells (its modules').
 */
export function checkParameterTypes(params: Record<string, string>, billingItems: ReadonlySet<string>): void {
  for (const [name, value] of Object.entries(params)) {
    if (name === 'action' || name === 'token') continue; // the action is one of a list, the token verified
    const problem = problemOf(name, value, billingItems);
    if (problem)
      throw new SpiParseError(
        'InvalidParameter',
        `parameter "${name}" ${JSON.stringify(value.slice(0, 40))}: ${problem}`,
        name,
      );
  }
}

function problemOf(name: string, value: string, billingItems: ReadonlySet<string>): string | undefined {
  if (/[&=]/.test(value)) return 'a value may not contain "&" or "=" (it could be several parameters joined)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'a value may not contain control characters';
  if (value === '') {
    const mayBeEmpty = EMPTY_MEANS_ABSENT.has(name) || (!(name in SYSTEM_TYPES) && !billingItems.has(name));
    return mayBeEmpty ? undefined : 'is empty';
  }
  const system = SYSTEM_TYPES[name];
  if (system) return system(value);
  if (billingItems.has(name)) return billingItem(value);
  return OTHER_VALUE_PATTERN.test(value) ? undefined : 'must be at most 64 letters, digits or "_.:+-"';
}
