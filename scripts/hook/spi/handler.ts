import { OUTPUT_KEYS } from '../../../cdk/hook-contract';
import { spiTokenValid } from '../../marketplace/spi-token';
import type { ServiceModel } from '../../../service-config/model';
import type { HookLogger } from '../logger';
import { transition, type InstanceRecord, type Policy } from '../machine';
import type { HookMetrics } from '../metrics';
import { derivePassword, editionForSkuCodes } from '../order-parameters';
import { RefusalLog } from '../refusal-log';
import { signSsoToken } from '../sso/sso-token';
import type { AppliedEvent, HookStore } from '../store/store';
import { mergeSpiParams, parseSpiParams, SpiParseError } from './parse-params';
import { spiAnswer, toSpiRequest, type SpiRequest } from './requests';

export interface SpiDeps {
  store: HookStore;
  model: ServiceModel;
  policy: Policy;
  /** The ISV key from NESTKIT_SPI_KEY. */
  key: string;
  now: () => Date;
  log: HookLogger;
  metrics: HookMetrics;
  /** How far a `verify` timestamp may be from now. */
  ssoWindowMs: number;
  /** The store's instance secret, from which admin passwords are derived (never the SPI key). */
  passwordSecret: string;
  /**
   * NESTKIT_SSO_KEY: signs the identity `verify` hands the application. Without it `verify` redirects
   * without one and the application signs the buyer in by itself [I].
   */
  ssoKey?: Buffer;
  /** The hook's public `/spi` URL, answered as `appInfo.authUrl` (the buyer's sign-in entry). */
  authUrl?: () => string | undefined;
  /** Where refused requests are logged, rate-limited (default: one of its own on `log` and `now`). */
  refusals?: RefusalLog;
}

const refusalLogs = new WeakMap<SpiDeps, RefusalLog>();
function refusalsOf(deps: SpiDeps): RefusalLog {
  if (deps.refusals) return deps.refusals;
  let made = refusalLogs.get(deps);
  if (!made) refusalLogs.set(deps, (made = new RefusalLog(deps.log, () => deps.now().getTime())));
  return made;
}

/** The billing items the service model sells: their values must be whole numbers. */
const billingItemsOf = (model: ServiceModel): ReadonlySet<string> =>
  new Set(model.modules.map((m) => m.billingItem));

/** The query parameter the application reads the sign-in token from. */
export const SSO_TOKEN_PARAMETER = 'nestkit_sso';

export interface HttpAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The request carried a valid token: the server trusts its connection (see connection-guard.ts). */
  authenticated?: boolean;
}

const failure = (status: number, code: string, message: string, parameter?: string): HttpAnswer => ({
  status,
  body: { success: false, code, message, ...(parameter ? { parameter } : {}) },
});

/**
 * One SPI request, from its raw parameters to the answer. Nothing is stored unless the token is
 * right and the request is well-formed; an accepted request is committed before it is answered.
 * `raw` is the query string of a GET or the form body of a POST; a POST's query string is `query`
 * (public integrations put `action` there): both are merged and the token covers the merged set.
 */
export async function handleSpi(raw: string, deps: SpiDeps, query?: string): Promise<HttpAnswer> {
  let params: Record<string, string>;
  try {
    params = query === undefined ? parseSpiParams(raw) : mergeSpiParams(query, raw);
  } catch (error) {
    return rejected(deps, {}, error);
  }
  // Nothing of an unauthenticated request is kept: its action is counted under a closed set of labels.
  if (!spiTokenValid(params, deps.key)) {
    deps.metrics.notification(params.action, 'bad_token');
    refusalsOf(deps).refused({
      route: 'spi',
      reason: 'InvalidToken',
      action: params.action,
      instanceId: params.instanceId ?? params.orderBizId,
      orderId: params.orderId,
    });
    return failure(403, 'InvalidToken', 'the token does not match the parameters and the ISV key');
  }
  return { ...(await acceptSpi(params, deps)).answer, authenticated: true };
}

/**
 * What an authentic notification does, whichever way it came: a live SPI call (after its token) or a
 * failed notification pulled from the Market API (authentic as that signed call's answer). With
 * `notificationId`, the record and the id are committed together, and an id already applied is not
 * applied again (`duplicate`).
 */
export async function acceptSpi(
  params: Record<string, string>,
  deps: SpiDeps,
  notificationId?: string,
): Promise<{ answer: HttpAnswer; committed: boolean; duplicate?: boolean }> {
  let request: SpiRequest;
  try {
    request = toSpiRequest(params, deps.now().toISOString(), billingItemsOf(deps.model));
  } catch (error) {
    return { answer: rejected(deps, params, error), committed: false };
  }
  if (request.action === 'verify') {
    const answer = await verify(request, deps);
    deps.metrics.notification(request.action, answer.status < 400 ? 'ok' : 'refused');
    return { answer, committed: false };
  }
  const outcome = await apply(request, deps, notificationId);
  deps.metrics.notification(request.action, outcome.answer.status < 400 ? 'ok' : 'refused');
  return outcome;
}

