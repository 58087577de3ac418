import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createConsole } from '../../scripts/console/handler';
import { createLogger } from '../../scripts/hook/logger';
import { transition, type LifecycleEvent } from '../../scripts/hook/machine';
import { SqliteStore } from '../../scripts/hook/store/sqlite-store';
import { loadServiceConfig } from '../../service-config/load';
import { median, REPO_ROOT, round, type Figure } from './measure';

const TOKEN = 'console-bench-token-0123456789';
const SKUS = ['yuncode5012300001', 'yuncode5012300002', 'yuncode5012300003'];
const START = Date.parse('2026-01-01T00:00:00Z');
const TARGET_MS = 200;

/**
 * The console's orders list at 100,000 orders in SQLite: the time of one page over HTTP (query, count,
 * rendering), unfiltered, filtered by state, searched by prefix, and the deepest page it serves.
 */
export async function benchConsole(options: { orders?: number; runs?: number } = {}): Promise<Figure[]> {
  const orders = options.orders ?? 100_000;
  const runs = options.runs ?? 15;
  const dir = mkdtempSync(join(tmpdir(), 'nestkit-console-bench-'));
  const store = new SqliteStore(join(dir, 'nestkit.db'));
  const model = loadServiceConfig(join(REPO_ROOT, 'service-config', 'service.yaml'));
  let server: Server | undefined;
  try {
    const seedSeconds = await seed(store, model.lifecycle, orders);
    const handler = createConsole({
      token: TOKEN,
      store,
      model,
      now: () => new Date(START + 400 * 86_400_000),
      log: createLogger({ level: 'silent' }),
      actions: { offered: () => [], run: async () => ({ ok: false, message: 'bench' }) },
    });
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cookie = await signIn(base);
    const lastPage = Math.min(2000, Math.ceil(orders / 50));
    const pages: [string, string][] = [
      ['orders page 1, no filter', '/console/orders'],
      ['orders page 1, state=failed', '/console/orders?state=failed'],
      ['orders page 1, edition + state', `/console/orders?state=active&sku=${SKUS[1]}`],
      ['orders search by prefix', '/console/orders?q=order-0004'],
      [`orders page ${lastPage} (deepest)`, `/console/orders?page=${lastPage}`],
      ['overview', '/console'],
    ];
    const figures: Figure[] = [{ name: `seed ${orders} orders`, value: round(seedSeconds, 1), unit: 's' }];
    for (const [name, path] of pages) {
      const ms = await timeGet(`${base}${path}`, cookie, runs);
      figures.push({
        name: `${name} at ${orders}`,
        value: round(ms, 1),
        unit: 'ms',
        target: `< ${TARGET_MS}`,
        ok: ms < TARGET_MS,
      });
    }
    return figures;
  } finally {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Orders adopted from Compute Nest in one transaction per batch: states spread as a live fleet's. */
async function seed(
  store: SqliteStore,
  policy: Parameters<typeof transition>[2],
  orders: number,
): Promise<number> {
  const started = performance.now();
  const batch = 5000;
  for (let from = 0; from < orders; from += batch) {
    const entries = [];
    for (let i = from; i < Math.min(orders, from + batch); i++) {
      const at = new Date(START + i * 60_000).toISOString();
      const event: LifecycleEvent = {
        type: 'adopt',
        at,
        serviceInstanceId: `si-bench-${i}`,
        deployed: i % 50 !== 0,
        skuId: SKUS[i % SKUS.length],
        outputs: { Endpoint: `https://app-${i}.example.test` },
      };
      entries.push({ id: `order-${String(i).padStart(6, '0')}`, source: 'computenest' as const, event });
    }
    await store.applyEvents(entries, (r, e) => transition(r, e, policy));
  }
  // A share of failed deployments, as the filter finds them.
  const failedAt = new Date(START + orders * 60_000).toISOString();
  const failures = Array.from({ length: Math.floor(orders / 50) }, (_, k) => ({
    id: `order-${String(k * 50).padStart(6, '0')}`,
    source: 'computenest' as const,
    event: { type: 'deployFailed', at: failedAt, reason: 'bench' } as LifecycleEvent,
  }));
  await store.applyEvents(failures, (r, e) => transition(r, e, policy));
  return (performance.now() - started) / 1000;
}

async function signIn(base: string): Promise<string> {
  const answer = await fetch(`${base}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: TOKEN }).toString(),
  });
  const cookie = answer.headers.get('set-cookie')?.split(';')[0];
  if (answer.status !== 303 || !cookie) throw new Error(`console bench: sign-in answered ${answer.status}`);
  return cookie;
}

/** Median milliseconds of a signed-in GET (after one warm-up), refusing anything but a 200 page. */
async function timeGet(url: string, cookie: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    const answer = await fetch(url, { headers: { cookie }, redirect: 'manual' });
    const body = await answer.text();
    if (answer.status !== 200)
      throw new Error(`console bench: ${url} answered ${answer.status}: ${body.slice(0, 200)}`);
    if (i > 0) times.push(performance.now() - started);
  }
  return median(times);
}
