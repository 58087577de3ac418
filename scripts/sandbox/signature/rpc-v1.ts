import { createHmac } from 'node:crypto';
import { percentEncode } from './encode';

/**
 * The legacy RPC signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0): every parameter but
 * `Signature`, sorted, encoded and joined, then `METHOD&%2F&` + the encoded whole.
 */
export function rpcStringToSign(method: string, params: Record<string, string>): string {
  const canonical = Object.keys(params)
    .filter((key) => key !== 'Signature')
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key])}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonical)}`;
}

export function rpcSignature(secret: string, method: string, params: Record<string, string>): string {
  return createHmac('sha1', `${secret}&`).update(rpcStringToSign(method, params), 'utf8').digest('base64');
}
