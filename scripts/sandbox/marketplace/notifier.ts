import type { SandboxCore } from '../core';
import { ApiError } from '../errors';
import type { MarketOrder, SpiNotification } from '../state';
import { spiTime, spiToken } from '../../marketplace/spi-token';
import type { SpiAction } from '../../marketplace/spi-actions';
import { DEFAULT_SUPPLIER_ACCOUNT } from './licenses';

/** Marketplace retries a failed notification up to 120 times [V M2 M4]. */
export const MAX_ATTEMPTS = 120;

/** [I] Backoff between attempts on the virtual clock: 10 s doubling, capped at one hour. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempt - 1));
}

export function enqueue(
  core: SandboxCore,
  order: MarketOrder,
  action: SpiAction,
  params: Record<string, string>,
): SpiNotification {
  const product = core.state.products[order.productCode];
  const n = core.nextNumber();
  const spiMethod = product?.spiMethod ?? 'GET';
  const notification: SpiNotification = {
    id: `n-${n}`,
    orderBizId: order.orderBizId,
    action,
    params: { action, ...params },
    status: 'pending',
    attempts: 0,
    createdMs: core.now(),
    method: spiMethod === 'alternate' ? (n % 2 === 0 ? 'POST' : 'GET') : spiMethod,
  };
  core.state.notifications.push(notification);
  core.schedule('spi.deliver', notification.id, core.now());
  return notification;
}

/**
 * Deliveries are durable: the retry of an attempt is scheduled (and the state saved) before the call
 * goes out, so a notification in flight when the sandbox is killed is sent again after a restart. A
 * pending notification without a timer (a state saved before this rule) gets one at start-up.
 */
export function registerNotifierTimers(core: SandboxCore, timeoutMs = 5000): void {
  const inFlight = new Set<string>();
  core.onTimer('spi.deliver', (timer) => {
    const notification = core.state.notifications.find((n) => n.id === timer.ref);
    // A crash-recovery timer that falls due while its call is still out is left alone.
    if (notification?.status !== 'pending' || inFlight.has(notification.id)) return;
    inFlight.add(notification.id);
    void core.track(deliver(core, notification, timeoutMs).finally(() => inFlight.delete(notification.id)));
  });
  const scheduled = new Set(core.state.timers.filter((t) => t.kind === 'spi.deliver').map((t) => t.ref));
  for (const notification of core.state.notifications)
    if (notification.status === 'pending' && !scheduled.has(notification.id))
      core.schedule('spi.deliver', notification.id, core.now());
}

async function deliver(core: SandboxCore, notification: SpiNotification, timeoutMs: number): Promise<void> {
  const order = core.state.orders[notification.orderBizId];
  const product = order && core.state.products[order.productCode];
  if (!product?.spiUrl || product.spiKey === undefined) return;
  const params = { ...notification.params };
  notification.attempts += 1;
  notification.lastAttemptAt = core.iso();
  // The next attempt is on record before this one leaves: a crash mid-call loses nothing.
  core.schedule('spi.deliver', notification.id, core.now() + retryDelaySeconds(notification.attempts) * 1000);
  core.persist();
  const outcome = await call(product.spiUrl, params, product.spiKey, notification.method ?? 'GET', timeoutMs);
  if (notification.status !== 'pending') return; // confirmed by the ISV while the call was out
  const accepted = outcome.body !== undefined && isSuccess(notification.action, outcome.body);
  notification.lastResponse = outcome.text?.slice(0, 500);
  if (accepted) {
    core.cancel('spi.deliver', notification.id);
    notification.status = 'delivered';
    notification.lastError = undefined;
    if (notification.action === 'createInstance') {
      const answer = outcome.body as { instanceId: unknown; appInfo?: Record<string, unknown> };
      order.isvInstanceId = String(answer.instanceId);
      if (answer.appInfo && typeof answer.appInfo === 'object') order.appInfo = answer.appInfo;
    }
  } else {
    notification.lastError = outcome.error ?? `HTTP ${outcome.status}: not a success answer`;
    core.cancel('spi.deliver', notification.id);
    if (notification.attempts >= MAX_ATTEMPTS) notification.status = 'failed';
    else
      core.schedule(
        'spi.deliver',
        notification.id,
        core.now() + retryDelaySeconds(notification.attempts) * 1000,
      );
  }
  core.persist();
}

/** createInstance succeeds with a non-zero instanceId (string or number); the others with success true. */
function isSuccess(action: string, body: unknown): boolean {
  const answer = body as Record<string, unknown>;
  if (action === 'createInstance')
    return (
      answer.instanceId !== undefined &&
      answer.instanceId !== null &&
      String(answer.instanceId) !== '0' &&
      String(answer.instanceId) !== ''
    );
  return answer.success === true || answer.success === 'true';
}

