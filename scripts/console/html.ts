/**
 * HTML built by a tagged template that escapes every interpolated value unless it is already `Html`.
 * Written here rather than taken from a template engine: the console needs only escaping and
 * composition, no package for it is installed, and one small escaper is easier to audit than a
 * framework's options (autoescape defaults, filters, raw blocks).
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text made safe for element content and for quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<p>${untrusted}</p>\``: strings, numbers and arrays of them are escaped; `Html` is kept. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new Html(out);
}

/** A console path with each dynamic segment URL-encoded, e.g. `consolePath('orders', id)`. */
export function consolePath(...segments: string[]): string {
  return ['/console', ...segments.map((s) => encodeURIComponent(s))].join('/');
}
