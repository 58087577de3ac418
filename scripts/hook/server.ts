import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Counter, Gauge, type Registry } from 'prom-client';
import {
  ConnectionGuard,
  DEFAULT_CONNECTION_LIMITS,
  type ConnectionLimits,
  type SocketTimeouts,
} from './connection-guard';
import type { HookLogger } from './logger';
import { handleSpi, type HttpAnswer, type SpiDeps } from './spi/handler';

/**
 * What one client may hold of the hook. A silent socket is closed after `headersTimeoutMs`, a slow
 * body after `requestTimeoutMs`, an idle keep-alive socket after `idleTimeoutMs`; a body larger than
 * an SPI request needs (a few KB: the largest documented createInstance is under 1 KB) is refused
 * unread. Connection caps: see connection-guard.ts.
 */
export interface HookServerLimits extends ConnectionLimits, SocketTimeouts {
  maxBodyBytes: number;
}

export const DEFAULT_SERVER_LIMITS: HookServerLimits = {
  headersTimeoutMs: 5_000,
  // The whole request and its answer: above the store's own 15 s budget per call (PostgreSQL), so a slow
  // commit is answered 503 rather than cut off.
  requestTimeoutMs: 20_000,
  idleTimeoutMs: 5_000,
  maxBodyBytes: 8 * 1024,
  ...DEFAULT_CONNECTION_LIMITS,
};

const guards = new WeakMap<Server, ConnectionGuard>();
/** The connection guard of a hook server (its counts are what tests and metrics read). */
export const connectionGuardOf = (server: Server): ConnectionGuard | undefined => guards.get(server);

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
export function createHookServer(routes: HookRoutes, given: Partial<HookServerLimits> = {}): Server {
  const limits: HookServerLimits = { ...DEFAULT_SERVER_LIMITS, ...given };
  const guard = new ConnectionGuard(limits);
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.idleTimeoutMs,
      // How often Node checks the two timeouts above (default 30 s, which would let a socket live on).
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2))),
    },
    (req, res) => {
      route(req, res, routes, limits, guard).catch((error: unknown) => {
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
        routes.log.error(
          { error: (error as Error)?.message, path: req.url?.split('?')[0]?.slice(0, 80) },
          'request failed',
        );
        send(res, {
          status: 500,
          body: { success: false, code: 'InternalError', message: 'the hook could not process the request' },
        });
      });
    },
  );
  guard.attach(server);
  connectionMetrics(routes.registry, guard);
  guards.set(server, guard);
  return server;
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  routes: HookRoutes,
  limits: HookServerLimits,
  guard: ConnectionGuard,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const spi = (answer: HttpAnswer) => {
    if (answer.authenticated) guard.trust(req.socket);
    send(res, answer);
  };
  if (path === '/spi') {
    if (req.method === 'GET') return spi(await handleSpi(q < 0 ? '' : url.slice(q + 1), routes.spi));
    if (req.method === 'POST') {
      const body = await readBody(req, limits.maxBodyBytes);
      if (body === undefined) return refuseBody(res, limits.maxBodyBytes);
      // A POST may carry `action` in the query string and the rest in the form body: both count.
      return spi(await handleSpi(body, routes.spi, q < 0 ? '' : url.slice(q + 1)));
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
    const body = await readBody(req, limits.maxBodyBytes);
    if (body === undefined) return refuseBody(res, limits.maxBodyBytes);
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
  send(res, {
    status: 404,
    body: { success: false, code: 'NotFound', message: `no route ${path.slice(0, 80)}` },
  });
}

/**
 * The body as text, or undefined when it is (or claims to be) larger than `max`: then nothing more is
 * read, so a claimed 100 MB body costs nothing but its first chunk.
 */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const claimed = Number(req.headers['content-length'] ?? 0);
  if (claimed > max) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(size > max ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** 413, and the connection closed: the rest of the body is never read. */
function refuseBody(res: ServerResponse, max: number): void {
  res.shouldKeepAlive = false;
  send(res, {
    status: 413,
    headers: { connection: 'close' },
    body: { success: false, code: 'RequestTooLarge', message: `a body has at most ${max} bytes` },
  });
  res.once('finish', () => res.socket?.destroy());
}

function send(res: ServerResponse, answer: HttpAnswer): void {
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
  res.end(body);
}

const methodNotAllowed = (allow: string): HttpAnswer => ({
  status: 405,
  headers: { allow },
  body: { success: false, code: 'MethodNotAllowed', message: `use ${allow}` },
});

/** The guard's counts on `/metrics`: read when scraped, so nothing is kept per connection for them. */
function connectionMetrics(registry: Registry, guard: ConnectionGuard): void {
  new Gauge({
    name: 'nestkit_http_connections_open',
    help: 'Open sockets of the hook server',
    registers: [registry],
    collect() {
      this.set(guard.open);
    },
  });
  const counted = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  counted(
    'nestkit_http_connections_refused_total',
    'Connections closed at once: every cap full of busy or trusted sockets',
    () => guard.refused,
  );
  counted(
    'nestkit_http_connections_evicted_total',
    'Idle sockets that never carried a valid token, closed for a new connection over a cap',
    () => guard.evicted,
  );
}
