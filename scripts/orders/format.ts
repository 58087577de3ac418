/**
 * Pure: what `nestkit orders` shows, as JSON views and as text. No I/O, no clock (`now` is given),
 * colour through the `paint` given (none in JSON, none with NO_COLOR).
 */
import type { EffectKind, InstanceRecord } from '../hook/machine';
import type { OperatorActionResult } from '../hook/operator-actions';
import type { Job, RecordPage, RecordQuery, StoredEvent } from '../hook/store/store';
import type { Colour } from '../output';

export type Paint = (text: string, colour: Colour) => string;
export const plain: Paint = (text) => text;

/** Output names that carry a secret: shown masked, never in full (`ApiKey`, `api_key`, not `Monkey`). */
const isSecretName = (name: string) =>
  /password|passwd|secret|token|credential/i.test(name) ||
  /(^|[_-])key$/i.test(name) ||
  /[a-z0-9]Key$/.test(name);
export const MASK = '********';

/** One order in a list: what an operator scans for. */
export interface OrderRow {
  id: string;
  state: InstanceRecord['state'];
  skuId?: string;
  createdAt: string;
  updatedAt: string;
  serviceInstanceId?: string;
  expiresAt?: string;
  teardownAt?: string;
  /** Effects whose last job is dead-lettered. */
  deadLetters: EffectKind[];
  /** The newest error: a dead or failing job's, else the record's failure. */
  lastError?: string;
}

export function orderRow(record: InstanceRecord, jobs: Job[]): OrderRow {
  return {
    id: record.id,
    state: record.state,
    ...(record.skuId ? { skuId: record.skuId } : {}),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    ...(record.serviceInstanceId ? { serviceInstanceId: record.serviceInstanceId } : {}),
    ...(record.expiresAt ? { expiresAt: record.expiresAt } : {}),
    ...(record.teardownAt ? { teardownAt: record.teardownAt } : {}),
    deadLetters: deadKinds(jobs),
    ...optional('lastError', lastError(record, jobs)),
  };
}

export interface ListView {
  total: number;
  offset: number;
  limit: number;
  /** Every order in the database by state, whatever the filters. */
  counts: Record<string, number>;
  /** Dead-lettered jobs in the database by effect. */
  deadLetters: Partial<Record<EffectKind, number>>;
  orders: OrderRow[];
}

export function listView(
  page: RecordPage,
  jobsOf: Map<string, Job[]>,
  query: RecordQuery,
  counts: Record<string, number>,
  deadLetters: Partial<Record<EffectKind, number>>,
): ListView {
  return {
    total: page.total,
    offset: query.offset,
    limit: query.limit,
    counts,
    deadLetters,
    orders: page.records.map((r) => orderRow(r, jobsOf.get(r.id) ?? [])),
  };
}

export function formatList(view: ListView, now: Date, paint: Paint = plain): string {
  const summary = Object.entries(view.counts)
    .map(([state, n]) => `${state} ${n}`)
    .join(', ');
  const dead = Object.entries(view.deadLetters)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  const head = [`orders: ${summary || 'none'}`, ...(dead ? [paint(`dead letters: ${dead}`, 'red')] : [])];
  if (view.orders.length === 0) return [...head, 'no order matches'].join('\n') + '\n';
  const rows = view.orders.map((o) => [
    o.id,
    o.state,
    o.skuId ?? '-',
    age(o.createdAt, now),
    o.serviceInstanceId ?? '-',
    o.deadLetters.join(',') || '-',
    truncate(o.lastError ?? '', 70),
  ]);
  const header = ['ORDER', 'STATE', 'SKU', 'AGE', 'INSTANCE', 'DEAD', 'LAST ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[], colourOf: (i: number) => Colour | undefined = () => undefined) =>
    cells
      .map((cell, i) => {
        const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i]);
        const colour = colourOf(i);
        return colour ? paint(padded, colour) : padded;
      })
      .join('  ')
      .trimEnd();
  const body = view.orders.map((o, n) =>
    line(rows[n], (i) =>
      i === 1 ? stateColour(o.state) : i === 5 && o.deadLetters.length ? 'red' : undefined,
    ),
  );
  const shown = `${view.offset + 1}-${view.offset + view.orders.length} of ${view.total}`;
  const more =
    view.offset + view.orders.length < view.total
      ? `; --offset ${view.offset + view.orders.length} for more`
      : '';
  return [...head, paint(line(header), 'bold'), ...body, `${shown}${more}`].join('\n') + '\n';
}

