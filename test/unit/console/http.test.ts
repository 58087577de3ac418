import { decodeSegment, safeNext } from '../../../scripts/console/http';

describe('console request helpers', () => {
  it('lets only a console path follow a sign-in', () => {
    expect(safeNext('/console/orders?state=failed')).toBe('/console/orders?state=failed');
    expect(safeNext('/console')).toBe('/console');
    for (const hostile of [
      '//evil.example',
      'https://evil.example/console',
      '/console\\evil',
      '/consolex',
      '/spi',
      '',
      null,
      undefined,
    ])
      expect(safeNext(hostile)).toBe('/console');
  });

  it('decodes a path segment, or says it cannot', () => {
    expect(decodeSegment('a%2Fb')).toBe('a/b');
    expect(decodeSegment('%E0%A4%A')).toBeUndefined();
  });
});
