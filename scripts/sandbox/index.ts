import type { AddressInfo } from 'node:net';
import { VirtualClock, type ClockMode } from './clock';
import { DEFAULT_TIMINGS, SandboxCore, type Timings } from './core';
import { registerInstanceTimers } from './deploy/engine';
import { registerUpgradeTimers } from './deploy/upgrade';
import { approveOnTimer } from './api/services';
import { registerNotifierTimers } from './marketplace/notifier';
import { registerOrderTimers } from './marketplace/orders';
import { createServer } from './server';
import type { AccessKey } from './signature/authenticate';
import { ReplayGuard } from './signature/replay';
import { StateStore } from './store';

export const DEFAULT_ACCESS_KEY: AccessKey = {
  accessKeyId: 'sandbox',
  accessKeySecret: 'sandbox-secret',
  accountId: '1000000000000001',
};

export interface SandboxOptions {
  /** 0 picks a free port. Default 8900. */
  port?: number;
  /** Default 127.0.0.1: the sandbox is for loopback. */
  host?: string;
  /** Keep state in this JSON file across restarts. */
  statePath?: string;
  /** Accepted AccessKey pairs; default the documented `sandbox` / `sandbox-secret`. */
  accessKeys?: AccessKey[];
  /** manual (default): time moves only when advanced; real: wall clock plus advances. */
  clock?: ClockMode;
  /** Virtual start time (manual clock), ms or ISO; default now. */
  startTime?: number | string;
  timings?: Partial<Timings>;
  /** Reject reused nonces and stale timestamps. Default true. */
  replayProtection?: boolean;
  /** Timeout of one SPI notification, wall clock. Default 5000. */
  spiTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

export interface Sandbox {
  url: string;
  port: number;
  core: SandboxCore;
  clock: VirtualClock;
  /** Advances the virtual clock and runs what fell due. */
  advance(seconds: number): number;
  /** Waits for in-flight background work (SPI deliveries). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const start = typeof options.startTime === 'string' ? Date.parse(options.startTime) : options.startTime;
  const clock = new VirtualClock(options.clock ?? 'manual', start ?? Date.now());
  const core = new SandboxCore(clock, new StateStore(options.statePath), {
    ...DEFAULT_TIMINGS,
    ...options.timings,
  });
  registerInstanceTimers(core);
  registerUpgradeTimers(core);
  registerOrderTimers(core);
  registerNotifierTimers(core, options.spiTimeoutMs);
  core.onTimer('service.approve', (timer) => approveOnTimer(core, timer.ref));
  const keys = new Map((options.accessKeys ?? [DEFAULT_ACCESS_KEY]).map((k) => [k.accessKeyId, k]));
  const server = createServer({
    core,
    keys,
    replay: options.replayProtection === false ? undefined : new ReplayGuard(),
    onError: options.onError,
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8900, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const ticker = clock.mode === 'real' ? setInterval(() => core.runDue(), 1000) : undefined;
  ticker?.unref();
  core.runDue();
  return {
    url: `http://${host}:${port}`,
    port,
    core,
    clock,
    advance: (seconds) => core.advance(seconds),
    settle: () => core.settle(),
    async close() {
      if (ticker) clearInterval(ticker);
      await core.settle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export { spiToken, spiTokenValid, spiTokenBase, spiTime } from '../marketplace/spi-token';
export { acs3CanonicalRequest, acs3Signature } from './signature/acs3';
export { rpcSignature, rpcStringToSign } from './signature/rpc-v1';
export type { AccessKey } from './signature/authenticate';