export interface ShowView {
  record: InstanceRecord;
  events: StoredEvent[];
  jobs: Job[];
  lastError?: string;
}

export function showView(record: InstanceRecord, events: StoredEvent[], jobs: Job[]): ShowView {
  return { record: masked(record), events, jobs, ...optional('lastError', lastError(record, jobs)) };
}

export function formatShow(view: ShowView, paint: Paint = plain): string {
  const r = view.record;
  const fields: [string, string | undefined][] = [
    ['state', paintState(r.state, paint)],
    ['source', r.source],
    ['sku', r.skuId],
    ['billing items', entries(r.billingItems)],
    ['buyer (aliUid)', r.aliUid],
    ['orders', r.orderIds.join(', ') || undefined],
    ['instance', r.serviceInstanceId],
    ['expires', r.expiresAt],
    ['teardown at', r.teardownAt],
    ['stopped', r.stopped ? 'yes' : undefined],
    ['released by an operator', r.operatorReleaseReason],
    ['failure', r.failure && paint(r.failure, 'red')],
    ['created', r.createdAt],
    ['updated', `${r.updatedAt} (revision ${r.revision})`],
    ['outputs', entries(r.outputs ?? {})],
  ];
  const width = Math.max(...fields.map(([k]) => k.length));
  const lines = [
    paint(`order ${r.id}`, 'bold'),
    ...fields.filter(([, v]) => v).map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    '',
    paint('events (oldest first)', 'bold'),
    ...view.events.map(
      (e) =>
        `  ${e.at}  ${e.type.padEnd(15)} ${e.changed ? `-> ${e.stateAfter}` : paint('(no change)', 'dim')}`,
    ),
    '',
    paint('jobs', 'bold'),
    ...(view.jobs.length === 0 ? ['  none'] : []),
    ...view.jobs.map((j) => {
      const state = j.state === 'dead' ? paint(j.state, 'red') : j.state;
      const error = j.lastError ? `  ${truncate(j.lastError, 100)}` : '';
      return `  #${j.id} ${j.kind.padEnd(16)} ${state.padEnd(7)} ${j.attempts} attempts${error}`;
    }),
  ];
  if (view.lastError) lines.push('', `${paint('last error', 'red')}: ${view.lastError}`);
  return lines.join('\n') + '\n';
}

export function formatAction(result: OperatorActionResult): string {
  return `${result.summary}\n`;
}

/** A record as an operator may see it: output values named like secrets masked. */
export function masked(record: InstanceRecord): InstanceRecord {
  if (!record.outputs) return record;
  const outputs = Object.fromEntries(
    Object.entries(record.outputs).map(([k, v]) => [k, isSecretName(k) ? MASK : v]),
  );
  return { ...record, outputs };
}

function deadKinds(jobs: Job[]): EffectKind[] {
  const last = new Map<EffectKind, Job>();
  for (const job of [...jobs].sort((a, b) => a.id - b.id)) last.set(job.kind, job);
  return [...last.values()].filter((j) => j.state === 'dead').map((j) => j.kind);
}

function lastError(record: InstanceRecord, jobs: Job[]): string | undefined {
  const withError = [...jobs].sort((a, b) => b.id - a.id).find((j) => j.lastError && j.state !== 'done');
  return withError?.lastError ?? record.failure;
}

/** `3d`, `5h`, `12m`, `40s`: how long ago, in the largest unit that fits. */
export function age(iso: string, now: Date): string {
  const s = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 1000));
  if (s >= 86_400) return `${Math.floor(s / 86_400)}d`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h`;
  if (s >= 60) return `${Math.floor(s / 60)}m`;
  return `${s}s`;
}

function stateColour(state: InstanceRecord['state']): Colour | undefined {
  if (state === 'failed') return 'red';
  if (state === 'active') return 'green';
  if (state === 'released' || state === 'deleting') return 'yellow';
  return state === 'deleted' ? 'dim' : undefined;
}

function paintState(state: InstanceRecord['state'], paint: Paint): string {
  const colour = stateColour(state);
  return colour ? paint(state, colour) : state;
}

function entries(map: Record<string, string>): string | undefined {
  const list = Object.entries(map);
  return list.length ? list.map(([k, v]) => `${k}=${v}`).join(', ') : undefined;
}

function truncate(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
