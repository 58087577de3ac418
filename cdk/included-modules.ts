import type { ServiceModel } from '../service-config/model';

/** A module an edition already includes, whose billing item must therefore not be sold on that SKU. */
export interface IncludedModuleOverlap {
  edition: string;
  specificationCode: string;
  module: string;
  billingItem: string;
  message: string;
}

/**
 * Every (edition, included module) pair: an order of the edition gets the module anyway, so a buyer who
 * also bought its billing item on that SKU would pay twice for nothing. Synth warns about each, and the
 * templates README marks those combinations as not sold; make the billing item unavailable for the SKU in
 * the Marketplace console.
 */
export function includedModuleOverlaps(model: ServiceModel): IncludedModuleOverlap[] {
  return model.editions.flatMap((edition) =>
    edition.includedModules.flatMap((kind) => {
      const module = model.modules.find((m) => m.name === kind);
      if (!module) return [];
      return [
        {
          edition: edition.name,
          specificationCode: edition.specificationCode,
          module: module.name,
          billingItem: module.billingItem,
          message:
            `edition "${edition.name}" includes module "${module.name}": do not sell its billing item ` +
            `${module.billingItem} on SKU ${edition.specificationCode} (the order would pay for it twice)`,
        },
      ];
    }),
  );
}
