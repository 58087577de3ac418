import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceModel } from '../../service-config/model';
import type { HookLogger } from '../hook/logger';
import type { InstanceRecord } from '../hook/machine';
import { editionForSku } from '../hook/order-parameters';
import type { HookStore, Job } from '../hook/store/store';
import { overTls, readCookie, sessionCookie } from './cookies';
import { Html } from './html';
import { parseOrderFilters, recordQueryOf } from './orders-query';
import { messagePage, signInPage } from './pages/layout';
import { orderPage, type OfferedAction } from './pages/order';
import { ordersPage } from './pages/orders';
import { overviewPage } from './pages/overview';
import { rolloutsPage, type RolloutSummary } from './pages/rollouts';
import type { PassLog } from './pass-log';
import { SESSION_COOKIE, Sessions, type Session } from './session';
import { CONSOLE_CSS_HASH } from './styles';

/** What the console reads of the store: nothing that writes. */
export type ConsoleStore = Pick<
  HookStore,
  | 'get'
  | 'queryRecords'
  | 'eventsOf'
  | 'countsBy'
  | 'deadJobs'
  | 'deadLetters'
  | 'jobCounts'
  | 'jobsOf'
  | 'dueForTeardown'
>;

/** The operator actions, run through the same machine, job path and guard as the CLI's. */
export interface ConsoleActions {
  /** The actions an order's state allows. */
  offered(record: InstanceRecord, jobs: Job[]): OfferedAction[];
  run(name: string, id: string, reason: string | undefined): Promise<{ ok: boolean; message: string }>;
}

export interface ConsoleDeps {
  /** NESTKIT_CONSOLE_TOKEN: the console is off without it (the hook does not mount it). */
  token: string;
  store: ConsoleStore;
  model: ServiceModel;
  now: () => Date;
  log: HookLogger;
  actions: ConsoleActions;
  passes?: PassLog;
  rollouts?: () => Promise<RolloutSummary[]>;
}

export type ConsoleHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Whether a path belongs to the console (the hook's server delegates those to it). */
export function isConsolePath(path: string): boolean {
  return path === '/console' || path.startsWith('/console/');
}

const MAX_FORM_BYTES = 16 * 1024;

/**
 * The console under `/console`: a sign-in page, and behind a session every other page. A page asked
 * for without a session is redirected to the sign-in (any other method is answered 401); every POST
 * carries the session's CSRF token.
 */
export function createConsole(deps: ConsoleDeps): ConsoleHandler {
  const sessions = new Sessions(deps.token, () => deps.now().getTime());
  const notices = new Map<string, { ok: boolean; message: string }>();
  return async (req, res) => {
    const url = new URL(req.url ?? '/console', 'http://console.invalid');
    const path = url.pathname.replace(/\/+$/, '') || '/console';
    const method = req.method ?? 'GET';
    if (path === '/console/sign-in') return signIn(req, res, url, sessions, deps);
    const session = sessions.verify(readCookie(req, SESSION_COOKIE));
    if (!session) {
      if (method === 'GET' || method === 'HEAD') {
        const next = `${url.pathname}${url.search}`;
        return redirect(res, `/console/sign-in?next=${encodeURIComponent(next)}`);
      }
      return sendHtml(res, 401, signInPage({ next: '/console', failed: false }));
    }
    if (method === 'POST') {
      const form = await readForm(req);
      if (!form) return sendHtml(res, 413, messagePage('Too large', 'That form is too large.', session.csrf));
      if (!sessions.checkCsrf(session, form.get('csrf') ?? undefined)) {
        deps.log.warn({ path }, 'console: a form without its session token was refused');
        return sendHtml(
          res,
          403,
          messagePage('Refused', 'The form has expired; reload the page and try again.', session.csrf),
        );
      }
      return post(res, path, form, session, sessions, notices, deps, req);
    }
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('allow', 'GET, POST');
      return sendHtml(
        res,
        405,
        messagePage('Not allowed', 'Use the console’s links and forms.', session.csrf),
      );
    }
    return get(res, path, url, session, notices, deps);
  };
}

async function signIn(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  sessions: Sessions,
  deps: ConsoleDeps,
): Promise<void> {
  if (req.method === 'POST') {
    const form = await readForm(req);
    const next = safeNext(form?.get('next'));
    const signed = form ? sessions.signIn(form.get('token') ?? '') : undefined;
    if (!signed) {
      deps.log.warn({ from: req.socket.remoteAddress }, 'console: a sign-in with a wrong token was refused');
      return sendHtml(res, 401, signInPage({ next, failed: true }));
    }
    deps.log.info({ session: signed.session.id.slice(0, 6) }, 'console: signed in');
    res.setHeader(
      'set-cookie',
      sessionCookie(SESSION_COOKIE, signed.cookie, {
        maxAgeSeconds: (signed.session.expiresAt - deps.now().getTime()) / 1000,
        secure: overTls(req),
      }),
    );
    return redirect(res, next);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, POST');
    return sendHtml(res, 405, signInPage({ next: '/console', failed: false }));
  }
  return sendHtml(res, 200, signInPage({ next: safeNext(url.searchParams.get('next')), failed: false }));
}

