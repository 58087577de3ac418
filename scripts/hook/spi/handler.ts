import { spiTokenValid } from '../../marketplace/spi-token';
import type { ServiceModel } from '../../../service-config/model';
import type { HookLogger } from '../logger';
import { transition, type Policy } from '../machine';
import type { HookMetrics } from '../metrics';
import { derivePassword, editionForSku } from '../order-parameters';
import type { HookStore } from '../store/store';
import { parseSpiParams, SpiParseError } from './parse-params';
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
}

export interface HttpAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const failure = (status: number, code: string, message: string, parameter?: string): HttpAnswer => ({
  status,
  body: { success: false, code, message, ...(parameter ? { parameter } : {}) },
});

/**
 * One SPI request, from its raw parameters to the answer. Nothing is stored unless the token is
 * right and the request is well-formed; an accepted request is committed before it is answered.
 */
export async function handleSpi(raw: string, deps: SpiDeps): Promise<HttpAnswer> {
  let params: Record<string, string>;
  try {
    params = parseSpiParams(raw);
  } catch (error) {
    return rejected(deps, 'unknown', error);
  }
  const action = typeof params.action === 'string' ? params.action : 'unknown';
  if (!spiTokenValid(params, deps.key)) {
    deps.metrics.notification(action, 'bad_token');
    deps.log.warn(
      { action, instanceId: params.instanceId ?? params.orderBizId },
      'SPI request with a wrong token refused',
    );
    return failure(403, 'InvalidToken', 'the token does not match the parameters and the ISV key');
  }
  let request: SpiRequest;
  try {
    request = toSpiRequest(params, deps.now().toISOString());
  } catch (error) {
    return rejected(deps, action, error);
  }
  const answer = request.action === 'verify' ? await verify(request, deps) : await apply(request, deps);
  deps.metrics.notification(request.action, answer.status < 400 ? 'ok' : 'refused');
  return answer;
}

async function apply(request: SpiRequest, deps: SpiDeps): Promise<HttpAnswer> {
  const event = request.event!;
  if (event.type === 'create' && !editionForSku(deps.model, event.skuId)) {
    return failure(
      400,
      'UnknownSku',
      `SKU ${event.skuId} is not the specification code of any edition in service.yaml`,
      'skuId',
    );
  }
  const { record, transition: t } = await deps.store.applyEvent(request.instanceId, 'spi', event, (r) =>
    transition(r, event, deps.policy),
  );
  deps.log.info(
    { action: request.action, instanceId: request.instanceId, state: record.state, changed: t.changed },
    'SPI notification',
  );
  const answer = spiAnswer(request.action, record);
  if ('appInfo' in answer && answer.appInfo)
    answer.appInfo = { ...answer.appInfo, password: derivePassword(deps.passwordSecret, record.id) };
  return { status: 200, body: answer };
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
  const target = record.outputs.AdminUrl ?? record.outputs.FrontendUrl;
  return { status: 302, headers: { location: target }, body: { success: true, redirect: target } };
}

function rejected(deps: SpiDeps, action: string, error: unknown): HttpAnswer {
  if (!(error instanceof SpiParseError)) throw error;
  deps.metrics.notification(action, 'malformed');
  return failure(400, error.code, error.message, error.parameter);
}
