import { createHmac } from 'node:crypto';
import type { Edition, ServiceModel } from '../../service-config/model';
import { itemBought } from './spi/requests';

/**
 * The edition a Marketplace SKU code was sold as: its specification code (`yuncode…`, what
 * `package_version` carries) or one of the Marketplace SKU codes service.yaml names for it
 * (`marketplaceSkuCodes`, e.g. the product's SKU code `cmgj00001-prepay` that `skuId` may carry).
 */
export function editionForSku(model: ServiceModel, skuId: string | undefined): Edition | undefined {
  if (!skuId) return undefined;
  return (
    model.editions.find((e) => e.specificationCode === skuId) ??
    model.editions.find((e) => e.marketplaceSkuCodes?.includes(skuId))
  );
}

/**
 * The edition of an order from the codes it carries, in order of preference (`package_version`, then
 * `skuId`): the first code that names an edition wins. Undefined when none does.
 */
export function editionForSkuCodes(model: ServiceModel, codes: readonly string[]): Edition | undefined {
  for (const code of codes) {
    const edition = editionForSku(model, code);
    if (edition) return edition;
  }
  return undefined;
}

/** Template parameters switched on by the order's extra billing items (modules its plan lacks). */
export function moduleParameters(
  model: ServiceModel,
  edition: Edition,
  billingItems: Record<string, string>,
): Record<string, boolean> {
  const parameters: Record<string, boolean> = {};
  for (const module of model.modules) {
    if (edition.includedModules.includes(module.name)) continue;
    parameters[module.parameter] = itemBought(billingItems[module.billingItem]);
  }
  return parameters;
}

/**
 * The administrator password of an order's instance, derived from the store's instance secret and the id:
 * the same on every retry of the create (which may reach the server more than once), never stored, and
 * given to the buyer in appInfo. It satisfies the template's AdminPassword pattern (the application admin, never the OS login).
 */
export function derivePassword(secret: string, instanceId: string): string {
  const digest = createHmac('sha256', secret)
    .update(`nestkit-admin-password:${instanceId}`)
    .digest('base64url');
  return `Nk${digest.replace(/[-_]/g, 'x').slice(0, 16)}7!`;
}
