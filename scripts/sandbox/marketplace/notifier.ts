import type { SandboxCore } from '../core';
import type { MarketOrder, SpiNotification } from '../state';
import { spiToken } from '../../marketplace/spi-token';

/** Marketplace retries a failed notification up to 120 times [V M2 M4]. */
export const MAX_ATTEMPTS = 120;

/** [I] Backoff between attempts on the virtual clock: 10 s doubling, capped at one hour. */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempt - 1));
}

export function enqueue(
  core: SandboxCore,
  order: MarketOrder,
  action: string,
  params: Record<string, string>,
): SpiNotification {
  const notification: SpiNotification = {
    id: `n-${core.nextNumber()}`,
    orderBizId: order.orderBizId,
    action,
    params: { action, ...params },
    status: 'pending',
    attempts: 0,
  };
  core.state.notifications.push(notification);
  core.schedule('spi.deliver', notification.id, core.now());
  return notification;
}

export function registerNotifierTimers(core: SandboxCore, timeoutMs = 5000): void {
  core.onTimer('spi.deliver', (timer) => {
    const notification = core.state.notifications.find((n) => n.id === timer.ref);
    if (notification?.status === 'pending') void core.track(deliver(core, notification, timeoutMs));
  });
}

async function deliver(core: SandboxCore, notification: SpiNotification, timeoutMs: number): Promise<void> {
  const order = core.state.orders[notification.orderBizId];
  const product = order && core.state.products[order.productCode];
  if (!product?.spiUrl || product.spiKey === undefined) return;
  const params = { ...notification.params };
  const url = new URL(product.spiUrl);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  url.searchParams.set('token', spiToken(params, product.spiKey));
  notification.attempts += 1;
  notification.lastAttemptAt = core.iso();
  const outcome = await call(url, timeoutMs);
  const accepted = outcome.body !== undefined && isSuccess(notification.action, outcome.body);
  notification.lastResponse = outcome.text?.slice(0, 500);
  if (accepted) {
    notification.status = 'delivered';
    notification.lastError = undefined;
    if (notification.action === 'createInstance')
      order.isvInstanceId = String((outcome.body as { instanceId: unknown }).instanceId);
  } else {
    notification.lastError = outcome.error ?? `HTTP ${outcome.status}: not a success answer`;
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

async function call(
  url: URL,
  timeoutMs: number,
): Promise<{ status?: number; text?: string; body?: unknown; error?: string }> {
  try {
    const response = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
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
