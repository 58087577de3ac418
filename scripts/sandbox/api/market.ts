import { activateLicense, describableLicense, findLicense } from '../marketplace/licenses';
import { confirmNotification, failedNotifications, notificationView } from '../marketplace/notifier';
import { licenseView } from './license-view';
import { integer, optional, required } from './params';
import { read, write, type ActionContext, type ActionTable } from './registry';

/**
 * The Marketplace licence API (Market 2015-11-01) [V M13 M14]: an ISV reads and activates the licences
 * of its licence-mode products. RegionId is accepted and ignored [I: a central endpoint].
 */
export const marketActions: ActionTable = {
  DescribeLicense: read(describe),
  ActivateLicense: write(activate),
  DescribeFailedNotifications: read(describeFailedNotifications),
  ConfirmNotification: write(confirm),
};

/** The caller's SPI notifications that failed (notifier.ts), a page at a time (the model requires both page fields: rpc.ts checks). */
function describeFailedNotifications({ core, params, caller }: ActionContext) {
  const pageNumber = integer(params, 'PageNumber', 1, 1, 1_000_000);
  const pageSize = integer(params, 'PageSize', 10, 1, 100); // [I] at most 100 per page
  const all = failedNotifications(core, caller.accountId);
  const page = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    NotificationList: page.map((n) => notificationView(core, n)),
    PageNumber: pageNumber,
    PageSize: pageSize,
    TotalCount: all.length,
  };
}

function confirm({ core, params, caller }: ActionContext) {
  confirmNotification(core, required(params, 'NotificationRequestId'), caller.accountId);
  return { Success: true };
}

function describe({ core, params, caller }: ActionContext) {
  const license = findLicense(core, required(params, 'LicenseCode'), caller, 'DescribeLicense');
  return { License: licenseView(core, describableLicense(core, license)) };
}

function activate({ core, params, caller }: ActionContext) {
  const license = findLicense(core, required(params, 'LicenseCode'), caller, 'ActivateLicense');
  activateLicense(core, license, optional(params, 'Identification'));
  return { Success: true };
}