async function apply(
  request: SpiRequest,
  deps: SpiDeps,
  notificationId: string | undefined,
): Promise<{ answer: HttpAnswer; committed: boolean; duplicate?: boolean }> {
  const event = request.event!;
  if (event.type === 'create' || event.type === 'upgrade') {
    const codes = request.skuCodes ?? [];
    const edition = editionForSkuCodes(deps.model, codes);
    if (edition) event.skuId = edition.specificationCode;
    else {
      // An upgrade to a SKU no edition has is refused as a create is: the record keeps its edition.
      deps.log.error(
        {
          action: request.action,
          reason: 'UnknownSku',
          instanceId: request.instanceId,
          orderId: event.orderId,
          skuCodesTried: codes,
        },
        'SPI order of an unknown SKU: no edition in service.yaml has any of these codes ' +
          '(specificationCode or marketplaceSkuCodes)',
      );
      return {
        answer: failure(
          400,
          'UnknownSku',
          `no edition in service.yaml has any of the SKU codes ${codes.join(', ')} (package_version first, then skuId)`,
          'skuId',
        ),
        committed: false,
      };
    }
  }
  const decide = (r: InstanceRecord) => transition(r, event, deps.policy);
  let applied: AppliedEvent | undefined;
  if (notificationId === undefined)
    applied = await deps.store.applyEvent(request.instanceId, 'spi', event, decide);
  else {
    applied = await deps.store.applyNotification(notificationId, request.instanceId, 'spi', event, decide);
    if (!applied)
      return { answer: { status: 200, body: { success: true } }, committed: true, duplicate: true };
  }
  const { record, transition: t } = applied;
  // A notification judged stale by what it says (a replay, a late retry) is answered success and logged.
  deps.log[t.stale ? 'warn' : 'info'](
    {
      action: request.action,
      instanceId: request.instanceId,
      orderId: 'orderId' in event ? event.orderId : undefined,
      state: record.state,
      changed: t.changed,
      ...(t.stale ? { stale: t.stale } : {}),
      ...(notificationId ? { notificationRequestId: notificationId } : {}),
    },
    t.stale ? 'SPI notification changes nothing: stale' : 'SPI notification',
  );
  if (request.ecsInstanceId && record.serviceInstanceId && request.ecsInstanceId !== record.serviceInstanceId)
    deps.log.warn(
      {
        action: request.action,
        instanceId: request.instanceId,
        ecsInstanceId: request.ecsInstanceId,
        serviceInstanceId: record.serviceInstanceId,
      },
      'ecsInstanceId is not the Compute Nest instance the hook knows for this order; the record wins [I]',
    );
  const answer = spiAnswer(request.action, record);
  if ('appInfo' in answer && answer.appInfo) {
    const authUrl = deps.authUrl?.();
    answer.appInfo = {
      ...answer.appInfo,
      password: derivePassword(deps.passwordSecret, record.id),
      ...(authUrl ? { authUrl } : {}),
    };
  }
  return { answer: { status: 200, body: answer }, committed: true };
}

/** Single sign-on: token (already checked), a timestamp inside the window, used once; then to the console. */
async function verify(request: SpiRequest, deps: SpiDeps): Promise<HttpAnswer> {
  const now = deps.now().getTime();
  const sent = Date.parse(request.timeStamp!);
  if (Math.abs(now - sent) > deps.ssoWindowMs) {
    return failure(
      403,
      'TimestampOutOfWindow',
      `timeStamp is ${Math.round((now - sent) / 1000)} s from now; at most ${deps.ssoWindowMs / 1000} s`,
      'timeStamp',
    );
  }
  const record = await deps.store.get(request.instanceId);
  if (!record?.outputs)
    return failure(
      404,
      'InstanceNotReady',
      `instance ${request.instanceId} has no deployed application`,
      'instanceId',
    );
  if (
    !(await deps.store.rememberSso(request.instanceId, request.timeStamp!, now, now + 2 * deps.ssoWindowMs))
  ) {
    return failure(403, 'ReplayedRequest', 'this sign-on link was already used', 'timeStamp');
  }
  const app = record.outputs[OUTPUT_KEYS.adminUrl] ?? record.outputs[OUTPUT_KEYS.frontendUrl];
  if (!deps.ssoKey || !app)
    return { status: 302, headers: { location: app }, body: { success: true, redirect: app } };
  // The application's proof of who signed in: issuer, order, buyer, expiry, signed with NESTKIT_SSO_KEY.
  const token = signSsoToken({ buyer: record.aliUid ?? '', order: record.id }, deps.ssoKey, now);
  const target = new URL(app);
  target.searchParams.set(SSO_TOKEN_PARAMETER, token);
  const location = target.toString();
  deps.log.info({ instanceId: request.instanceId }, 'SSO sign-in handed to the application');
  return { status: 302, headers: { location }, body: { success: true, redirect: location } };
}

function rejected(deps: SpiDeps, params: Record<string, string>, error: unknown): HttpAnswer {
  if (!(error instanceof SpiParseError)) throw error;
  deps.metrics.notification(params.action, 'malformed');
  refusalsOf(deps).refused({
    route: 'spi',
    reason: error.code,
    action: params.action,
    instanceId: params.instanceId ?? params.orderBizId,
    orderId: params.orderId,
    parameter: error.parameter,
    message: error.message,
  });
  return failure(400, error.code, error.message, error.parameter);
}
