import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import { handleAdmin } from './admin';
import type { SandboxCore } from './core';
import { handleObject } from './object-store';
import { handleRpc, type RpcDeps } from './rpc';

const MAX_BODY = 20 * 1024 * 1024;

/** Routes a request: `/_sandbox/*` admin, `/` the RPC APIs, anything else the object store. */
export function createServer(deps: RpcDeps): http.Server {
  return http.createServer((req, res) => {
    readBody(req)
      .then((body) => route(deps, req, res, body))
      .catch((error: unknown) => {
        deps.onError?.(error);
        if (!res.headersSent)
          send(res, 500, { Code: 'InternalError', Message: 'The sandbox failed to handle the request.' });
        else res.destroy();
      });
  });
}

async function route(
  deps: RpcDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: Buffer,
): Promise<void> {
  const host = req.headers.host ?? '127.0.0.1';
  const url = new URL(req.url ?? '/', `http://${host}`);
  const method = (req.method ?? 'GET').toUpperCase();
  if (url.pathname.startsWith('/_sandbox/')) {
    const answer = handleAdmin(deps.core, method, url, body);
    return send(res, answer.status, answer.body);
  }
  if (url.pathname === '/') {
    const answer = await handleRpc(
      deps,
      {
        method,
        path: '/',
        query: firstValues(url.searchParams),
        body: formBody(req, body),
        rawBody: body,
        headers: req.headers,
      },
      host,
    );
    if (answer.drop) return void res.destroy();
    return send(res, answer.status, answer.body);
  }
  const [bucket, ...rest] = url.pathname.slice(1).split('/');
  const key = rest.map(decodeURIComponent).join('/');
  const answer = handleObject(
    deps.core,
    { method, bucket, key, headers: req.headers, body },
    randomUUID().toUpperCase(),
  );
  logObjectCall(deps.core, method, bucket, key, answer.status, answer.code);
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

function logObjectCall(
  core: SandboxCore,
  method: string,
  bucket: string,
  key: string,
  status: number,
  code?: string,
) {
  const action = method === 'PUT' ? 'PutObject' : method === 'HEAD' ? 'HeadObject' : 'GetObject';
  core.calls.add({
    action,
    params: { Bucket: bucket, Key: key },
    status,
    at: core.iso(),
    requestId: '',
    code,
  });
}

function firstValues(search: URLSearchParams): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of search) if (!(name in values)) values[name] = value;
  return values;
}

function formBody(req: http.IncomingMessage, body: Buffer): Record<string, string> {
  const type = req.headers['content-type'] ?? '';
  return type.startsWith('application/x-www-form-urlencoded') && body.length > 0
    ? firstValues(new URLSearchParams(body.toString('utf8')))
    : {};
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
