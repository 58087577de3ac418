import { ApiError } from './errors';
import type { SandboxCore } from './core';
import type { FaultInput } from './faults';
import type { LicenseRecord } from './state';
import { expire, purchase, registerProduct, release, renew, upgrade } from './marketplace/orders';
import { licenseView } from './api/license-view';

/**
 * The admin API under `/_sandbox/` (JSON in, JSON out, unauthenticated: the sandbox listens on
 * loopback). Documented in README.md.
 */
export interface AdminResponse {
  status: number;
  body: unknown;
}

type Route = (
  core: SandboxCore,
  body: Record<string, unknown>,
  match: RegExpExecArray,
  query: URLSearchParams,
) => unknown;

const ROUTES: [method: string, pattern: RegExp, route: Route][] = [
  ['GET', /^\/_sandbox\/calls$/, (core, _b, _m, q) => core.calls.list(q.get('action') ?? undefined)],
  ['DELETE', /^\/_sandbox\/calls$/, (core) => (core.calls.clear(), {})],
  ['GET', /^\/_sandbox\/clock$/, (core) => clockView(core)],
  [
    'POST',
    /^\/_sandbox\/clock$/,
    (core, body) => (core.advance(Number(body.advanceSeconds)), clockView(core)),
  ],
  ['POST', /^\/_sandbox\/reset$/, (core) => (core.reset(), {})],
  ['GET', /^\/_sandbox\/faults$/, (core) => core.faults.list()],
  ['POST', /^\/_sandbox\/faults$/, (core, body) => core.faults.add(body as unknown as FaultInput)],
  ['DELETE', /^\/_sandbox\/faults$/, (core) => (core.faults.remove(), {})],
  ['DELETE', /^\/_sandbox\/faults\/(\d+)$/, (core, _b, m) => (core.faults.remove(Number(m[1])), {})],
  [
    'GET',
    /^\/_sandbox\/objects$/,
    (core) =>
      Object.values(core.state.objects).map(({ contentBase64, ...rest }) => ({
        ...rest,
        size: Buffer.from(contentBase64, 'base64').length,
      })),
  ],
  ['GET', /^\/_sandbox\/timers$/, (core) => core.state.timers.map((t) => ({ ...t, at: core.iso(t.atMs) }))],
  [
    'GET',
    /^\/_sandbox\/marketplace\/products$/,
    (core) => Object.values(core.state.products).map(({ spiKey: _k, ...rest }) => rest),
  ],
  ['POST', /^\/_sandbox\/marketplace\/products$/, (core, body) => withoutKey(registerProduct(core, body))],
  ['GET', /^\/_sandbox\/marketplace\/orders$/, (core) => Object.values(core.state.orders)],
  ['POST', /^\/_sandbox\/marketplace\/orders$/, (core, body) => purchase(core, body as never)],
  ['GET', /^\/_sandbox\/marketplace\/orders\/([^/]+)$/, (core, _b, m) => orderOf(core, m[1])],
  ['POST', /^\/_sandbox\/marketplace\/orders\/([^/]+)\/renew$/, (core, body, m) => renew(core, m[1], body)],
  [
    'POST',
    /^\/_sandbox\/marketplace\/orders\/([^/]+)\/upgrade$/,
    (core, body, m) => upgrade(core, m[1], body as never),
  ],
  ['POST', /^\/_sandbox\/marketplace\/orders\/([^/]+)\/expire$/, (core, _b, m) => expire(core, m[1])],
  [
    'POST',
    /^\/_sandbox\/marketplace\/orders\/([^/]+)\/release$/,
    (core, body, m) => release(core, m[1], body),
  ],
  [
    'GET',
    /^\/_sandbox\/marketplace\/licenses$/,
    (core) => Object.values(core.state.licenses).map((license) => licenseListing(core, license)),
  ],
  [
    'GET',
    /^\/_sandbox\/marketplace\/notifications$/,
    (core, _b, _m, q) =>
      core.state.notifications.filter((n) => !q.get('orderBizId') || n.orderBizId === q.get('orderBizId')),
  ],
];

export function handleAdmin(core: SandboxCore, method: string, url: URL, rawBody: Buffer): AdminResponse {
  const route = ROUTES.find(([m, pattern]) => m === method && pattern.test(url.pathname));
  if (!route)
    return { status: 404, body: { Code: 'NotFound', Message: `No admin route ${method} ${url.pathname}` } };
  try {
    const body = rawBody.length > 0 ? (JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>) : {};
    const result = route[2](core, body, route[1].exec(url.pathname)!, url.searchParams);
    core.runDue();
    return { status: 200, body: result };
  } catch (error) {
    if (error instanceof ApiError)
      return { status: error.status, body: { Code: error.code, Message: error.message } };
    if (error instanceof SyntaxError || error instanceof RangeError)
      return { status: 400, body: { Code: 'InvalidRequest', Message: error.message } };
    throw error;
  }
}

function clockView(core: SandboxCore) {
  return { now: core.iso(), nowMs: core.now(), mode: core.clock.mode };
}

function orderOf(core: SandboxCore, id: string) {
  const order = core.state.orders[id];
  if (!order) throw new ApiError(404, 'OrderNotFound', `No order ${id}.`);
  return order;
}

/** A licence as DescribeLicense shows it, plus who owns it and what activated it. */
function licenseListing(core: SandboxCore, license: LicenseRecord) {
  return {
    ...licenseView(core, license),
    OwnerAccountId: license.ownerAccountId,
    Identification: license.identification,
  };
}

function withoutKey<T extends { spiKey?: string }>(product: T): Omit<T, 'spiKey'> {
  const { spiKey: _key, ...rest } = product;
  return rest;
}
