import { createHash, createHmac } from 'node:crypto';
import { percentEncode } from './encode';

export const ACS3 = 'ACS3-HMAC-SHA256';

/** What an ACS3 signature covers. `headers` have lower-case names. */
export interface Acs3Input {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  signedHeaders: string[];
  payloadHash: string;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The canonical request: method, path, sorted query (values encoded), signed headers, payload hash. */
export function acs3CanonicalRequest(input: Acs3Input): string {
  const query = Object.keys(input.query)
    .sort()
    .map((key) => `${key}=${percentEncode(input.query[key])}`)
    .join('&');
  const names = [...input.signedHeaders].sort();
  const headers = names.map((name) => `${name}:${headerValue(input.headers[name])}\n`).join('');
  return [input.method.toUpperCase(), input.path, query, headers, names.join(';'), input.payloadHash].join(
    '\n',
  );
}

function headerValue(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  const values = Array.isArray(value) ? value : [value];
  return values
    .map((v) => v.trim())
    .sort()
    .join(',');
}

export function acs3Signature(secret: string, canonicalRequest: string): string {
  const stringToSign = `${ACS3}\n${sha256Hex(canonicalRequest)}`;
  return createHmac('sha256', secret).update(stringToSign, 'utf8').digest('hex');
}

export interface Acs3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=a;b,Signature=..`; undefined when malformed. */
export function parseAcs3Authorization(header: string): Acs3Authorization | undefined {
  if (!header.startsWith(`${ACS3} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(ACS3.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature) return undefined;
  return { accessKeyId, signedHeaders: signedHeaders.split(';').map((h) => h.toLowerCase()), signature };
}
