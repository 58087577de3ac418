import { STEP_STATES } from '../../rollout/model';
import { html, type Html } from '../html';
import { maskText } from '../mask';
import type { RolloutView } from '../rollout-view';
import { emptyRow, stateBadge, when } from './format';
import { layout } from './layout';

export function rolloutsPage(view: RolloutView | undefined, csrf: string): Html {
  return layout({
    title: 'Rollouts',
    section: 'rollouts',
    csrf,
    body: view
      ? rolloutBody(view)
      : html`<h1>Rollouts</h1>
          <p class="notice" role="status">
            No rollout: this store records none. <code>nestkit rollout</code> upgrades the fleet in waves; its
            progress shows here.
          </p>`,
  });
}

/** One line for the overview: the newest rollout, or that there is none. */
export function rolloutLine(view: RolloutView | undefined): Html {
  if (!view) return html`No rollout.`;
  const r = view.rollout;
  return html`<a href="/console/rollouts">Rollout <span class="mono">${r.id}</span></a> to version
    ${r.targetVersion}: ${stateBadge(r.state)}, wave ${r.currentWave + 1} of ${r.waveSizes.length},
    ${view.done} of ${view.total}
    upgraded${view.failed ? html`, <span class="error">${view.failed} failed</span>` : ''}.`;
}

function rolloutBody(view: RolloutView): Html {
  const r = view.rollout;
  return html`<h1>Rollout <span class="mono">${r.id}</span> ${stateBadge(r.state)}</h1>
    <dl class="facts">
      <dt>Target version</dt>
      <dd>${r.targetVersion}</dd>
      <dt>Progress</dt>
      <dd>
        ${view.done} of ${view.total} upgraded, ${view.failed} failed; wave ${r.currentWave + 1} of
        ${r.waveSizes.length}
      </dd>
      <dt>Started</dt>
      <dd>${when(r.createdAt)}</dd>
      <dt>Updated</dt>
      <dd>${when(r.updatedAt)}</dd>
      ${
        r.reason
          ? html`<dt>Why it stopped</dt>
              <dd class="error">${maskText(r.reason)}</dd>`
          : ''
      }
    </dl>
    <p class="muted">
      <code>nestkit rollout status</code>, <code>pause</code>, <code>resume</code> and <code>abort</code> act
      on it.
    </p>
    <h2 id="waves">Waves</h2>
    ${wavesTable(view)}
    <h2 id="steps">Instances being upgraded or failed</h2>
    ${stepsTable(view)}`;
}

function wavesTable(view: RolloutView): Html {
  const states = STEP_STATES.filter((s) => view.waves.some((w) => w.counts[s]));
  return html`<div class="scroll">
    <table>
      <thead>
        <tr>
          <th scope="col">Wave</th>
          <th scope="col" class="num">Instances</th>
          ${states.map((s) => html`<th scope="col" class="num">${s}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${view.waves.map(
          (w) =>
            html`<tr>
              <td>${w.wave === 0 ? 'canary' : `wave ${w.wave + 1}`}</td>
              <td class="num">${w.size}</td>
              ${states.map((s) => html`<td class="num">${w.counts[s] ?? 0}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function stepsTable(view: RolloutView): Html {
  return html`<div class="scroll">
    <table>
      <thead>
        <tr>
          <th scope="col">Service instance</th>
          <th scope="col">Wave</th>
          <th scope="col">Step</th>
          <th scope="col">From version</th>
          <th scope="col" class="num">Attempts</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        ${
          view.notable.length
            ? view.notable.map(
                (s) =>
                  html`<tr>
                    <td class="mono">${s.instanceId}</td>
                    <td>${s.wave === 0 ? 'canary' : `wave ${s.wave + 1}`}</td>
                    <td>${stateBadge(s.state)}</td>
                    <td>${s.fromVersion}</td>
                    <td class="num">${s.attempts}</td>
                    <td>${maskText(s.detail ?? '')}</td>
                  </tr>`,
              )
            : emptyRow(6, 'None now.')
        }
      </tbody>
    </table>
  </div>`;
}
