import { STATES, type InstanceRecord } from '../../hook/machine';
import { html, type Html } from '../html';
import { ordersHref, PAGE_SIZE, type OrderFilters } from '../orders-query';
import { emptyRow, orderLink, stateBadge, when } from './format';
import { layout } from './layout';

export interface OrdersData {
  filters: OrderFilters;
  records: InstanceRecord[];
  total: number;
  /** SKU codes to offer in the filter, with the edition each sells. */
  skus: { sku: string; edition?: string }[];
  editionOf: (skuId: string | undefined) => string | undefined;
}

export function ordersPage(data: OrdersData, csrf: string): Html {
  const { filters, total } = data;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = total === 0 ? 0 : (filters.page - 1) * PAGE_SIZE + 1;
  const last = Math.min(total, filters.page * PAGE_SIZE);
  return layout({
    title: 'Orders',
    section: 'orders',
    csrf,
    body: html`<h1>Orders</h1>
      ${filterForm(data)}
      <p id="result-count" role="status">
        ${total === 0 ? 'No order matches.' : `Orders ${first}–${last} of ${total}`}
      </p>
      <div class="scroll">
        <table aria-describedby="result-count">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">State</th>
              <th scope="col">Edition</th>
              <th scope="col">Customer</th>
              <th scope="col">Service instance</th>
              <th scope="col">Created</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            ${data.records.length ? data.records.map((r) => row(r, data.editionOf)) : emptyRow(7, 'No order matches these filters.')}
          </tbody>
        </table>
      </div>
      ${pager(filters, pages)}`,
  });
}

function row(r: InstanceRecord, editionOf: OrdersData['editionOf']): Html {
  return html`<tr>
    <td>${orderLink(r.id)}</td>
    <td>${stateBadge(r.state)}${r.stopped ? ' (stopped)' : ''}</td>
    <td>${editionOf(r.skuId) ?? r.skuId ?? '–'}</td>
    <td class="mono">${r.aliUid ?? '–'}</td>
    <td class="mono">${r.serviceInstanceId ?? '–'}</td>
    <td>${when(r.createdAt)}</td>
    <td>${when(r.updatedAt)}</td>
  </tr>`;
}

function filterForm(data: OrdersData): Html {
  const f = data.filters;
  const option = (value: string, label: string, selected: boolean) =>
    html`<option value="${value}" ${selected ? html` selected` : ''}>${label}</option>`;
  return html`<form
    class="filters"
    method="get"
    action="/console/orders"
    role="search"
    aria-label="Filter orders"
  >
    <div>
      <label for="f-q">Search</label
      ><input
        id="f-q"
        name="q"
        type="search"
        value="${f.q}"
        placeholder="order, instance, customer or order id"
        aria-describedby="f-q-hint"
      />
      <div id="f-q-hint" class="muted">Exact or prefix.</div>
    </div>
    <div>
      <label for="f-state">State</label
      ><select id="f-state" name="state">
        ${option('', 'any', f.state === '')}${STATES.map((s) => option(s, s, f.state === s))}
      </select>
    </div>
    <div>
      <label for="f-sku">Edition</label
      ><select id="f-sku" name="sku">
        ${option('', 'any', f.sku === '')}${data.skus.map((s) => option(s.sku, s.edition ? `${s.edition} (${s.sku})` : s.sku, f.sku === s.sku))}
      </select>
    </div>
    <div>
      <label for="f-dead">Dead letter</label
      ><select id="f-dead" name="dead">
        ${option('', 'any', f.dead === '')}${option('yes', 'with a dead letter', f.dead === 'yes')}${option('no', 'without', f.dead === 'no')}
      </select>
    </div>
    <div>
      <label for="f-days">Created in the last</label
      ><select id="f-days" name="days">
        ${option('', 'any time', f.days === '')}${['1', '7', '30', '90'].map((d) => option(d, `${d} day${d === '1' ? '' : 's'}`, f.days === d))}
      </select>
    </div>
    <div><button type="submit">Filter</button> <a href="/console/orders">Clear</a></div>
  </form>`;
}

function pager(filters: OrderFilters, pages: number): Html {
  if (pages <= 1) return html``;
  const page = filters.page;
  return html`<nav class="pager" aria-label="Pages">
    ${page > 1 ? html`<a href="${ordersHref(filters, page - 1)}" rel="prev">Previous page</a>` : ''}
    <span>Page ${page} of ${pages}</span>
    ${page < pages ? html`<a href="${ordersHref(filters, page + 1)}" rel="next">Next page</a>` : ''}
  </nav>`;
}
