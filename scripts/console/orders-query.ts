import { STATES, type State } from '../hook/machine';
import type { RecordQuery } from '../hook/store/store';

export const PAGE_SIZE = 50;
/** Deeper pages are refused rather than scanned: search or filter instead. */
export const MAX_PAGE = 2000;

/** The orders list's filters as the form shows them (every field a string, empty when unset). */
export interface OrderFilters {
  q: string;
  state: State | '';
  sku: string;
  dead: '' | 'yes' | 'no';
  /** Created within the last N days. */
  days: string;
  page: number;
}

/** The form's fields from the query string; unknown or malformed values fall back to "any". */
export function parseOrderFilters(params: URLSearchParams): OrderFilters {
  const state = params.get('state') ?? '';
  const dead = params.get('dead') ?? '';
  const days = params.get('days') ?? '';
  const page = Number(params.get('page') ?? '1');
  return {
    q: (params.get('q') ?? '').trim().slice(0, 200),
    state: (STATES as readonly string[]).includes(state) ? (state as State) : '',
    sku: (params.get('sku') ?? '').trim().slice(0, 100),
    dead: dead === 'yes' || dead === 'no' ? dead : '',
    days: /^\d{1,5}$/.test(days) && Number(days) > 0 ? days : '',
    page: Number.isInteger(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1,
  };
}

/** The store query of a page of these filters. */
export function recordQueryOf(filters: OrderFilters, now: Date): RecordQuery {
  return {
    ...(filters.state ? { states: [filters.state] } : {}),
    ...(filters.sku ? { skuId: filters.sku } : {}),
    ...(filters.q ? { text: filters.q } : {}),
    ...(filters.dead ? { hasDeadLetter: filters.dead === 'yes' } : {}),
    ...(filters.days
      ? { createdAfter: new Date(now.getTime() - Number(filters.days) * 86_400_000).toISOString() }
      : {}),
    limit: PAGE_SIZE,
    offset: (filters.page - 1) * PAGE_SIZE,
  };
}

/** The list's URL with these filters and another page (empty fields left out). */
export function ordersHref(filters: OrderFilters, page: number): string {
  const params = new URLSearchParams();
  if (filters.q) params.set('q', filters.q);
  if (filters.state) params.set('state', filters.state);
  if (filters.sku) params.set('sku', filters.sku);
  if (filters.dead) params.set('dead', filters.dead);
  if (filters.days) params.set('days', filters.days);
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `/console/orders?${text}` : '/console/orders';
}
