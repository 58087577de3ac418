import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SandboxCore } from './core';
import type { StoredObject } from './state';

/**
 * A path-style OSS stand-in at the sandbox's own address: `PUT /<bucket>/<key>` signed (OSS header
 * signature, HMAC-SHA1) with the temporary key GetUploadCredentials issued for exactly that object;
 * `GET /<bucket>/<key>` reads it back ([I] unsigned, as a public-read artifact bucket would allow).
 */
export interface ObjectRequest {
  method: string;
  bucket: string;
  key: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface ObjectResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
  code?: string;
}

export function handleObject(core: SandboxCore, request: ObjectRequest, requestId: string): ObjectResponse {
  if (request.method === 'PUT') return put(core, request, requestId);
  if (request.method === 'GET' || request.method === 'HEAD') return get(core, request, requestId);
  return ossError(
    405,
    'MethodNotAllowed',
    'The specified method is not allowed against this resource.',
    requestId,
  );
}

function put(core: SandboxCore, request: ObjectRequest, requestId: string): ObjectResponse {
  const problem = authorizePut(core, request);
  if (problem) return ossError(problem.status, problem.code, problem.message, requestId);
  const md5 = header(request.headers, 'content-md5');
  const actual = createHash('md5').update(request.body).digest('base64');
  if (md5 !== undefined && md5 !== actual)
    return ossError(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.', requestId);
  const etag = `"${createHash('md5').update(request.body).digest('hex').toUpperCase()}"`;
  const object: StoredObject = {
    bucket: request.bucket,
    key: request.key,
    contentBase64: request.body.toString('base64'),
    contentType: header(request.headers, 'content-type') ?? 'application/octet-stream',
    etag,
    lastModified: core.iso(),
  };
  core.state.objects[`${request.bucket}/${request.key}`] = object;
  core.persist();
  return { status: 200, headers: { ETag: etag, 'x-oss-request-id': requestId }, body: '' };
}

function authorizePut(
  core: SandboxCore,
  request: ObjectRequest,
): { status: number; code: string; message: string } | undefined {
  const match = /^OSS ([^:]+):(.+)$/.exec(header(request.headers, 'authorization') ?? '');
  if (!match) return { status: 403, code: 'AccessDenied', message: 'The request is not signed.' };
  const grant = core.state.uploadKeys[match[1]];
  if (!grant)
    return {
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The OSS Access Key Id you provided does not exist in our records.',
    };
  if (core.now() > grant.expiresAtMs)
    return {
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The security token you provided has expired.',
    };
  if (header(request.headers, 'x-oss-security-token') !== grant.securityToken) {
    return {
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The security token you provided is invalid.',
    };
  }
  const expected = signature(request, grant.accessKeySecret);
  if (!same(expected, match[2])) {
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
  }
  if (grant.bucket !== request.bucket || grant.key !== request.key) {
    return {
      status: 403,
      code: 'AccessDenied',
      message: `The credentials only allow writing ${grant.bucket}/${grant.key}.`,
    };
  }
  return undefined;
}

function signature(request: ObjectRequest, secret: string): string {
  const ossHeaders = Object.keys(request.headers)
    .map((name) => name.toLowerCase())
    .filter((name) => name.startsWith('x-oss-'))
    .sort()
    .map((name) => `${name}:${(header(request.headers, name) ?? '').trim()}\n`)
    .join('');
  const parts = [
    request.method,
    header(request.headers, 'content-md5') ?? '',
    header(request.headers, 'content-type') ?? '',
    header(request.headers, 'date') ?? '',
  ];
  const stringToSign = `${parts.join('\n')}\n${ossHeaders}/${request.bucket}/${request.key}`;
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}

function get(core: SandboxCore, request: ObjectRequest, requestId: string): ObjectResponse {
  const object = core.state.objects[`${request.bucket}/${request.key}`];
  if (!object) return ossError(404, 'NoSuchKey', 'The specified key does not exist.', requestId);
  const body = Buffer.from(object.contentBase64, 'base64');
  return {
    status: 200,
    headers: {
      'Content-Type': object.contentType,
      ETag: object.etag,
      'Last-Modified': new Date(object.lastModified).toUTCString(),
      'x-oss-request-id': requestId,
    },
    body: request.method === 'HEAD' ? '' : body,
  };
}

function ossError(status: number, code: string, message: string, requestId: string): ObjectResponse {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${code}</Code>\n  <Message>${message}</Message>\n  <RequestId>${requestId}</RequestId>\n</Error>\n`;
  return {
    status,
    headers: { 'Content-Type': 'application/xml', 'x-oss-request-id': requestId },
    body,
    code,
  };
}

function header(headers: ObjectRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
