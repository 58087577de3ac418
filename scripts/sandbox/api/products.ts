import { artifactActions } from './artifacts';
import { serviceActions } from './services';
import { supplierInstanceActions } from './instances';
import { supplierTagActions } from './tags';
import { supplierUpgradeActions } from './upgrades';
import { uploadActions } from './upload';
import { userActions } from './user-instances';
import { marketActions } from './market';
import type { ActionTable } from './registry';

/** The API products the sandbox serves, by the version a request names. */
export const PRODUCT_TABLES: Record<string, ActionTable> = {
  // ComputeNestSupplier
  '2021-05-21': {
    ...serviceActions,
    ...uploadActions,
    ...supplierInstanceActions,
    ...supplierTagActions,
    ...supplierUpgradeActions,
    ...artifactActions,
  },
  // ComputeNest (the customer API)
  '2021-06-01': userActions,
  // Market: the licence API
  '2015-11-01': marketActions,
};
