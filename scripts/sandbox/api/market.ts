import { activateLicense, describableLicense, findLicense } from '../marketplace/licenses';
import { licenseView } from './license-view';
import { optional, required } from './params';
import { read, write, type ActionContext, type ActionTable } from './registry';

/**
 * The Marketplace licence API (Market 2015-11-01) [V M13 M14]: an ISV reads and activates the licences
 * of its licence-mode products. RegionId is accepted and ignored [I: a central endpoint].
 */
export const marketActions: ActionTable = {
  DescribeLicense: read(describe),
  ActivateLicense: write(activate),
};

function describe({ core, params, caller }: ActionContext) {
  const license = findLicense(core, required(params, 'LicenseCode'), caller, 'DescribeLicense');
  return { License: licenseView(core, describableLicense(core, license)) };
}

function activate({ core, params, caller }: ActionContext) {
  const license = findLicense(core, required(params, 'LicenseCode'), caller, 'ActivateLicense');
  activateLicense(core, license, optional(params, 'Identification'));
  return { Success: true };
}
