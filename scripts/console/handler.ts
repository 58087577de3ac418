import type { IncomingMessage, ServerResponse } from 'node:http';
import { overTls, readCookie, sessionCookie } from './cookies';
import { decodeSegment, readForm, redirect, safeNext, sendHtml } from './http';
import type { ConsoleDeps } from './deps';
import { orderData, ordersData, overviewData } from './page-data';
import { messagePage, signInPage } from './pages/layout';
import { orderPage } from './pages/order';
import { ordersPage } from './pages/orders';
import { overviewPage } from './pages/overview';
import { rolloutsPage } from './pages/rollouts';
import { latestRollout } from './rollout-view';
import { SESSION_COOKIE, Sessions, type Session } from './session';

export type ConsoleHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

type Notice = { ok: boolean; message: string };

/** One request as the console routes it. */
interface Request {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The path without a trailing slash. */
  path: string;
}

/**
 * The console under `/console`: a sign-in page, and behind a session every other page. A page asked
 * for without a session is redirected to the sign-in (any other method is answered 401); every POST
 * carries the session's CSRF token.
 */
export function createConsole(deps: ConsoleDeps): ConsoleHandler {
  const app = new ConsoleApp(deps);
  return (req, res) => app.handle(req, res);
}

class ConsoleApp {
  private readonly sessions: Sessions;
  /** The outcome of an action, shown once on the page the browser is sent to next. */
  private readonly notices = new Map<string, Notice>();

  constructor(private readonly deps: ConsoleDeps) {
    this.sessions = new Sessions(deps.token, () => deps.now().getTime());
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/console', 'http://console.invalid');
    const r: Request = { req, res, url, path: url.pathname.replace(/\/+$/, '') || '/console' };
    const method = req.method ?? 'GET';
    if (r.path === '/console/sign-in') return this.signIn(r);
    const session = this.sessions.verify(readCookie(req, SESSION_COOKIE));
    if (!session) {
      if (method === 'GET' || method === 'HEAD')
        return redirect(res, `/console/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
      return sendHtml(res, 401, signInPage({ next: '/console', failed: false }));
    }
    if (method === 'POST') return this.post(r, session);
    if (method === 'GET' || method === 'HEAD') return this.get(r, session);
    res.setHeader('allow', 'GET, POST');
    sendHtml(res, 405, messagePage('Not allowed', 'Use the console’s links and forms.', session.csrf));
  }

  private async signIn({ req, res, url }: Request): Promise<void> {
    if (req.method === 'GET' || req.method === 'HEAD')
      return sendHtml(res, 200, signInPage({ next: safeNext(url.searchParams.get('next')), failed: false }));
    if (req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      return sendHtml(res, 405, signInPage({ next: '/console', failed: false }));
    }
    const form = await readForm(req);
    const next = safeNext(form?.get('next'));
    const signed = form ? this.sessions.signIn(form.get('token') ?? '') : undefined;
    if (!signed) {
      this.deps.log.warn(
        { from: req.socket.remoteAddress },
        'console: a sign-in with a wrong token was refused',
      );
      return sendHtml(res, 401, signInPage({ next, failed: true }));
    }
    this.deps.log.info({ session: signed.session.id.slice(0, 6) }, 'console: signed in');
    const maxAgeSeconds = (signed.session.expiresAt - this.deps.now().getTime()) / 1000;
    res.setHeader(
      'set-cookie',
      sessionCookie(SESSION_COOKIE, signed.cookie, { maxAgeSeconds, secure: overTls(req) }),
    );
    redirect(res, next);
  }

  private async get({ res, path, url }: Request, session: Session): Promise<void> {
    const csrf = session.csrf;
    if (path === '/console') return sendHtml(res, 200, overviewPage(await overviewData(this.deps), csrf));
    if (path === '/console/orders')
      return sendHtml(res, 200, ordersPage(await ordersData(this.deps, url.searchParams), csrf));
    if (path === '/console/rollouts')
      return sendHtml(res, 200, rolloutsPage(await latestRollout(this.deps.rollouts), csrf));
    const order = /^\/console\/orders\/([^/]+)$/.exec(path);
    const id = order ? decodeSegment(order[1]) : undefined;
    if (id === undefined)
      return sendHtml(res, 404, messagePage('Not found', 'The console has no such page.', csrf));
    const notice = this.notices.get(`${session.id}:${id}`);
    this.notices.delete(`${session.id}:${id}`);
    const data = await orderData(this.deps, id, {
      allEvents: url.searchParams.get('events') === 'all',
      notice,
    });
    if (!data) return sendHtml(res, 404, messagePage('No such order', 'This store has no such order.', csrf));
    sendHtml(res, 200, orderPage(data, csrf));
  }

  private async post({ req, res, path }: Request, session: Session): Promise<void> {
    const form = await readForm(req);
    if (!form) return sendHtml(res, 413, messagePage('Too large', 'That form is too large.', session.csrf));
    if (!this.sessions.checkCsrf(session, form.get('csrf') ?? undefined)) {
      this.deps.log.warn({ path }, 'console: a form without its session token was refused');
      const page = messagePage(
        'Refused',
        'The form has expired; reload the page and try again.',
        session.csrf,
      );
      return sendHtml(res, 403, page);
    }
    if (path === '/console/sign-out') {
      this.sessions.signOut(session);
      res.setHeader(
        'set-cookie',
        sessionCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: overTls(req) }),
      );
      return redirect(res, '/console/sign-in');
    }
    const action = /^\/console\/orders\/([^/]+)\/([a-z-]+)$/.exec(path);
    const id = action ? decodeSegment(action[1]) : undefined;
    if (!action || id === undefined)
      return sendHtml(res, 404, messagePage('Not found', 'The console has no such action.', session.csrf));
    const outcome = await this.deps.actions.run(action[2], id, form.get('reason')?.trim() || undefined);
    this.deps.log.info(
      { session: session.id.slice(0, 6), action: action[2], instanceId: id, ok: outcome.ok },
      'console: operator action',
    );
    if (this.notices.size > 1000) this.notices.clear();
    this.notices.set(`${session.id}:${id}`, outcome);
    redirect(res, `/console/orders/${encodeURIComponent(id)}`);
  }
}
