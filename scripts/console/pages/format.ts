import { html, consolePath, type Html } from '../html';

/** A state (of a record or a job) as a badge whose colour follows it. */
export function stateBadge(state: string): Html {
  return html`<span class="state state-${state}">${state}</span>`;
}

export function orderLink(id: string): Html {
  return html`<a class="mono" href="${consolePath('orders', id)}">${id}</a>`;
}

/** An ISO time shortened for a table (`2026-01-02 03:04 UTC`); the full value in its title. */
export function when(iso: string | undefined): Html {
  if (!iso) return html`<span class="muted">–</span>`;
  const short = iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  return html`<time datetime="${iso}" title="${iso}">${short}</time>`;
}

export function emptyRow(columns: number, text: string): Html {
  return html`<tr>
    <td colspan="${columns}" class="muted">${text}</td>
  </tr>`;
}
