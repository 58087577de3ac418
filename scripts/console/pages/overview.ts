import type { InstanceRecord } from '../../hook/machine';
import type { Job, JobState } from '../../hook/store/store';
import { html, type Html } from '../html';
import { maskText } from '../mask';
import type { PassEntry } from '../pass-log';
import { emptyRow, orderLink, stateBadge, when } from './format';
import { layout } from './layout';
import { rolloutLine } from './rollouts';
import type { RolloutView } from '../rollout-view';

export interface OverviewData {
  byState: Record<string, number>;
  /** Per SKU code: the edition it sells (when service.yaml names it) and the number of orders. */
  bySku: { sku: string; edition?: string; count: number }[];
  failed: { records: InstanceRecord[]; total: number };
  deadJobs: Job[];
  deadByKind: Partial<Record<Job['kind'], number>>;
  jobs: Record<JobState, number>;
  /** Released orders past their teardown time: waiting for the next pass, or held by the guard. */
  held: { count: number; records: InstanceRecord[]; reason?: string; since?: string; replica?: string };
  /** The newest fleet upgrade, if the store records one. */
  rollout?: RolloutView;
  /** The fleet's last passes (every replica's, from the store), newest first. */
  passes: PassEntry[];
}

export function overviewPage(data: OverviewData, csrf: string): Html {
  const total = Object.values(data.byState).reduce((a, b) => a + b, 0);
  const deadTotal = Object.values(data.deadByKind).reduce((a, b) => a + (b ?? 0), 0);
  return layout({
    title: 'Overview',
    section: 'overview',
    csrf,
    body: html`<h1>Overview</h1>
      <div class="cards">
        <section class="card" aria-labelledby="c-orders">
          <h2 id="c-orders">Orders</h2>
          <p class="figure">${total}</p>
        </section>
        <section class="card" aria-labelledby="c-failed">
          <h2 id="c-failed">Failed deployments</h2>
          <p class="figure">${data.failed.total}</p>
          <a href="/console/orders?state=failed">See the failed orders</a>
        </section>
        <section class="card" aria-labelledby="c-dead">
          <h2 id="c-dead">Dead letters</h2>
          <p class="figure">${deadTotal}</p>
          <a href="/console/orders?dead=yes">See their orders</a>
        </section>
        <section class="card" aria-labelledby="c-held">
          <h2 id="c-held">Teardowns due</h2>
          <p class="figure">${data.held.count}</p>
          ${guardNote(data.held)}
        </section>
      </div>
      ${countsTables(data, total)}
      <h2 id="failed">Failed deployments</h2>
      ${failedTable(data.failed.records)}
      <h2 id="dead">Dead letters</h2>
      ${deadTable(data.deadJobs)}
      <h2 id="held">Teardowns due</h2>
      ${heldTable(data.held)}
      <h2 id="rollouts">Rollouts</h2>
      <p>${rolloutLine(data.rollout)}</p>
      <h2 id="passes">Last passes</h2>
      ${passesTable(data.passes)}`,
  });
}

function guardNote(held: OverviewData['held']): Html {
  if (held.reason)
    return html`<p class="error">
      Held by the teardown
      guard${held.since ? html` since ${held.since}` : ''}${held.replica ? html` (pass on ${held.replica})` : ''}:
      ${held.reason}
    </p>`;
  return held.count
    ? html`<p class="muted">Waiting for the next teardown pass.</p>`
    : html`<p class="muted">Nothing held.</p>`;
}

