import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Html } from './html';
import { CONSOLE_CSS_HASH } from './styles';

const MAX_FORM_BYTES = 16 * 1024;

/** Every console answer: no script may run, nothing may frame it, nothing is cached. */
const SECURITY_HEADERS = {
  'content-security-policy': `default-src 'none'; style-src '${CONSOLE_CSS_HASH}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

export function sendHtml(res: ServerResponse, status: number, page: Html): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS });
  res.end(page.text);
}

/** 303: the browser follows with a GET (post, redirect, get: a reload never posts again). */
export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, ...SECURITY_HEADERS });
  res.end();
}

/** A urlencoded form body, or undefined when it is larger than any console form. */
export function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FORM_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(
        size > MAX_FORM_BYTES ? undefined : new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      ),
    );
    req.on('error', reject);
  });
}

/** Only a console path may follow a sign-in (never another site: `//evil`, `/\evil`). */
export function safeNext(next: string | null | undefined): string {
  if (!next || !/^\/console(\/[^\\]*)?(\?.*)?$/.test(next) || next.startsWith('//')) return '/console';
  return next;
}

/** A path segment decoded, or undefined when it is not valid percent-encoding. */
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
