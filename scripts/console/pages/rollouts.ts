import { html, type Html } from '../html';
import { emptyRow, stateBadge, when } from './format';
import { layout } from './layout';

/** A fleet upgrade as the store records it (issue 18); the console only reads it. */
export interface RolloutSummary {
  id: string;
  state: string;
  targetVersion: string;
  startedAt: string;
  done: number;
  failed: number;
  total: number;
}

export function rolloutsPage(rollouts: RolloutSummary[], csrf: string): Html {
  return layout({
    title: 'Rollouts',
    section: 'rollouts',
    csrf,
    body: html`<h1>Rollouts</h1>
      ${rollouts.length === 0 ? html`<p class="notice" role="status">No rollout: this store records none. <code>nestkit rollout</code> upgrades the fleet in waves; its progress shows here.</p>` : ''}
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Rollout</th>
              <th scope="col">State</th>
              <th scope="col">Target version</th>
              <th scope="col">Started</th>
              <th scope="col" class="num">Upgraded</th>
              <th scope="col" class="num">Failed</th>
              <th scope="col" class="num">Instances</th>
            </tr>
          </thead>
          <tbody>
            ${
              rollouts.length
                ? rollouts.map(
                    (r) =>
                      html`<tr>
                        <td class="mono">${r.id}</td>
                        <td>${stateBadge(r.state)}</td>
                        <td>${r.targetVersion}</td>
                        <td>${when(r.startedAt)}</td>
                        <td class="num">${r.done}</td>
                        <td class="num">${r.failed}</td>
                        <td class="num">${r.total}</td>
                      </tr>`,
                  )
                : emptyRow(7, 'No rollout.')
            }
          </tbody>
        </table>
      </div>`,
  });
}
