import { consolePath, html, Html } from '../../../scripts/console/html';

describe('console html templates', () => {
  it('escapes every interpolated string, in content and in attributes', () => {
    const hostile = `"><script>alert('x')</script>&`;
    const out = html`<a title="${hostile}">${hostile}</a>`.text;
    expect(out).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</a>',
    );
    expect(out).not.toContain('<script>');
  });

  it('keeps nested templates and arrays of them, and renders nothing for absent values', () => {
    const items = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    // prettier-ignore
    const out = html`<ul>${items}</ul>${undefined}${null}${false}`.text;
    expect(out).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
    expect(html`${new Html('<b>kept</b>')}`.text).toBe('<b>kept</b>');
  });

  it('encodes each path segment of a console link', () => {
    expect(consolePath('orders', 'a/b?c#d')).toBe('/console/orders/a%2Fb%3Fc%23d');
  });
});
