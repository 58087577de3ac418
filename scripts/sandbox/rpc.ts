import { randomUUID } from 'node:crypto';
import { ApiError, internalError, missing, throttled, unknownAction } from './errors';
import { businessParams } from './calls';
import type { SandboxCore } from './core';
import { PRODUCT_TABLES } from './api/products';
import { authenticate, type AccessKey, type SignedRequest } from './signature/authenticate';
import type { ReplayGuard } from './signature/replay';
import { modelByVersion } from '../api-models/model';
import { checkResponse, formatProblems, missingRequired } from '../api-models/contract';

export interface RpcResponse {
  status: number;
  body: Record<string, unknown>;
  /** Close the connection without an answer (fault failAfterCommit with drop). */
  drop?: boolean;
}

export interface RpcDeps {
  core: SandboxCore;
  keys: ReadonlyMap<string, AccessKey>;
  replay?: ReplayGuard;
  onError?: (error: unknown) => void;
}

/** One RPC call: authenticate, apply faults, run the action, answer in the real shape, log it. */
export async function handleRpc(deps: RpcDeps, request: SignedRequest, host: string): Promise<RpcResponse> {
  const { core } = deps;
  const requestId = randomUUID().toUpperCase();
  const all = { ...request.body, ...request.query };
  const action = headerOf(request, 'x-acs-action') ?? all.Action ?? '';
  const version = headerOf(request, 'x-acs-version') ?? all.Version ?? '';
  const params = businessParams(all);
  let response: RpcResponse;
  try {
    response = { status: 200, ...(await run(deps, request, { action, version, params, host })) };
    response.body = { RequestId: requestId, ...response.body };
  } catch (error) {
    response = errorResponse(error, requestId, host, deps.onError);
  }
  core.calls.add({
    action,
    params,
    status: response.drop ? 0 : response.status,
    at: core.iso(),
    version,
    requestId,
    code: response.body.Code as string | undefined,
  });
  return response;
}

interface Call {
  action: string;
  version: string;
  params: Record<string, string>;
  host: string;
}

async function run(deps: RpcDeps, request: SignedRequest, call: Call): Promise<Omit<RpcResponse, 'status'>> {
  const { core } = deps;
  if (!call.action) throw missing('Action');
  if (!call.version) throw missing('Version');
  const caller = authenticate(request, deps.keys);
  deps.replay?.check(caller.nonce, caller.timestamp);
  const spec = PRODUCT_TABLES[call.version]?.[call.action];
  const model = modelByVersion(call.version)?.actions[call.action];
  if (!spec || !model) throw unknownAction(call.action, call.version);
  const absent = missingRequired(model, call.params);
  if (absent.length > 0) throw missing(absent[0]);
  const latency = core.faults.take('latency', call.action);
  if (latency) await new Promise((resolve) => setTimeout(resolve, latency.latencyMs ?? 1000));
  if (core.faults.take('throttle', call.action)) throw throttled();
  const failure = core.faults.take('error', call.action);
  if (failure) throw internalError(failure.status);
  core.runDue();
  const tokenKey =
    spec.writes && call.params.ClientToken
      ? `${call.action}:${caller.accountId}:${call.params.ClientToken}`
      : undefined;
  const remembered = tokenKey ? core.state.clientTokens[tokenKey] : undefined;
  const body =
    remembered !== undefined
      ? (JSON.parse(remembered) as Record<string, unknown>)
      : spec.handler({ core, params: call.params, caller, host: call.host });
  const problems = checkResponse(model, body);
  if (problems.length > 0) throw contractViolation(formatProblems('sandbox', call.action, problems));
  if (spec.writes && remembered === undefined) {
    if (tokenKey) core.state.clientTokens[tokenKey] = JSON.stringify(body);
    core.persist();
  }
  const afterCommit = core.faults.take('failAfterCommit', call.action);
  if (afterCommit?.drop) return { body, drop: true };
  if (afterCommit) throw internalError(500);
  return { body };
}

/** The sandbox would answer outside the official model of the action: its own bug, answered as a 500. */
const contractViolation = (problems: string) => new ApiError(500, 'Sandbox.ContractViolation', problems);

function errorResponse(
  error: unknown,
  requestId: string,
  host: string,
  onError?: (error: unknown) => void,
): RpcResponse {
  if (!(error instanceof ApiError)) onError?.(error);
  const known = error instanceof ApiError ? error : internalError(500);
  return {
    status: known.status,
    body: { RequestId: requestId, HostId: host, Code: known.code, Message: known.message },
  };
}

function headerOf(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
