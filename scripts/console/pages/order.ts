import type { InstanceRecord, LifecycleEvent } from '../../hook/machine';
import type { Job, StoredEvent } from '../../hook/store/store';
import { consolePath, html, type Html } from '../html';
import { maskOutputs, maskText } from '../mask';
import { emptyRow, stateBadge, when } from './format';
import { layout } from './layout';

/** An operator action offered on an order's page, when the order's state allows it. */
export interface OfferedAction {
  name: string;
  label: string;
  /** What it will do, in one sentence, shown beside the button. */
  explain: string;
  /** Asks for a reason (kept with the order). */
  reason?: boolean;
  danger?: boolean;
}

export interface OrderData {
  record: InstanceRecord;
  edition?: string;
  events: StoredEvent[];
  /** Show the events that changed nothing too (duplicates, late events); else they are counted. */
  allEvents: boolean;
  jobs: Job[];
  actions: OfferedAction[];
  /** The outcome of the action just taken (shown once). */
  notice?: { ok: boolean; message: string };
}

export function orderPage(data: OrderData, csrf: string): Html {
  const r = data.record;
  return layout({
    title: `Order ${r.id}`,
    section: 'orders',
    csrf,
    body: html`<p><a href="/console/orders">← Orders</a></p>
      <h1>Order <span class="mono">${r.id}</span> ${stateBadge(r.state)}</h1>
      ${data.notice ? html`<p class="notice${data.notice.ok ? '' : ' bad'}" role="status">${data.notice.message}</p>` : ''}
      ${facts(data)}
      <h2 id="actions">Actions</h2>
      ${actions(r.id, data.actions, csrf)}
      <h2 id="jobs">Jobs</h2>
      ${jobsTable(data.jobs)}
      <h2 id="outputs">Outputs</h2>
      ${outputsTable(r)}
      <h2 id="timeline">Timeline</h2>
      ${timeline(data.record.id, data.events, data.jobs, data.allEvents)}`,
  });
}

function facts(data: OrderData): Html {
  const r = data.record;
  const fact = (label: string, value: Html | string | undefined) =>
    html`<dt>${label}</dt>
      <dd>${value === undefined || value === '' ? html`<span class="muted">–</span>` : value}</dd>`;
  return html`<dl class="facts">
    ${fact('State', html`${stateBadge(r.state)}${r.stopped ? ' (stopped)' : ''}`)}
    ${fact('Edition', data.edition ? `${data.edition} (${r.skuId})` : r.skuId)} ${fact('Source', r.source)}
    ${fact('Customer (aliUid)', r.aliUid)} ${fact('Marketplace orders', r.orderIds.join(', '))}
    ${fact('Service instance', r.serviceInstanceId)} ${fact('Paid until', when(r.expiresAt))}
    ${fact('Teardown at', r.teardownAt ? when(r.teardownAt) : undefined)}
    ${fact('Failure', r.failure ? html`<span class="error">${maskText(r.failure)}</span>` : undefined)}
    ${fact('Released by an operator', r.operatorReleaseReason)} ${fact('Created', when(r.createdAt))}
    ${fact('Updated', when(r.updatedAt))} ${fact('Revision', String(r.revision))}
  </dl>`;
}

function actions(id: string, offered: OfferedAction[], csrf: string): Html {
  if (offered.length === 0) return html`<p class="muted">No action applies to an order in this state.</p>`;
  return html`<div class="actions">
    ${offered.map(
      (a) =>
        html`<form
          method="post"
          action="${consolePath('orders', id, a.name)}"
          aria-labelledby="act-${a.name}"
        >
          <input type="hidden" name="csrf" value="${csrf}" />
          <p>${a.explain}</p>
          ${a.reason ? html`<label for="reason-${a.name}">Reason</label><input id="reason-${a.name}" name="reason" type="text" required maxlength="500" />` : ''}
          <button type="submit" id="act-${a.name}" ${a.danger ? html` class="danger"` : ''}>
            ${a.label}
          </button>
        </form>`,
    )}
  </div>`;
}

