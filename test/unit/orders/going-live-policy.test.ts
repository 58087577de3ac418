import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KIT_ACTIONS } from '../../../scripts/api-models/kit-actions';
import { REPO_ROOT } from '../../support/model';

/** Every .ts file under a folder. */
function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The API action each method of a client class calls, following calls to its own methods
 * (`listAllServices` pages through `listServices`, which calls `ListServices`).
 */
function actionsOfMethods(file: string): Map<string, Set<string>> {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  const bodies = new Map<string, string>();
  const header = /^ {2}(?:async )?(\w+)\(/gm;
  const starts = [...text.matchAll(header)];
  starts.forEach((match, i) =>
    bodies.set(match[1], text.slice(match.index, starts[i + 1]?.index ?? text.length)),
  );
  const resolve = (method: string, seen = new Set<string>()): Set<string> => {
    const body = bodies.get(method) ?? '';
    const found = new Set([...body.matchAll(/\.call\('(\w+)'/g)].map((m) => m[1]));
    for (const [, other] of body.matchAll(/this\.(\w+)\(/g))
      if (bodies.has(other) && !seen.has(other))
        for (const a of resolve(other, seen.add(other))) found.add(a);
    return found;
  };
  return new Map([...bodies.keys()].map((m) => [m, resolve(m)]));
}

/** What the hook's code calls: `supplier.x(`, `market.x(`, and `supplier.client.call('X'`. */
function hookCalls(): { supplier: Set<string>; market: Set<string> } {
  const methods = {
    supplier: actionsOfMethods('scripts/cloud/supplier.ts'),
    market: actionsOfMethods('scripts/cloud/market.ts'),
  };
  const calls = { supplier: new Set<string>(), market: new Set<string>() };
  for (const file of sources(join(REPO_ROOT, 'scripts', 'hook'))) {
    const text = readFileSync(file, 'utf8');
    for (const api of ['supplier', 'market'] as const) {
      for (const [, action] of text.matchAll(new RegExp(`${api}\\.client\\.call\\(\\s*'(\\w+)'`, 'g')))
        calls[api].add(action);
      for (const [, method] of text.matchAll(new RegExp(`\\b${api}\\.(\\w+)\\(`, 'g'))) {
        const actions = methods[api].get(method);
        if (!actions) throw new Error(`${file}: ${api}.${method}() is no method of the ${api} client`);
        for (const action of actions) calls[api].add(action);
      }
    }
  }
  return calls;
}

function documentedPolicy(): string[] {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'going-live.md'), 'utf8');
  const block = /<!-- hook-ram-policy:start -->\n```json\n([\s\S]*?)```\n<!-- hook-ram-policy:end -->/.exec(
    doc,
  )?.[1];
  if (!block) throw new Error('docs/going-live.md has no hook-ram-policy block');
  const policy = JSON.parse(block) as { Statement: { Action: string[] }[] };
  return policy.Statement.flatMap((s) => s.Action).sort();
}

describe('the RAM policy in docs/going-live.md', () => {
  const calls = hookCalls();

  it('finds the calls the hook is known to make (the scan itself works)', () => {
    for (const action of [
      'CreateServiceInstance',
      'DeleteServiceInstances',
      'ListServiceInstances',
      'ListServices',
    ])
      expect(calls.supplier.has(action)).toBe(true);
    expect(calls.market.has('DescribeFailedNotifications')).toBe(true);
  });

  it('is exactly the actions the hook calls, supplier and Market', () => {
    const derived = [
      ...[...calls.supplier].map((a) => `computenestsupplier:${a}`),
      ...[...calls.market].map((a) => `market:${a}`),
    ].sort();
    expect(documentedPolicy()).toEqual(derived);
  });

  it('names only actions of the official models the kit uses', () => {
    for (const action of calls.supplier) expect(KIT_ACTIONS.supplier).toContain(action);
    for (const action of calls.market) expect(KIT_ACTIONS.market).toContain(action);
  });
});