/** GET: every parameter in the query. POST: `action` in the query, the rest (and the token) as a form. */
async function call(
  spiUrl: string,
  params: Record<string, string>,
  key: string,
  method: 'GET' | 'POST',
  timeoutMs: number,
): Promise<{ status?: number; text?: string; body?: unknown; error?: string }> {
  const url = new URL(spiUrl);
  const signed: Record<string, string> = { ...params, token: spiToken(params, key) };
  let body: URLSearchParams | undefined;
  if (method === 'GET') for (const [name, value] of Object.entries(signed)) url.searchParams.set(name, value);
  else {
    url.searchParams.set('action', signed.action);
    body = new URLSearchParams(Object.entries(signed).filter(([name]) => name !== 'action'));
  }
  try {
    const response = await fetch(url, { method, body, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    if (response.status !== 200) return { status: response.status, text };
    try {
      return { status: 200, text, body: JSON.parse(text) };
    } catch {
      return { status: 200, text, error: 'the answer is not JSON' };
    }
  } catch (error) {
    return { error: (error as Error).message };
  }
}

// --- The Market API over notifications (DescribeFailedNotifications, ConfirmNotification) ---

function ownedBy(core: SandboxCore, notification: SpiNotification, accountId: string): boolean {
  const order = core.state.orders[notification.orderBizId];
  const product = order && core.state.products[order.productCode];
  // [I] An SPI product belongs to its supplierAccountId, by default the documented sandbox key's account.
  return !!product && (product.supplierAccountId ?? DEFAULT_SUPPLIER_ACCOUNT) === accountId;
}

/** [I] Listed from the first failed attempt until delivered or confirmed, oldest first. */
export function failedNotifications(core: SandboxCore, accountId: string): SpiNotification[] {
  return core.state.notifications.filter(
    (n) =>
      (n.status === 'failed' || (n.status === 'pending' && n.attempts > 0 && n.lastError !== undefined)) &&
      ownedBy(core, n, accountId),
  );
}

/** One item of DescribeFailedNotifications' NotificationList (the model's fields only). */
export function notificationView(core: SandboxCore, notification: SpiNotification) {
  const order = core.state.orders[notification.orderBizId];
  const key = core.state.products[order.productCode]?.spiKey ?? '';
  return {
    Action: notification.action,
    CreateTime: notification.createdMs ?? Date.parse(notification.lastAttemptAt ?? core.iso()),
    // [I] The message body: the notification's parameters as sent, token included, as a JSON object.
    Message: JSON.stringify({ ...notification.params, token: spiToken(notification.params, key) }),
    NotificationRequestId: notification.id,
  };
}

/** ConfirmNotification: the notification is not sent again and no longer listed. */
export function confirmNotification(core: SandboxCore, id: string, accountId: string): void {
  const notification = core.state.notifications.find((n) => n.id === id);
  if (!notification || !ownedBy(core, notification, accountId))
    throw new ApiError(404, 'EntityNotExist.Notification', `No notification ${id}.`); // [I] code
  if (notification.status === 'pending' || notification.status === 'failed') {
    notification.status = 'confirmed';
    core.cancel('spi.deliver', notification.id);
  }
}

/**
 * What the Marketplace console does when the buyer clicks the SSO entry [V M10]: `appInfo.authUrl` plus
 * `action=verify&instanceId&timeStamp&token`, opened without following the redirect.
 */
export async function signIn(
  core: SandboxCore,
  orderBizId: string,
): Promise<{ url: string; status: number; location?: string; body?: unknown }> {
  const order = core.state.orders[orderBizId];
  if (!order) throw new ApiError(404, 'OrderNotFound', `No order ${orderBizId}.`);
  const product = core.state.products[order.productCode];
  const authUrl = order.appInfo?.authUrl;
  if (typeof authUrl !== 'string' || product?.spiKey === undefined)
    throw new ApiError(409, 'NoAuthUrl', `Order ${orderBizId} has no appInfo.authUrl.`);
  const params = {
    action: 'verify',
    instanceId: order.isvInstanceId ?? orderBizId,
    timeStamp: spiTime(core.now()),
  };
  const url = new URL(authUrl);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  url.searchParams.set('token', spiToken(params, product.spiKey));
  const response = await fetch(url, { redirect: 'manual' });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return {
    url: url.toString(),
    status: response.status,
    location: response.headers.get('location') ?? undefined,
    body,
  };
}