async function get(
  res: ServerResponse,
  path: string,
  url: URL,
  session: Session,
  notices: Map<string, { ok: boolean; message: string }>,
  deps: ConsoleDeps,
): Promise<void> {
  const csrf = session.csrf;
  if (path === '/console') return sendHtml(res, 200, overviewPage(await overviewData(deps), csrf));
  if (path === '/console/orders') {
    const filters = parseOrderFilters(url.searchParams);
    const [page, bySku] = await Promise.all([
      deps.store.queryRecords(recordQueryOf(filters, deps.now())),
      deps.store.countsBy('skuId'),
    ]);
    const skus = skuList(deps.model, bySku);
    const editionOf = (sku: string | undefined) => editionForSku(deps.model, sku)?.name;
    return sendHtml(res, 200, ordersPage({ filters, ...page, skus, editionOf }, csrf));
  }
  if (path === '/console/rollouts')
    return sendHtml(res, 200, rolloutsPage((await deps.rollouts?.()) ?? [], csrf));
  const order = /^\/console\/orders\/([^/]+)$/.exec(path);
  if (order) {
    const id = decodeSegment(order[1]);
    const record = id === undefined ? undefined : await deps.store.get(id);
    if (!record || id === undefined)
      return sendHtml(res, 404, messagePage('No such order', 'This store has no such order.', csrf));
    const [events, jobs] = await Promise.all([deps.store.eventsOf(id), deps.store.jobsOf(id)]);
    const key = `${session.id}:${id}`;
    const notice = notices.get(key);
    notices.delete(key);
    const edition = editionForSku(deps.model, record.skuId)?.name;
    const actions = deps.actions.offered(record, jobs);
    const allEvents = url.searchParams.get('events') === 'all';
    return sendHtml(res, 200, orderPage({ record, edition, events, allEvents, jobs, actions, notice }, csrf));
  }
  return sendHtml(res, 404, messagePage('Not found', 'The console has no such page.', csrf));
}

async function post(
  res: ServerResponse,
  path: string,
  form: URLSearchParams,
  session: Session,
  sessions: Sessions,
  notices: Map<string, { ok: boolean; message: string }>,
  deps: ConsoleDeps,
  req: IncomingMessage,
): Promise<void> {
  if (path === '/console/sign-out') {
    sessions.signOut(session);
    res.setHeader(
      'set-cookie',
      sessionCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: overTls(req) }),
    );
    return redirect(res, '/console/sign-in');
  }
  const action = /^\/console\/orders\/([^/]+)\/([a-z-]+)$/.exec(path);
  if (!action)
    return sendHtml(res, 404, messagePage('Not found', 'The console has no such action.', session.csrf));
  const id = decodeSegment(action[1]);
  if (id === undefined) return sendHtml(res, 404, messagePage('Not found', 'No such order.', session.csrf));
  const reason = form.get('reason')?.trim().slice(0, 500) || undefined;
  const outcome = await deps.actions.run(action[2], id, reason);
  deps.log.info(
    { session: session.id.slice(0, 6), action: action[2], instanceId: id, ok: outcome.ok },
    'console: operator action',
  );
  // Kept for the page the browser is sent to (post, redirect, get): a reload does not act twice.
  if (notices.size > 1000) notices.clear();
  notices.set(`${session.id}:${id}`, outcome);
  return redirect(res, `/console/orders/${encodeURIComponent(id)}`);
}

async function overviewData(deps: ConsoleDeps) {
  const { store } = deps;
  const [byState, bySku, failed, deadJobs, deadByKind, jobs, due] = await Promise.all([
    store.countsBy('state'),
    store.countsBy('skuId'),
    store.queryRecords({ states: ['failed'], limit: 10, offset: 0 }),
    store.deadJobs(10),
    store.deadLetters(),
    store.jobCounts(),
    store.dueForTeardown(deps.now().toISOString()),
  ]);
  const hold = deps.passes?.guardHold();
  return {
    byState,
    bySku: skuList(deps.model, bySku).map((s) => ({ ...s, count: bySku[s.sku] ?? 0 })),
    failed,
    deadJobs,
    deadByKind,
    jobs,
    held: { count: due.length, records: due.slice(0, 10), reason: hold?.problem, since: hold?.at },
    rollouts: ((await deps.rollouts?.()) ?? []).filter((r) => r.state !== 'done').length,
    passes: deps.passes?.recent() ?? [],
  };
}

/** Every SKU code seen in the store or named by service.yaml, with its edition. */
function skuList(model: ServiceModel, counts: Record<string, number>): { sku: string; edition?: string }[] {
  const codes = new Set([...model.editions.map((e) => e.specificationCode), ...Object.keys(counts)]);
  return [...codes]
    .filter((sku) => sku !== '')
    .sort()
    .map((sku) => ({ sku, edition: editionForSku(model, sku)?.name }));
}

/** Only a console path may follow a sign-in (never another site: `//evil`, `/\evil`). */
function safeNext(next: string | null | undefined): string {
  if (!next || !/^\/console(\/[^\\]*)?(\?.*)?$/.test(next) || next.startsWith('//')) return '/console';
  return next;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
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

const SECURITY_HEADERS = {
  'content-security-policy': `default-src 'none'; style-src '${CONSOLE_CSS_HASH}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

function sendHtml(res: ServerResponse, status: number, page: Html): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS });
  res.end(page.text);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { location, ...SECURITY_HEADERS });
  res.end();
}
