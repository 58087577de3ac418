import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How many sockets the hook holds open, in total and per source address. Below the process's
 * descriptor limit, so the database, the cloud client and the logs always find one.
 */
export interface ConnectionLimits {
  maxConnections: number;
  maxConnectionsPerSource: number;
}

/**
 * How long a socket may take, in real time: to send a request's headers (from the connection, or from
 * the end of the last answer on a kept-alive one), and to send its whole request and get the answer.
 * Kept here rather than left to Node's own `headersTimeout`: that one never ends a socket that sends
 * nothing at all (seen on Node 20), which is the cheapest way to hold a descriptor.
 */
export interface SocketTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  idleTimeoutMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: connectionsBelowDescriptorLimit(512),
  maxConnectionsPerSource: 64,
};

interface Tracked {
  source: string;
  openedAt: number;
  /** A request is being read or answered: never evicted (the request timeout ends a slow one). */
  busy: boolean;
  /** It carried a request with a valid token (the Marketplace keeping its connection alive). */
  trusted: boolean;
  /** Ends the socket when the phase it is in takes too long. */
  timer?: NodeJS.Timeout;
}

/**
 * Caps connections without keeping anything per request. At accept time nothing is known of the
 * caller, so the rule is about what a socket has done:
 * - a new connection over a cap (total, or its source's) evicts the oldest *idle, untrusted* socket
 *   of that scope: one that has sent no complete request yet (a slow-loris socket) or sits in
 *   keep-alive without ever having carried a valid token;
 * - a socket that carried a valid token is trusted and never evicted, and one busy with a request is
 *   never evicted either; so the share that is not idle-and-untrusted is kept for real orders;
 * - when nothing can be evicted, the new connection is closed (the Marketplace retries).
 * Memory: one small entry per open socket, at most `maxConnections`.
 * [I] Behind a reverse proxy every socket has the proxy's address: cap per client in the proxy.
 */
export class ConnectionGuard {
  private readonly sockets = new Map<Socket, Tracked>();
  private readonly perSource = new Map<string, number>();
  private sequence = 0;
  refused = 0;
  evicted = 0;

  constructor(private readonly limits: ConnectionLimits & SocketTimeouts) {}

  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.admit(socket));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const tracked = this.sockets.get(req.socket);
      if (!tracked) return;
      tracked.busy = true;
      this.deadline(req.socket, tracked, this.limits.requestTimeoutMs);
      res.once('close', () => {
        tracked.busy = false;
        this.deadline(req.socket, tracked, this.limits.idleTimeoutMs);
      });
    });
  }

  /** The socket's request carried a valid token. */
  trust(socket: Socket): void {
    const tracked = this.sockets.get(socket);
    if (tracked) tracked.trusted = true;
  }

  get open(): number {
    return this.sockets.size;
  }

  private admit(socket: Socket): void {
    const source = socket.remoteAddress ?? 'unknown';
    const fromSource = this.perSource.get(source) ?? 0;
    const ok =
      (fromSource < this.limits.maxConnectionsPerSource || this.evictOldest((t) => t.source === source)) &&
      (this.sockets.size < this.limits.maxConnections || this.evictOldest(() => true));
    if (!ok) {
      this.refused++;
      socket.destroy();
      return;
    }
    const tracked: Tracked = { source, openedAt: this.sequence++, busy: false, trusted: false };
    this.sockets.set(socket, tracked);
    this.perSource.set(source, (this.perSource.get(source) ?? 0) + 1);
    this.deadline(socket, tracked, this.limits.headersTimeoutMs);
    socket.once('close', () => this.forget(socket));
  }

  private deadline(socket: Socket, tracked: Tracked, ms: number): void {
    if (tracked.timer) clearTimeout(tracked.timer);
    tracked.timer = setTimeout(() => socket.destroy(), ms);
    tracked.timer.unref();
  }

  private evictOldest(inScope: (t: Tracked) => boolean): boolean {
    let oldest: [Socket, Tracked] | undefined;
    for (const entry of this.sockets) {
      const t = entry[1];
      if (t.busy || t.trusted || !inScope(t)) continue;
      if (!oldest || t.openedAt < oldest[1].openedAt) oldest = entry;
    }
    if (!oldest) return false;
    this.forget(oldest[0]);
    oldest[0].destroy();
    this.evicted++;
    return true;
  }

  private forget(socket: Socket): void {
    const tracked = this.sockets.get(socket);
    if (!tracked) return;
    if (tracked.timer) clearTimeout(tracked.timer);
    this.sockets.delete(socket);
    const left = (this.perSource.get(tracked.source) ?? 1) - 1;
    if (left > 0) this.perSource.set(tracked.source, left);
    else this.perSource.delete(tracked.source);
  }
}

/** `wanted`, or half the soft descriptor limit when that is lower (Linux; elsewhere `wanted`). */
export function connectionsBelowDescriptorLimit(wanted: number, limitsFile = '/proc/self/limits'): number {
  try {
    const line = readFileSync(limitsFile, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isFinite(soft) && soft > 0 ? Math.max(8, Math.min(wanted, Math.floor(soft / 2))) : wanted;
  } catch {
    return wanted;
  }
}
