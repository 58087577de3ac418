import type { SandboxCore } from '../core';
import { ApiError } from '../errors';
import { createInstance, deleteInstance, setEndTime } from '../deploy/engine';
import type { MarketOrder, MarketProduct } from '../state';
import { enqueue } from './notifier';
import { checkLicenseOptions, issueLicense } from './licenses';
import { spiTime } from '../../marketplace/spi-token';

const MODES: readonly MarketProduct['mode'][] = ['spi', 'computenest', 'license'];

/**
 * Marketplace orders of a product's SKU with extra billing items (modules): purchase, renew, upgrade,
 * expire, release. SPI products get the signed notifications; Compute Nest products get service
 * instances created and expired by the sandbox itself; licence products get a licence code whose
 * status and contents follow the order (licenses.ts).
 */
export function registerProduct(core: SandboxCore, input: Partial<MarketProduct>): MarketProduct {
  const mode = input.mode;
  if (!input.productCode) throw bad('productCode is required');
  if (mode === undefined || !MODES.includes(mode)) throw bad(`mode must be one of ${MODES.join(', ')}`);
  if (input.mode === 'spi' && (!input.spiUrl || input.spiKey === undefined))
    throw bad('an spi product needs spiUrl and spiKey');
  if (input.mode === 'computenest' && !input.serviceId) throw bad('a computenest product needs serviceId');
  checkLicenseOptions(input);
  if (input.skuForm !== undefined && !['product', 'specification'].includes(input.skuForm))
    throw bad('skuForm must be product or specification');
  if (input.spiMethod !== undefined && !['GET', 'POST', 'alternate'].includes(input.spiMethod))
    throw bad('spiMethod must be GET, POST or alternate');
  const product: MarketProduct = { ...input, productCode: input.productCode, mode };
  core.state.products[product.productCode] = product;
  core.persist();
  return product;
}

export interface PurchaseInput {
  productCode: string;
  skuId: string;
  modules?: Record<string, string | number>;
  aliUid?: string;
  trial?: boolean;
  /** Length of the subscription; default 30 days. */
  periodSeconds?: number;
  /** Compute Nest products: what the buyer filled in the deployment form (zone, password ...). */
  parameters?: Record<string, unknown>;
}

export function purchase(core: SandboxCore, input: PurchaseInput): MarketOrder {
  const product = core.state.products[input.productCode];
  if (!product)
    throw new ApiError(404, 'ProductNotFound', `No product ${input.productCode}; register it first.`);
  if (!input.skuId) throw bad('skuId is required');
  const n = core.nextNumber();
  const order: MarketOrder = {
    orderBizId: String(40000 + n),
    productCode: product.productCode,
    skuId: input.skuId,
    modules: stringValues(input.modules),
    aliUid: input.aliUid ?? '1234567890123456',
    trial: input.trial ?? false,
    orderIds: [String(208800 + n)],
    status: 'active',
    expiredOnMs: core.now() + (input.periodSeconds ?? 30 * 86400) * 1000,
    createdAt: core.iso(),
  };
  core.state.orders[order.orderBizId] = order;
  if (product.mode === 'spi') {
    enqueue(core, order, 'createInstance', {
      aliUid: order.aliUid,
      orderBizId: order.orderBizId,
      orderId: order.orderIds[0],
      productCode: order.productCode,
      ...skuParams(product, order.skuId),
      trial: String(order.trial),
      expiredOn: spiTime(order.expiredOnMs),
      ...order.modules,
    });
  } else if (product.mode === 'license') {
    issueLicense(core, product, order);
  } else {
    createMarketInstance(core, product, order, input.parameters ?? {});
  }
  scheduleExpiry(core, order);
  return settle(core, order);
}

function createMarketInstance(
  core: SandboxCore,
  product: MarketProduct,
  order: MarketOrder,
  form: Record<string, unknown>,
): void {
  const service = core.state.services[product.serviceId!];
  if (!service)
    throw new ApiError(
      404,
      'EntityNotExist.Service',
      `The product's service ${product.serviceId} does not exist.`,
    );
  const instance = createInstance(core, service, {
    serviceId: service.ServiceId,
    serviceVersion: product.serviceVersion,
    specificationCode: order.skuId,
    parameters: form,
    endTime: core.iso(order.expiredOnMs),
    userId: order.aliUid,
    creatorAccountId: service.AccountId,
    source: 'Market',
    // [I] Kept for the user API (its GetServiceInstance has them); the supplier's models show neither.
    marketInstanceId: order.orderBizId,
    orderId: order.orderIds[0],
    components: { package_version: order.skuId, ...order.modules },
    payType: 'Subscription',
  });
  instance.Parameters = {
    ...form,
    ...moduleParameters(
      core,
      instance.ServiceVersion,
      service.ServiceId,
      instance.TemplateName,
      order.modules,
    ),
  };
  order.serviceInstanceId = instance.ServiceInstanceId;
}

/**
 * ComponentsMappings turn extra billing items into template parameters. [I] The direction item → parameter;
 * a version without them (nestkit publish no longer sends them: not public) maps no items.
 */
function moduleParameters(
  core: SandboxCore,
  version: string,
  serviceId: string,
  templateName: string | undefined,
  modules: Record<string, string>,
) {
  const commodity = core.state.services[serviceId]?.versions[version]?.Commodity;
  const mapping = commodity?.ComponentsMappings?.find((m) => m.TemplateName === templateName)?.Mappings ?? {};
  const parameters: Record<string, unknown> = {};
  for (const [item, value] of Object.entries(modules)) if (mapping[item]) parameters[mapping[item]] = value;
  return parameters;
}

