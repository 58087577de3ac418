import type { InstanceRecord, LifecycleEvent } from './lifecycle';

/**
 * Whether a notification is judged by what it says to change nothing, and why. Pure: the machine asks
 * it before its table, so a replayed, retried or reordered notification cannot move an order back:
 * - an expiry is ignored while the record's paid end is later than the expiry's time;
 * - a renewal applies once per `orderId`, only if it moves the end later, and only to an end still
 *   ahead of the renewal's own time (a renewal that ends in the past reactivates nothing);
 * - an upgrade older than the one the record holds is ignored (the newest plan wins, in any order).
 */
export function staleReason(r: InstanceRecord, event: LifecycleEvent): string | undefined {
  switch (event.type) {
    case 'expire':
      return !event.confirmed && r.expiresAt && ms(r.expiresAt) > ms(event.at)
        ? `expiry at ${event.at} before the paid end ${r.expiresAt}`
        : undefined;
    case 'renew':
      if (event.orderId && r.orderIds.includes(event.orderId))
        return `renewal order ${event.orderId} already applied`;
      if (ms(event.expiresAt) <= ms(event.at)) return `renewal ends ${event.expiresAt}, before it was sent`;
      if (r.expiresAt && ms(event.expiresAt) <= ms(r.expiresAt))
        return `renewal ends ${event.expiresAt}, not after the paid end ${r.expiresAt}`;
      return undefined;
    case 'upgrade':
      if (event.orderId && r.orderIds.includes(event.orderId))
        return `upgrade order ${event.orderId} already applied`;
      return r.upgradedAt && ms(event.at) <= ms(r.upgradedAt)
        ? `upgrade of ${event.at}, not after the one of ${r.upgradedAt} the record holds`
        : undefined;
    default:
      return undefined;
  }
}

/** Whether a lapse the record remembers still holds for a paid end (none: it holds). */
export function lapseHolds(lapsedAt: string | undefined, expiresAt: string | undefined): boolean {
  return lapsedAt !== undefined && (expiresAt === undefined || ms(expiresAt) <= ms(lapsedAt));
}

const ms = (iso: string) => Date.parse(iso);