function countsTables(data: OverviewData, total: number): Html {
  const states = Object.entries(data.byState).sort(([a], [b]) => a.localeCompare(b));
  return html`<div class="cards">
    <section aria-labelledby="by-state">
      <h2 id="by-state">By state</h2>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col" class="num">Orders</th>
            </tr>
          </thead>
          <tbody>
            ${
              states.length
                ? states.map(
                    ([state, n]) =>
                      html`<tr>
                        <td><a href="/console/orders?state=${state}">${stateBadge(state)}</a></td>
                        <td class="num">${n}</td>
                      </tr>`,
                  )
                : emptyRow(2, 'No orders yet.')
            }
          </tbody>
        </table>
      </div>
    </section>
    <section aria-labelledby="by-edition">
      <h2 id="by-edition">By edition</h2>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Edition</th>
              <th scope="col">SKU</th>
              <th scope="col" class="num">Orders</th>
            </tr>
          </thead>
          <tbody>
            ${
              data.bySku.length
                ? data.bySku.map(
                    (s) =>
                      html`<tr>
                        <td>${s.edition ?? html`<span class="muted">unknown</span>`}</td>
                        <td class="mono">${s.sku || '–'}</td>
                        <td class="num">${s.count}</td>
                      </tr>`,
                  )
                : emptyRow(3, 'No orders yet.')
            }
          </tbody>
        </table>
      </div>
    </section>
    <section aria-labelledby="jobs">
      <h2 id="jobs">Jobs</h2>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col" class="num">Jobs</th>
            </tr>
          </thead>
          <tbody>
            ${(Object.entries(data.jobs) as [string, number][]).map(
              ([state, n]) =>
                html`<tr>
                  <td>${stateBadge(state)}</td>
                  <td class="num">${n}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <p class="muted">${total} orders in all.</p>
    </section>
  </div>`;
}

function failedTable(records: InstanceRecord[]): Html {
  return html`<div class="scroll">
    <table>
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">SKU</th>
          <th scope="col">Failed at</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        ${
          records.length
            ? records.map(
                (r) =>
                  html`<tr>
                    <td>${orderLink(r.id)}</td>
                    <td class="mono">${r.skuId ?? '–'}</td>
                    <td>${when(r.updatedAt)}</td>
                    <td class="error">${maskText(r.failure ?? '')}</td>
                  </tr>`,
              )
            : emptyRow(4, 'No failed deployments.')
        }
      </tbody>
    </table>
  </div>`;
}

function heldTable(held: OverviewData['held']): Html {
  const more = held.count - held.records.length;
  return html`<div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Service instance</th>
            <th scope="col">Teardown was due</th>
            <th scope="col">Released by an operator</th>
          </tr>
        </thead>
        <tbody>
          ${
            held.records.length
              ? held.records.map(
                  (r) =>
                    html`<tr>
                      <td>${orderLink(r.id)}</td>
                      <td class="mono">${r.serviceInstanceId ?? '–'}</td>
                      <td>${when(r.teardownAt)}</td>
                      <td>${r.operatorReleaseReason ?? ''}</td>
                    </tr>`,
                )
              : emptyRow(4, 'No teardown is due.')
          }
        </tbody>
      </table>
    </div>
    ${more > 0 ? html`<p class="muted">and ${more} more.</p>` : ''}`;
}

function deadTable(jobs: Job[]): Html {
  return html`<div class="scroll">
    <table>
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Effect</th>
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
                    <td>${orderLink(j.instanceId)}</td>
                    <td class="mono">${j.kind}</td>
                    <td class="num">${j.attempts}</td>
                    <td class="error">${maskText(j.lastError ?? '')}</td>
                  </tr>`,
              )
            : emptyRow(4, 'No dead letters.')
        }
      </tbody>
    </table>
  </div>`;
}

function passesTable(passes: PassEntry[]): Html {
  return html`<div class="scroll">
    <table>
      <thead>
        <tr>
          <th scope="col">Pass</th>
          <th scope="col">Ended</th>
          <th scope="col">Replica</th>
          <th scope="col">Result</th>
        </tr>
      </thead>
      <tbody>
        ${
          passes.length
            ? passes.map(
                (p) =>
                  html`<tr>
                    <td>${p.name}</td>
                    <td>${when(p.at)}</td>
                    <td class="mono">${p.replica}</td>
                    <td>
                      ${p.summary}${p.problem ? html` <span class="error">${maskText(p.problem)}</span>` : ''}
                    </td>
                  </tr>`,
              )
            : emptyRow(4, 'No pass recorded yet.')
        }
      </tbody>
    </table>
  </div>`;
}