function jobsTable(jobs: Job[]): Html {
  return html`<div class="scroll">
    <table>
      <thead>
        <tr>
          <th scope="col">Effect</th>
          <th scope="col">State</th>
          <th scope="col" class="num">Revision</th>
          <th scope="col" class="num">Attempts</th>
          <th scope="col">Last error</th>
        </tr>
      </thead>
      <tbody>
        ${
          jobs.length
            ? jobs.map(
                (j) =>
                  html`<tr>
                    <td class="mono">${j.kind}</td>
                    <td>${stateBadge(j.state)}</td>
                    <td class="num">${j.revision}</td>
                    <td class="num">${j.attempts}</td>
                    <td class="error">${maskText(j.lastError ?? '')}</td>
                  </tr>`,
              )
            : emptyRow(5, 'No jobs.')
        }
      </tbody>
    </table>
  </div>`;
}

function outputsTable(r: InstanceRecord): Html {
  const rows = maskOutputs(r.outputs);
  return html`<div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Output</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          ${
            rows.length
              ? rows.map(
                  ([name, value]) =>
                    html`<tr>
                      <td class="mono">${name}</td>
                      <td class="mono">${value}</td>
                    </tr>`,
                )
              : emptyRow(2, 'No outputs (not deployed).')
          }
        </tbody>
      </table>
    </div>
    <p class="muted">Passwords, keys and tokens are never shown.</p>`;
}

function timeline(id: string, all: StoredEvent[], jobs: Job[], showAll: boolean): Html {
  const events = showAll ? all : all.filter((e) => e.changed);
  const hidden = all.length - events.length;
  const toggle = showAll
    ? html`<p><a href="${consolePath('orders', id)}#timeline">Hide the events that changed nothing</a></p>`
    : hidden
      ? html`<p>
          <a href="${consolePath('orders', id)}?events=all#timeline"
            >Show ${hidden} more events that changed nothing</a
          >
          (duplicates and late notifications)
        </p>`
      : '';
  return html`${toggle}${timelineTable(events, effectsByEvent(all, jobs))}`;
}

function timelineTable(events: StoredEvent[], effects: Map<number, Job[]>): Html {
  return html`<div class="scroll">
    <table>
      <thead>
        <tr>
          <th scope="col" class="num">#</th>
          <th scope="col">At</th>
          <th scope="col">Event</th>
          <th scope="col">Details</th>
          <th scope="col">State after</th>
          <th scope="col">Effects started</th>
        </tr>
      </thead>
      <tbody>
        ${
          events.length
            ? events.map(
                (e) =>
                  html`<tr>
                    <td class="num">${e.seq}</td>
                    <td>${when(e.at)}</td>
                    <td class="mono">${e.type}</td>
                    <td>
                      ${maskText(eventDetails(e.event))}${e.changed ? '' : html` <span class="muted">(no change)</span>`}
                    </td>
                    <td>${stateBadge(e.stateAfter)}</td>
                    <td>
                      ${(effects.get(e.seq) ?? []).map(
                        (j) => html`<span class="mono">${j.kind}</span> ${stateBadge(j.state)} `,
                      )}
                    </td>
                  </tr>`,
              )
            : emptyRow(6, 'No events recorded.')
        }
      </tbody>
    </table>
  </div>`;
}

/**
 * Which jobs each event started, by the event's `seq`. Every event that changes a record raises its
 * revision by one (the machine's `next`), and the jobs it asks for carry the new revision; so the n-th
 * changing event started the jobs of revision n. A job re-driven later keeps its revision and shows
 * under the event that first asked for it.
 */
export function effectsByEvent(events: StoredEvent[], jobs: Job[]): Map<number, Job[]> {
  const byRevision = new Map<number, Job[]>();
  for (const job of jobs) byRevision.set(job.revision, [...(byRevision.get(job.revision) ?? []), job]);
  const bySeq = new Map<number, Job[]>();
  let revision = 0;
  for (const event of events) {
    if (!event.changed) continue;
    revision += 1;
    const started = byRevision.get(revision);
    if (started) bySeq.set(event.seq, started);
  }
  return bySeq;
}

/** The fields of an event worth reading, by name; never its billing items' raw values or a licence code. */
export function eventDetails(event: LifecycleEvent): string {
  const shown: string[] = [];
  const e = event as Record<string, unknown>;
  for (const field of [
    'skuId',
    'orderId',
    'expiresAt',
    'serviceInstanceId',
    'reason',
    'refund',
    'deployed',
    'outside',
  ]) {
    const value = e[field];
    if (value !== undefined && value !== '') shown.push(`${field}: ${String(value)}`);
  }
  if (e.source) shown.push(`source: ${String(e.source)}`);
  return shown.join(', ');
}