export function renew(core: SandboxCore, orderBizId: string, input: { periodSeconds?: number }): MarketOrder {
  const order = active(core, orderBizId, ['active', 'expired']);
  order.orderIds.push(String(208800 + core.nextNumber()));
  order.expiredOnMs = Math.max(core.now(), order.expiredOnMs) + (input.periodSeconds ?? 30 * 86400) * 1000;
  order.status = 'active';
  if (productOf(core, order).mode === 'spi') {
    enqueue(core, order, 'renewInstance', {
      instanceId: instanceIdOf(order),
      orderId: last(order.orderIds),
      expiredOn: spiTime(order.expiredOnMs),
    });
  } else if (order.serviceInstanceId) {
    setEndTime(core, core.state.instances[order.serviceInstanceId], core.iso(order.expiredOnMs));
  }
  scheduleExpiry(core, order);
  return settle(core, order);
}

export function upgrade(
  core: SandboxCore,
  orderBizId: string,
  input: { skuId?: string; modules?: Record<string, string | number> },
): MarketOrder {
  const order = active(core, orderBizId, ['active']);
  order.orderIds.push(String(208800 + core.nextNumber()));
  order.skuId = input.skuId ?? order.skuId;
  order.modules = { ...order.modules, ...stringValues(input.modules) };
  if (productOf(core, order).mode === 'spi') {
    enqueue(core, order, 'upgradeInstance', {
      instanceId: instanceIdOf(order),
      orderId: last(order.orderIds),
      ...skuParams(productOf(core, order), order.skuId),
      ...order.modules,
    });
  } else if (order.serviceInstanceId) {
    // [I] The sandbox records the new SKU and items on the instance; it does not redeploy.
    const instance = core.state.instances[order.serviceInstanceId];
    instance.SpecificationCode = order.skuId;
    instance.Components = { package_version: order.skuId, ...order.modules };
    instance.UpdateTime = core.iso();
  }
  return settle(core, order);
}

export function expire(core: SandboxCore, orderBizId: string): MarketOrder {
  const order = active(core, orderBizId, ['active']);
  order.status = 'expired';
  order.expiredOnMs = Math.min(order.expiredOnMs, core.now());
  const product = productOf(core, order);
  if (product.mode === 'spi') enqueue(core, order, 'expiredInstance', { instanceId: instanceIdOf(order) });
  else if (order.serviceInstanceId)
    setEndTime(core, core.state.instances[order.serviceInstanceId], core.iso());
  if (product.releaseAfterExpirySeconds !== undefined) {
    core.schedule('market.release', order.orderBizId, core.now() + product.releaseAfterExpirySeconds * 1000);
  }
  return settle(core, order);
}

export function release(core: SandboxCore, orderBizId: string, input: { isRefund?: boolean }): MarketOrder {
  const order = active(core, orderBizId, ['active', 'expired']);
  order.status = 'released';
  core.cancel('market.expire', order.orderBizId);
  if (productOf(core, order).mode === 'spi') {
    // Without isRefund in the input, none is sent: the SPI page's own example omits it [V M9].
    enqueue(core, order, 'releaseInstance', {
      instanceId: instanceIdOf(order),
      ...(input.isRefund === undefined ? {} : { isRefund: String(input.isRefund) }),
      orderId: last(order.orderIds),
    });
  } else if (order.serviceInstanceId) {
    deleteInstance(core, core.state.instances[order.serviceInstanceId]);
  }
  return settle(core, order);
}

export function registerOrderTimers(core: SandboxCore): void {
  core.onTimer('market.expire', (timer) => {
    const order = core.state.orders[timer.ref];
    if (order?.status === 'active' && order.expiredOnMs <= timer.atMs) expire(core, order.orderBizId);
  });
  core.onTimer('market.release', (timer) => {
    // [I] The automatic release after an expiry sends no isRefund (a release without refund).
    if (core.state.orders[timer.ref]?.status === 'expired') release(core, timer.ref, {});
  });
}

/**
 * The SKU as the SPI sends it (product option `skuForm`): by default `skuId` is the product's SKU code
 * and `package_version` the specification code, as the Marketplace does [V M4 M22; I the default
 * `<productCode>-prepay`]; `specification`: `skuId` is the specification code, no `package_version`.
 */
export function skuParams(product: MarketProduct, specificationCode: string): Record<string, string> {
  if (product.skuForm === 'specification') return { skuId: specificationCode };
  return {
    skuId: product.skuCodes?.[specificationCode] ?? `${product.productCode}-prepay`,
    ...(product.packageVersion === false ? {} : { package_version: specificationCode }),
  };
}

function scheduleExpiry(core: SandboxCore, order: MarketOrder): void {
  core.cancel('market.expire', order.orderBizId);
  core.schedule('market.expire', order.orderBizId, order.expiredOnMs);
}

/** Orders are durable before the admin API answers. */
function settle(core: SandboxCore, order: MarketOrder): MarketOrder {
  core.persist();
  return order;
}

function active(core: SandboxCore, orderBizId: string, allowed: MarketOrder['status'][]): MarketOrder {
  const order = core.state.orders[orderBizId];
  if (!order) throw new ApiError(404, 'OrderNotFound', `No order ${orderBizId}.`);
  if (!allowed.includes(order.status))
    throw new ApiError(409, 'OrderStatus', `Order ${orderBizId} is ${order.status}.`);
  return order;
}

function productOf(core: SandboxCore, order: MarketOrder): MarketProduct {
  return core.state.products[order.productCode];
}

function instanceIdOf(order: MarketOrder): string {
  return order.isvInstanceId ?? order.orderBizId;
}

const last = (values: string[]) => values[values.length - 1];

function stringValues(values: Record<string, string | number> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, String(v)]));
}

const bad = (message: string) => new ApiError(400, 'InvalidParameter', message);
