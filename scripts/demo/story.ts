import type { ServiceModel } from '../../service-config/model';
import type { RunningHook } from '../hook/hook';
import type { InstanceRecord } from '../hook/machine';
import type { SupplierApi } from '../cloud';
import type { SandboxAdmin, SandboxOrder } from './sandbox-admin';

/** What every order is expected to end as: the hook's record state and the Compute Nest status. */
export interface Expectation {
  label: string;
  orderBizId: string;
  /**
   * The hook's record key when it is not the order id: an adopted Compute Nest-mode order is keyed by
   * its service instance id, as the supplier API shows it no order id [I].
   */
  recordId?: string;
  record: InstanceRecord['state'];
  status: string;
}

export interface StoryContext {
  model: ServiceModel;
  admin: SandboxAdmin;
  hook: RunningHook;
  supplier: SupplierApi;
  /** What the ISV's website back end does with a licence code a buyer enters. */
  activateLicense(licenseCode: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Moves the virtual clock in steps, letting the Marketplace, the hook and Compute Nest work at each. */
  run(seconds: number, stepSeconds?: number): Promise<void>;
  log(event: string, detail?: string): void;
}

const DAY = 86400;
const SPI_PRODUCT = 'cmjj-acme-spi';
const CN_PRODUCT = 'cmjj-acme-cn';
const LICENSE_PRODUCT = 'cmjj-acme-lic';

/**
 * The whole lifecycle, on the sandbox: buy each edition (with modules), through the SPI and through
 * Compute Nest; renew one, upgrade one, let one lapse, release them, and wait out the retention.
 */
export async function playStory(ctx: StoryContext, spiUrl: string, spiKey: string): Promise<Expectation[]> {
  const { admin, model } = ctx;
  const sku = (name: string) => model.editions.find((e) => e.name === name)!.specificationCode;
  const item = (kind: string) => model.modules.find((m) => m.name === kind)!.billingItem;
  await admin.post('/marketplace/products', { productCode: SPI_PRODUCT, mode: 'spi', spiUrl, spiKey });
  await admin.post('/marketplace/products', {
    productCode: CN_PRODUCT,
    mode: 'computenest',
    serviceId: ctx.hook.serviceId,
  });
  await admin.post('/marketplace/products', { productCode: LICENSE_PRODUCT, mode: 'license' });

  const buyOrder = async (label: string, body: object) => {
    const order = await admin.post<SandboxOrder>('/marketplace/orders', { periodSeconds: 30 * DAY, ...body });
    ctx.log(`buy ${label}`, `order ${order.orderBizId}`);
    return order;
  };
  const buy = async (label: string, body: object) => (await buyOrder(label, body)).orderBizId;
  const basic = await buy('basic + backup (SPI)', {
    productCode: SPI_PRODUCT,
    skuId: sku('basic'),
    modules: { [item('backup')]: '1' },
  });
  const advanced = await buy('advanced + public endpoint (SPI)', {
    productCode: SPI_PRODUCT,
    skuId: sku('advanced'),
    modules: { [item('public-endpoint')]: '1' },
  });
  // Premium, the Compute Nest order and the licence are bought for one day, so that they lapse by
  // themselves: the hook ignores an expiry that comes before the paid end it holds.
  const premium = await buy('premium for a day (SPI)', {
    productCode: SPI_PRODUCT,
    skuId: sku('premium'),
    periodSeconds: DAY,
  });
  const nestOrder = await buyOrder('advanced for a day (Compute Nest)', {
    productCode: CN_PRODUCT,
    periodSeconds: DAY,
    skuId: sku('advanced'),
    parameters: { ZoneId: model.service.deployZoneId ?? 'cn-hangzhou-k', AdminPassword: 'Demo-Passw0rd' },
  });
  const viaNest = nestOrder.orderBizId;
  const licensed = await admin.post<SandboxOrder & { licenseCode: string }>('/marketplace/orders', {
    productCode: LICENSE_PRODUCT,
    skuId: sku('basic'),
    periodSeconds: DAY,
  });
  ctx.log('buy basic for a day (licence)', `order ${licensed.orderBizId}, code ${licensed.licenseCode}`);
  const activation = await ctx.activateLicense(licensed.licenseCode);
  ctx.log(
    'activate the licence on the ISV website',
    `HTTP ${activation.status}: instance ${String(activation.body.instanceId)}`,
  );
  await ctx.run(300, 15);

  await admin.post(`/marketplace/orders/${basic}/renew`, { periodSeconds: 365 * DAY });
  ctx.log('renew basic', 'one more year');
  await admin.post(`/marketplace/orders/${advanced}/upgrade`, { skuId: sku('premium') });
  ctx.log('upgrade advanced → premium');
  await ctx.run(120, 15);

  ctx.log(
    'a day goes by: premium, the Compute Nest order and the licence lapse',
    `expiry policy: ${model.lifecycle.onExpiry}`,
  );
  await ctx.run(DAY, 3600);
  await ctx.run(120, 15);

  await admin.post(`/marketplace/orders/${advanced}/release`, { isRefund: false });
  await admin.post(`/marketplace/orders/${premium}/release`, { isRefund: false });
  ctx.log('release advanced and premium', `teardown after ${model.lifecycle.retentionDays} days`);
  await ctx.run(120, 15);
  ctx.log('wait out the retention');
  await ctx.run((model.lifecycle.retentionDays + 1) * DAY, 6 * 3600);

  return [
    { label: 'basic (renewed, kept)', orderBizId: basic, record: 'active', status: 'Deployed' },
    { label: 'advanced → premium (released)', orderBizId: advanced, record: 'deleted', status: 'Deleted' },
    { label: 'premium (lapsed, released)', orderBizId: premium, record: 'deleted', status: 'Deleted' },
    {
      label: 'advanced via Compute Nest (lapsed)',
      orderBizId: viaNest,
      recordId: nestOrder.serviceInstanceId,
      record: 'deleted',
      status: 'Deleted',
    },
    {
      label: 'basic via licence (lapsed)',
      orderBizId: licensed.orderBizId,
      record: 'deleted',
      status: 'Deleted',
    },
  ];
}
