import { timingSafeEqual } from 'node:crypto';
import { incompleteSignature, signatureMismatch, unknownAccessKey, ApiError } from '../errors';
import { acs3CanonicalRequest, acs3Signature, parseAcs3Authorization, sha256Hex } from './acs3';
import { rpcSignature } from './rpc-v1';

/** An AccessKey pair the sandbox accepts, and the account it belongs to. */
export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  /** The Alibaba Cloud account id (uid) calls with this key act as. */
  accountId: string;
  /**
   * [I] Whose key it is: the account's own (default), a RAM user's, or an STS one. A request that
   * carries a security token is an STS caller whatever the key says.
   */
  callerType?: CallerType;
}

export type CallerType = 'account' | 'ram-user' | 'sts';

export interface SignedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, string>;
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface Caller {
  accessKeyId: string;
  accountId: string;
  callerType: CallerType;
  algorithm: 'ACS3-HMAC-SHA256' | 'HMAC-SHA1';
  nonce?: string;
  timestamp?: string;
}

// [I] Headers the sandbox insists are signed, so a replayed request cannot change action or time.
const MUST_SIGN = [
  'host',
  'x-acs-action',
  'x-acs-version',
  'x-acs-date',
  'x-acs-signature-nonce',
  'x-acs-content-sha256',
];

/** Checks the request's signature (ACS3 header, or legacy V1 query) against the known keys. */
export function authenticate(request: SignedRequest, keys: ReadonlyMap<string, AccessKey>): Caller {
  const authorization = header(request.headers, 'authorization');
  if (authorization !== undefined) return verifyAcs3(request, authorization, keys);
  if (request.query.Signature !== undefined || request.query.AccessKeyId !== undefined)
    return verifyRpc(request, keys);
  throw new ApiError(
    400,
    'MissingAuthorization',
    'The request is not signed: no Authorization header and no Signature parameter.',
  );
}

function verifyAcs3(
  request: SignedRequest,
  authorization: string,
  keys: ReadonlyMap<string, AccessKey>,
): Caller {
  const parsed = parseAcs3Authorization(authorization);
  if (!parsed) throw incompleteSignature('The Authorization header is malformed.');
  const key = keys.get(parsed.accessKeyId);
  if (!key) throw unknownAccessKey();
  const unsigned = MUST_SIGN.filter((name) => !parsed.signedHeaders.includes(name));
  if (unsigned.length > 0) throw incompleteSignature(`These headers must be signed: ${unsigned.join(', ')}.`);
  const payloadHash = header(request.headers, 'x-acs-content-sha256') ?? '';
  if (payloadHash !== sha256Hex(request.rawBody)) throw signatureMismatch();
  const canonical = acs3CanonicalRequest({
    method: request.method,
    path: request.path,
    query: request.query,
    headers: request.headers,
    signedHeaders: parsed.signedHeaders,
    payloadHash,
  });
  if (!sameText(acs3Signature(key.accessKeySecret, canonical), parsed.signature)) throw signatureMismatch();
  return {
    accessKeyId: key.accessKeyId,
    accountId: key.accountId,
    callerType: header(request.headers, 'x-acs-security-token') ? 'sts' : (key.callerType ?? 'account'),
    algorithm: 'ACS3-HMAC-SHA256',
    nonce: header(request.headers, 'x-acs-signature-nonce'),
    timestamp: header(request.headers, 'x-acs-date'),
  };
}

function verifyRpc(request: SignedRequest, keys: ReadonlyMap<string, AccessKey>): Caller {
  const params = { ...request.body, ...request.query };
  for (const name of ['AccessKeyId', 'Signature', 'SignatureNonce', 'Timestamp']) {
    if (!params[name]) throw incompleteSignature(`The parameter ${name} is missing.`);
  }
  if (params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0') {
    throw incompleteSignature('SignatureMethod must be HMAC-SHA1 and SignatureVersion 1.0.');
  }
  const key = keys.get(params.AccessKeyId);
  if (!key) throw unknownAccessKey();
  if (!sameText(rpcSignature(key.accessKeySecret, request.method, params), params.Signature))
    throw signatureMismatch();
  return {
    accessKeyId: key.accessKeyId,
    accountId: key.accountId,
    callerType: params.SecurityToken ? 'sts' : (key.callerType ?? 'account'),
    algorithm: 'HMAC-SHA1',
    nonce: params.SignatureNonce,
    timestamp: params.Timestamp,
  };
}

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
