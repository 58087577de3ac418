import { CloudClient, type CloudClientOptions } from './client';
import type * as T from './market-types';

/**
 * The Marketplace licence API (Market 2015-11-01), typed: what licence mode calls to check and
 * consume a licence code. Construct with `createMarketApi`.
 */
export class MarketApi {
  constructor(readonly client: CloudClient<T.MarketActions>) {}

  /** A read: retried on throttling, 5xx and transport failures like every Describe*. */
  describeLicense(request: T.DescribeLicenseRequest) {
    return this.client.call('DescribeLicense', request);
  }

  /**
   * A write without a ClientToken: never repeated by the client. [I] The Marketplace documents no
   * deduplication for it, so after a 5xx or a timeout the caller re-reads the licence (DescribeLicense)
   * to learn whether the activation took effect.
   */
  activateLicense(request: T.ActivateLicenseRequest) {
    return this.client.call('ActivateLicense', request, { safe: false });
  }

  /** The SPI notifications the Marketplace failed to deliver (a read, retried like every Describe*). */
  describeFailedNotifications(request: T.DescribeFailedNotificationsRequest) {
    return this.client.call('DescribeFailedNotifications', request);
  }

  /**
   * Tells the Marketplace a failed notification was handled. [I] Repeating it is harmless (it names one
   * notification), so the client may retry it; the hook confirms only after its record is committed.
   */
  confirmNotification(request: T.ConfirmNotificationRequest) {
    return this.client.call('ConfirmNotification', request);
  }
}

export function createMarketApi(options: Omit<CloudClientOptions, 'product'> = {}): MarketApi {
  return new MarketApi(new CloudClient<T.MarketActions>({ ...options, product: 'market' }));
}
