import { createHash, createHmac } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { CloudError } from './errors';
import type { UploadCredentials } from './supplier-types';

/**
 * Puts one file to the OSS key that GetUploadCredentials handed out, signed with those temporary
 * credentials (OSS header signature, HMAC-SHA1). Why no library: `ali-oss` is large, pulls in an
 * HTTP stack of its own and would be the only OSS call in the kit; one signed PUT is a few lines.
 */
export interface UploadOptions {
  /** When the cloud endpoint is overridden (a sandbox), the object store lives at that URL, path-style. */
  endpointOverrideUrl?: string;
  contentType?: string;
  /** Injected for tests. */
  now?: () => Date;
}

export interface UploadResult {
  /** The form Compute Nest accepts as a template Url: oss://bucket/key?RegionId=region */
  ossUrl: string;
  etag?: string;
}

/** Upload credentials with every field the PUT needs. */
type CompleteUploadCredentials = Required<UploadCredentials>;

const CREDENTIAL_FIELDS = ['AccessKeyId', 'AccessKeySecret', 'BucketName', 'Key', 'RegionId'] as const;

export async function uploadToOss(
  answer: UploadCredentials | undefined,
  content: Buffer | string,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const credentials = completeCredentials(answer);
  const body = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  const target = objectUrl(credentials, options.endpointOverrideUrl);
  const headers: Record<string, string> = {
    'Content-Type': options.contentType ?? 'application/octet-stream',
    'Content-MD5': createHash('md5').update(body).digest('base64'),
    'Content-Length': String(body.length),
    Date: (options.now?.() ?? new Date()).toUTCString(),
  };
  if (credentials.SecurityToken) headers['x-oss-security-token'] = credentials.SecurityToken;
  headers.Authorization = `OSS ${credentials.AccessKeyId}:${ossSignature('PUT', headers, `/${credentials.BucketName}/${credentials.Key}`, credentials.AccessKeySecret)}`;
  const response = await send(target, headers, body);
  if (response.status < 200 || response.status >= 300) {
    const code = /<Code>([^<]*)<\/Code>/.exec(response.text)?.[1] ?? 'OssPutFailed';
    const requestId = /<RequestId>([^<]*)<\/RequestId>/.exec(response.text)?.[1];
    throw new CloudError(
      code,
      `OSS PUT ${credentials.Key} failed with HTTP ${response.status}`,
      requestId,
      response.status,
      'PutObject',
    );
  }
  return {
    ossUrl: `oss://${credentials.BucketName}/${credentials.Key}?RegionId=${credentials.RegionId}`,
    etag: response.etag,
  };
}

/** The OSS V1 header signature over verb, MD5, type, date, x-oss-* headers and /bucket/key. */
export function ossSignature(
  verb: string,
  headers: Record<string, string>,
  resource: string,
  secret: string,
): string {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const ossHeaders = Object.keys(lower)
    .filter((k) => k.startsWith('x-oss-'))
    .sort()
    .map((k) => `${k}:${lower[k].trim()}\n`)
    .join('');
  const text = [verb, lower['content-md5'] ?? '', lower['content-type'] ?? '', lower.date ?? ''].join('\n');
  return createHmac('sha1', secret).update(`${text}\n${ossHeaders}${resource}`, 'utf8').digest('base64');
}

/** GetUploadCredentials' Data, refused when a field the PUT needs is missing (every field is optional in the model). */
function completeCredentials(data: UploadCredentials | undefined): CompleteUploadCredentials {
  const missing = CREDENTIAL_FIELDS.filter((field) => !data?.[field]);
  if (!data || missing.length > 0)
    throw new CloudError(
      'UploadCredentialsIncomplete',
      `GetUploadCredentials answered without ${missing.join(', ') || 'Data'}`,
      undefined,
      undefined,
      'GetUploadCredentials',
    );
  return { SecurityToken: '', ExpireDate: '', ...data } as CompleteUploadCredentials;
}

function objectUrl(credentials: CompleteUploadCredentials, override?: string): URL {
  const key = credentials.Key.split('/').map(encodeURIComponent).join('/');
  if (override) return new URL(`${override.replace(/\/$/, '')}/${credentials.BucketName}/${key}`);
  return new URL(`https://${credentials.BucketName}.oss-${credentials.RegionId}.aliyuncs.com/${key}`);
}

function send(url: URL, headers: Record<string, string>, body: Buffer) {
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise<{ status: number; text: string; etag?: string }>((resolve, reject) => {
    const request = transport.request(url, { method: 'PUT', headers, timeout: 60_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          etag: response.headers.etag,
        }),
      );
    });
    request.on('timeout', () => request.destroy(new Error('OSS PUT timed out')));
    request.on('error', (error) =>
      reject(new CloudError('NetworkError', error.message, undefined, undefined, 'PutObject')),
    );
    request.end(body);
  });
}
