import { CloudError } from '../../cloud/errors';
import type { MarketApi } from '../../cloud/market';
import { ENDED_STATES } from '../machine';
import { acceptSpi, type SpiDeps } from '../spi/handler';

/** The two Market calls of the pass (MarketApi has them). */
export type NotificationApi = Pick<MarketApi, 'describeFailedNotifications' | 'confirmNotification'>;

export interface FailedNotificationResult {
  /** Failed notifications the Marketplace listed. */
  listed: number;
  /** Applied now, through the same path as a live notification. */
  applied: number;
  /** Listed again although applied before (the confirmation was lost): confirmed, not applied. */
  alreadyApplied: number;
  confirmed: number;
  /** Left listed: malformed, refused (e.g. an unknown SKU), or a create still being deployed. */
  left: number;
}

const PAGE_SIZE = 50;
const MAX_PAGES = 20;

/**
 * Missed notifications as a reconciliation source: the SPI notifications the Marketplace failed to
 * deliver (DescribeFailedNotifications) are applied through the handler's own path, each committed
 * with its NotificationRequestId in one transaction (a durable table: never applied twice), and
 * confirmed (ConfirmNotification) only after that commit. Every page is read before anything is
 * confirmed, so confirmations do not shift the pages being read.
 *
 * [I] The message is the notification's parameters as a JSON object; its token is not checked (the
 * signed Market API answer is the proof). [I] A createInstance is confirmed only once its answer is
 * final (an instance id, not "0"): until then the Marketplace keeps asking, which is how the buyer
 * gets appInfo; the id table keeps it from being applied again meanwhile.
 */
export async function failedNotificationPass(
  market: NotificationApi,
  deps: SpiDeps,
): Promise<FailedNotificationResult> {
  const result: FailedNotificationResult = {
    listed: 0,
    applied: 0,
    alreadyApplied: 0,
    confirmed: 0,
    left: 0,
  };
  const items: { id: string; action?: string; message?: string }[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const answer = await market.describeFailedNotifications({ PageNumber: page, PageSize: PAGE_SIZE });
    const list = answer.NotificationList ?? [];
    for (const n of list)
      if (n.NotificationRequestId)
        items.push({ id: n.NotificationRequestId, action: n.Action, message: n.Message });
    if (list.length < PAGE_SIZE || page * PAGE_SIZE >= (answer.TotalCount ?? 0)) break;
  }
  result.listed = items.length;
  for (const item of items) {
    const log = { notificationRequestId: item.id, action: item.action };
    const params = messageParams(item.message);
    if (!params) {
      deps.log.error(log, 'failed notification with a message that is not a JSON object; left listed');
      result.left += 1;
      continue;
    }
    const before = await deps.store.notificationStatus(item.id);
    let final = true;
    if (before.applied) {
      result.alreadyApplied += 1;
      final = params.action !== 'createInstance' || (await isCreateFinal(deps, params));
    } else if (params.action === 'verify') {
      await deps.store.rememberNotification(item.id, params.instanceId ?? '', 'verify');
    } else {
      const outcome = await acceptSpi(params, deps, item.id);
      if (!outcome.committed) {
        deps.log.error(
          { ...log, status: outcome.answer.status, answer: outcome.answer.body },
          'failed notification refused; left listed for the next pass',
        );
        result.left += 1;
        continue;
      }
      if (outcome.duplicate) result.alreadyApplied += 1;
      else result.applied += 1;
      const body = outcome.answer.body as { instanceId?: string };
      final =
        params.action !== 'createInstance' || (body.instanceId !== undefined && body.instanceId !== '0');
    }
    if (!final) {
      result.left += 1;
      continue;
    }
    if (await confirm(market, item.id, deps)) result.confirmed += 1;
    else result.left += 1;
  }
  if (result.listed > 0) deps.log.info(result, 'failed-notification pass');
  return result;
}

/** A create applied earlier is final once its record is deployed or gone. */
async function isCreateFinal(deps: SpiDeps, params: Record<string, string>): Promise<boolean> {
  const record = await deps.store.get(params.orderBizId ?? '');
  return !!record && (!!record.outputs || ENDED_STATES.includes(record.state));
}

async function confirm(market: NotificationApi, id: string, deps: SpiDeps): Promise<boolean> {
  try {
    await market.confirmNotification({ NotificationRequestId: id });
    await deps.store.markNotificationConfirmed(id, deps.now().toISOString());
    return true;
  } catch (error) {
    const code = error instanceof CloudError ? error.code : (error as Error).message;
    deps.log.warn(
      { notificationRequestId: id, error: code },
      'ConfirmNotification failed; confirmed next pass',
    );
    return false;
  }
}

/** The message's parameters as strings, or undefined when it is not a JSON object. */
function messageParams(message: string | undefined): Record<string, string> | undefined {
  if (!message) return undefined;
  try {
    const parsed: unknown = JSON.parse(message);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(parsed as Record<string, unknown>))
      if (value !== null && value !== undefined && name !== 'token')
        params[name] = typeof value === 'string' ? value : JSON.stringify(value);
    return params;
  } catch {
    return undefined;
  }
}
