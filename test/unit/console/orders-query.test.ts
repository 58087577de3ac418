import {
  MAX_PAGE,
  ordersHref,
  PAGE_SIZE,
  parseOrderFilters,
  recordQueryOf,
} from '../../../scripts/console/orders-query';

const parse = (query: string) => parseOrderFilters(new URLSearchParams(query));

describe('the orders list query', () => {
  it('reads the filters into a store query of one page', () => {
    const filters = parse('q=%20order-1%20&state=failed&sku=yuncode1&dead=yes&days=7&page=3');
    expect(filters).toEqual({
      q: 'order-1',
      state: 'failed',
      sku: 'yuncode1',
      dead: 'yes',
      days: '7',
      page: 3,
    });
    expect(recordQueryOf(filters, new Date('2026-01-08T00:00:00Z'))).toEqual({
      states: ['failed'],
      skuId: 'yuncode1',
      text: 'order-1',
      hasDeadLetter: true,
      createdAfter: '2026-01-01T00:00:00.000Z',
      limit: PAGE_SIZE,
      offset: 2 * PAGE_SIZE,
    });
  });

  it('treats unknown or malformed values as "any" and caps the page', () => {
    expect(parse('state=nope&dead=maybe&days=-1&page=abc')).toEqual({
      q: '',
      state: '',
      sku: '',
      dead: '',
      days: '',
      page: 1,
    });
    expect(parse(`page=${MAX_PAGE + 5}`).page).toBe(MAX_PAGE);
    expect(recordQueryOf(parse(''), new Date())).toEqual({ limit: PAGE_SIZE, offset: 0 });
  });

  it('links to another page with the same filters', () => {
    const filters = parse('state=active&q=a b');
    expect(ordersHref(filters, 2)).toBe('/console/orders?q=a+b&state=active&page=2');
    expect(ordersHref(parse(''), 1)).toBe('/console/orders');
  });
});
