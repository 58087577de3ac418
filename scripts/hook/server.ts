import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { HookLogger } from './logger';
import { handleSpi, type HttpAnswer, type SpiDeps } from './spi/handler';
import { SPI_LIMITS } from './spi/parse-params';

export interface HookRoutes {
  spi: SpiDeps;
  registry: Registry;
  log: HookLogger;
  /** Ready: the store commits, the service was found, and the hook is not shutting down. */
  ready: () => boolean;
  /** Extra POST routes (path → handler of the JSON body and the Authorization header), e.g. licence activation. */
  post?: Record<string, (body: unknown, authorization: string | undefined) => Promise<HttpAnswer>>;
  /** The operator console (`scripts/console`), answering every path under `/console`; off when absent. */
  console?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/** The hook's HTTP surface: `/spi` (GET, or POST form), `/healthz`, `/readyz`, `/metrics`. */
export function createHookServer(routes: HookRoutes): Server {
  return createServer((req, res) => {
    route(req, res, routes).catch((error: unknown) => {
      if ((error as Error)?.name === 'StoreUnavailableError') {
        // Nothing was committed, so nothing is acknowledged: the caller (the Marketplace retries each
        // notification) tries again. Logged once by the store's health, not per request.
        return send(res, {
          status: 503,
          headers: { 'retry-after': '30' },
          body: {
            success: false,
            code: 'StoreUnavailable',
            message: 'the hook cannot record the request now; try again later',
          },
        });
      }
      routes.log.error({ error: (error as Error)?.message, path: req.url?.split('?')[0] }, 'request failed');
      send(res, {
        status: 500,
        body: { success: false, code: 'InternalError', message: 'the hook could not process the request' },
      });
    });
  });
}

async function route(req: IncomingMessage, res: ServerResponse, routes: HookRoutes): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path === '/spi') {
    if (req.method === 'GET') return send(res, await handleSpi(q < 0 ? '' : url.slice(q + 1), routes.spi));
    if (req.method === 'POST') {
      const body = await readBody(req);
      if (body === undefined) return send(res, tooLarge());
      // A POST may carry `action` in the query string and the rest in the form body: both count.
      return send(res, await handleSpi(body, routes.spi, q < 0 ? '' : url.slice(q + 1)));
    }
    return send(res, methodNotAllowed('GET, POST'));
  }
  // Alive: answered from memory, never from the database, so a full, read-only or locked disk leaves it up.
  if (path === '/healthz') return send(res, { status: 200, body: { status: 'ok' } });
  if (path === '/readyz')
    return send(
      res,
      routes.ready()
        ? { status: 200, body: { status: 'ready' } }
        : { status: 503, body: { status: 'not ready' } },
    );
  if (path === '/metrics') {
    res.writeHead(200, { 'content-type': routes.registry.contentType });
    res.end(await routes.registry.metrics());
    return;
  }
  if (routes.console && (path === '/console' || path.startsWith('/console/')))
    return routes.console(req, res);
  const post = routes.post?.[path];
  if (post) {
    if (req.method !== 'POST') return send(res, methodNotAllowed('POST'));
    const body = await readBody(req);
    if (body === undefined) return send(res, tooLarge());
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return send(res, {
        status: 400,
        body: { success: false, code: 'MalformedJson', message: 'the body is not JSON' },
      });
    }
    return send(res, await post(parsed, req.headers.authorization));
  }
  send(res, { status: 404, body: { success: false, code: 'NotFound', message: `no route ${path}` } });
}

/** The body as text, or undefined when it is larger than an SPI request may be. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= SPI_LIMITS.maxQueryLength) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(size > SPI_LIMITS.maxQueryLength ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: HttpAnswer): void {
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
  res.end(body);
}

const tooLarge = (): HttpAnswer => ({
  status: 413,
  body: { success: false, code: 'RequestTooLarge', message: `at most ${SPI_LIMITS.maxQueryLength} bytes` },
});
const methodNotAllowed = (allow: string): HttpAnswer => ({
  status: 405,
  headers: { allow },
  body: { success: false, code: 'MethodNotAllowed', message: `use ${allow}` },
});
