import { request, Agent } from 'node:http';
import { spiToken } from '../../../scripts/marketplace/spi-token';
import { createParams, hookWorld, SPI_KEY, type HookWorld } from './support';

/** A small seeded generator, so a failing case can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACTIONS = [
  'createInstance',
  'renewInstance',
  'upgradeInstance',
  'expiredInstance',
  'releaseInstance',
  'verify',
  'bindDomain',
  '',
];

/** One malformed request: a query string (and sometimes a method or body) that must change nothing. */
function malformed(random: () => number, i: number): { method: string; path: string; body?: string } {
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const base = createParams(`fz${i}`, { action: pick(ACTIONS) });
  const signed = (p: Record<string, string>) =>
    `${new URLSearchParams({ ...p, token: spiToken(p, SPI_KEY) })}`;
  const kind = Math.floor(random() * 11);
  switch (kind) {
    case 0: // garbled percent-encoding
      return {
        method: 'GET',
        path: `/spi?action=createInstance&orderBizId=%E0%A4%A&token=${'%'.repeat(1 + (i % 3))}zz`,
      };
    case 1: // a huge value
      return { method: 'GET', path: `/spi?${signed({ ...base, skuId: 'x'.repeat(3000 + (i % 5000)) })}` };
    case 2: // a repeated key: the first value counts, and it is not the one that was signed
      return { method: 'GET', path: `/spi?action=releaseInstance&${signed(base)}` };
    case 3: {
      // correctly signed but missing a required parameter
      const rest: Record<string, string> = { ...base, action: 'createInstance' };
      delete rest.orderId;
      delete rest.skuId;
      return { method: 'GET', path: `/spi?${signed(rest)}` };
    }
    case 4: // a valid request under a wrong key
      return {
        method: 'GET',
        path: `/spi?${new URLSearchParams({ ...base, action: 'createInstance', token: spiToken(base, 'wrong') })}`,
      };
    case 5: // random bytes
      return {
        method: 'GET',
        path: `/spi?${Array.from({ length: 1 + Math.floor(random() * 40) }, () =>
          String.fromCharCode(33 + Math.floor(random() * 90)),
        )
          .join('')
          .replace(/#/g, '%23')}`,
      };
    case 6: // signed, but an unknown action or a bad time
      return {
        method: 'GET',
        path: `/spi?${signed({ action: pick(['bindDomain', 'renewInstance']), instanceId: `fz${i}`, orderId: 'o', expiredOn: '2026-13-45 99:99:99' })}`,
      };
    case 7: // an oversized POST body
      return { method: 'POST', path: '/spi', body: `action=createInstance&x=${'y'.repeat(20000)}` };
    case 8: // too many parameters
      return { method: 'GET', path: `/spi?${Array.from({ length: 80 }, (_, k) => `p${k}=${k}`).join('&')}` };
    case 9: {
      // a POST whose query and body give one name different values (each half signed on its own)
      const body = signed(base);
      return { method: 'POST', path: `/spi?action=${base.action}&orderBizId=other${i}`, body };
    }
    default: // a wrong method or path
      return { method: pick(['PUT', 'DELETE']), path: pick(['/spi', '/nope', '/spi/../metrics']) };
  }
}

function send(
  agent: Agent,
  base: URL,
  r: { method: string; path: string; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: base.hostname, port: base.port, method: r.method, path: r.path },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

describe('hook: fuzzing the SPI endpoint', () => {
  let w: HookWorld;
  beforeAll(async () => {
    w = await hookWorld();
  });
  afterAll(() => w.close());

  it('answers 10,000 random and malformed requests with a clear error each, changing nothing', async () => {
    const random = prng(20261127);
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const base = new URL(w.hook.url);
    const requests = Array.from({ length: 10_000 }, (_, i) => malformed(random, i));
    let next = 0;
    const answers: { status: number; body: string }[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < requests.length) answers.push(await send(agent, base, requests[next++]));
      }),
    );
    agent.destroy();
    expect(answers).toHaveLength(10_000);
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      const body = JSON.parse(answer.body) as { success: boolean; code: string; message: string };
      expect(body).toMatchObject({ success: false, code: expect.any(String), message: expect.any(String) });
    }
    expect(await w.hook.store.list()).toEqual([]);
    expect(await w.hook.store.jobCounts()).toEqual({ pending: 0, leased: 0, done: 0, dead: 0 });
    expect((await fetch(`${w.hook.url}/healthz`)).status).toBe(200);
    expect((await w.spi(createParams('after-fuzz'))).body).toEqual({ instanceId: '0' });
  });

  it('accepts a signed request however its parameters are split between a POST query and body', async () => {
    const random = prng(20261202);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const base = new URL(w.hook.url);
    for (let i = 0; i < 200; i++) {
      const params = createParams(`split${i}`, { package_version: 'yuncode5012300001', Count: String(i) });
      const all = Object.entries({ ...params, token: spiToken(params, SPI_KEY) });
      // Every name goes to the query, the body, or (with the same value) both.
      const where = all.map(() => Math.floor(random() * 3));
      const query = new URLSearchParams(all.filter((_, k) => where[k] !== 1));
      const body = new URLSearchParams(all.filter((_, k) => where[k] !== 0));
      const answer = await send(agent, base, { method: 'POST', path: `/spi?${query}`, body: `${body}` });
      expect({ i, status: answer.status, body: JSON.parse(answer.body) }).toEqual({
        i,
        status: 200,
        body: { instanceId: '0' },
      });
    }
    agent.destroy();
    expect((await w.hook.store.get('split199'))?.billingItems).toEqual({ Count: '199' });
  });
});
