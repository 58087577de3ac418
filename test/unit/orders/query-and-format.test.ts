import { toCloudError } from '../../../scripts/cloud/errors';
import { newRecord, type InstanceRecord } from '../../../scripts/hook/machine';
import type { Job, StoredEvent } from '../../../scripts/hook/store/store';
import {
  age,
  formatList,
  formatShow,
  listView,
  MASK,
  orderRow,
  showView,
} from '../../../scripts/orders/format';
import { listQuery, parseAge, parseStates } from '../../../scripts/orders/query';

const NOW = new Date('2026-03-01T00:00:00.000Z');

function record(id: string, patch: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    ...newRecord(id, 'spi', '2026-02-20T00:00:00.000Z'),
    state: 'active',
    skuId: 'yuncode1',
    ...patch,
  };
}
function job(id: number, patch: Partial<Job>): Job {
  return {
    id,
    instanceId: '1',
    kind: 'createInstance',
    revision: 1,
    attempts: 0,
    runAt: 0,
    state: 'done',
    ...patch,
  };
}

describe('orders list options as a store query', () => {
  it('turns ages into creation bounds on the given clock', () => {
    expect(listQuery({ olderThan: '7d', newerThan: '30d' }, NOW)).toMatchObject({
      createdBefore: '2026-02-22T00:00:00.000Z',
      createdAfter: '2026-01-30T00:00:00.000Z',
      limit: 50,
      offset: 0,
    });
    expect(parseAge('90s', '--x')).toBe(90_000);
    expect(parseAge('1.5h', '--x')).toBe(5_400_000);
    expect(parseAge('2w', '--x')).toBe(14 * 86_400_000);
  });

  it('passes states, SKU, search text and the dead-letter filter', () => {
    expect(
      listQuery({ state: 'failed, provisioning', sku: 'yuncode2', search: '400', dead: true }, NOW),
    ).toMatchObject({
      states: ['failed', 'provisioning'],
      skuId: 'yuncode2',
      text: '400',
      hasDeadLetter: true,
    });
  });

  it.each([
    [{ state: 'running' }, '--state'],
    [{ olderThan: '7 days' }, '--older-than'],
    [{ newerThan: '-1d' }, '--newer-than'],
    [{ limit: '0' }, '--limit'],
    [{ limit: '1001' }, '--limit'],
    [{ offset: '1.5' }, '--offset'],
  ])('refuses %j as a usage error naming %s', (options, flag) => {
    expect(() => listQuery(options, NOW)).toThrow(expect.objectContaining({ exitCode: 2, location: flag }));
  });

  it('names the known states when one is unknown', () => {
    expect(() => parseStates('activ')).toThrow(/unknown state "activ"; states: announced, provisioning/);
  });
});

describe('orders shown to an operator', () => {
  it('marks the effects whose last job is dead and finds the last error', () => {
    const jobs = [
      job(1, { state: 'dead', lastError: 'old' }),
      job(2, { state: 'done' }), // a later create that succeeded: no longer dead
      job(3, { kind: 'watchDeployment', state: 'dead', lastError: 'permanent: Forbidden (RequestId R1)' }),
    ];
    const row = orderRow(record('40017'), jobs);
    expect(row.deadLetters).toEqual(['watchDeployment']);
    expect(row.lastError).toBe('permanent: Forbidden (RequestId R1)');
    expect(orderRow(record('1', { state: 'failed', failure: 'stack failed' }), []).lastError).toBe(
      'stack failed',
    );
  });

  it('lists orders as a table with counts, dead letters and the next page', () => {
    const records = [record('40017', { state: 'failed', failure: 'x'.repeat(200) }), record('40018')];
    const view = listView(
      { records, total: 5 },
      new Map([['40017', [job(1, { state: 'dead', lastError: 'boom' })]]]),
      { limit: 2, offset: 0 },
      { active: 4, failed: 1 },
      { createInstance: 1 },
    );
    const text = formatList(view, NOW);
    expect(text).toContain('orders: active 4, failed 1');
    expect(text).toContain('dead letters: createInstance 1');
    expect(text).toMatch(/^40017 +failed +yuncode1 +9d +- +createInstance +boom$/m);
    expect(text).toMatch(/^40018 +active +yuncode1 +9d +- +-$/m);
    expect(text).toContain('1-2 of 5; --offset 2 for more');
    expect(formatList({ ...view, orders: [], total: 0 }, NOW)).toContain('no order matches');
  });

  it('masks secret outputs and shows the history, jobs and last error', () => {
    const r = record('40017', {
      outputs: {
        FrontendUrl: 'http://x',
        AdminPassword: 'hunter2',
        ApiKey: 'k',
        Token: 't',
        Monkey: 'banana',
      },
    });
    const events: StoredEvent[] = [
      {
        seq: 1,
        type: 'create',
        at: '2026-02-20T00:00:00.000Z',
        event: { type: 'create', at: '', skuId: 'y', billingItems: {} },
        changed: true,
        stateAfter: 'provisioning',
      },
      {
        seq: 2,
        type: 'create',
        at: '2026-02-20T00:01:00.000Z',
        event: { type: 'create', at: '', skuId: 'y', billingItems: {} },
        changed: false,
        stateAfter: 'provisioning',
      },
    ];
    const view = showView(r, events, [job(1, { state: 'dead', attempts: 7, lastError: 'permanent: nope' })]);
    expect(view.record.outputs).toEqual({
      FrontendUrl: 'http://x',
      AdminPassword: MASK,
      ApiKey: MASK,
      Token: MASK,
      Monkey: 'banana',
    });
    const text = formatShow(view);
    expect(text).not.toContain('hunter2');
    expect(text).toMatch(/create +-> provisioning/);
    expect(text).toMatch(/create +\(no change\)/);
    expect(text).toMatch(/#1 createInstance +dead +7 attempts +permanent: nope/);
    expect(text).toContain('last error: permanent: nope');
  });

  it('says ages in the largest unit that fits', () => {
    expect(age('2026-02-28T23:59:30.000Z', NOW)).toBe('30s');
    expect(age('2026-02-28T23:00:00.000Z', NOW)).toBe('1h');
    expect(age('2026-02-27T00:00:00.000Z', NOW)).toBe('2d');
  });
});

describe('an endpoint that does not answer JSON', () => {
  it('is named as such, not as a SyntaxError', () => {
    const error = toCloudError(
      new SyntaxError('Unexpected token \'<\', "<!DOCTYPE "... is not valid JSON'),
      'ListServices',
    );
    expect(error.code).toBe('NotJsonAnswer');
    expect(error.message).toMatch(/not JSON: is --endpoint/);
  });
});
