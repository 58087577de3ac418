import { html, Html } from '../html';
import { STYLE_ELEMENT } from '../styles';

export type Section = 'overview' | 'orders' | 'rollouts';

const NAV: { section: Section; href: string; label: string }[] = [
  { section: 'overview', href: '/console', label: 'Overview' },
  { section: 'orders', href: '/console/orders', label: 'Orders' },
  { section: 'rollouts', href: '/console/rollouts', label: 'Rollouts' },
];

function document(title: string, body: Html): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>${title} · nestkit console</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        ${body}
      </body>
    </html> `;
}

/** A page of the signed-in console: skip link, navigation, sign-out (a POST with the session's token). */
export function layout(options: { title: string; section?: Section; csrf: string; body: Html }): Html {
  const links = NAV.map(
    (n) =>
      html`<li>
        <a href="${n.href}" ${n.section === options.section ? html` aria-current="page"` : ''}>${n.label}</a>
      </li>`,
  );
  return document(
    options.title,
    html`<a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <span class="brand">nestkit console</span>
        <nav aria-label="Console">
          <ul>
            ${links}
          </ul>
        </nav>
        <form method="post" action="/console/sign-out">
          <input type="hidden" name="csrf" value="${options.csrf}" />
          <button type="submit" class="secondary">Sign out</button>
        </form>
      </header>
      <main id="main" tabindex="-1">${options.body}</main>`,
  );
}

/** The only page the console shows without a session. */
export function signInPage(options: { next: string; failed: boolean }): Html {
  return document(
    'Sign in',
    html`<main id="main" class="signin">
      <h1>nestkit console</h1>
      ${options.failed ? html`<p class="notice bad" role="alert">That is not the console token.</p>` : ''}
      <form method="post" action="/console/sign-in">
        <input type="hidden" name="next" value="${options.next}" />
        <label for="token">Console token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
        <button type="submit">Sign in</button>
      </form>
      <p class="muted">The token is the hook's <code>NESTKIT_CONSOLE_TOKEN</code>.</p>
    </main>`,
  );
}

/** A short page for a refused or missing thing, inside the layout when signed in. */
export function messagePage(title: string, message: string, csrf: string): Html {
  return layout({
    title,
    csrf,
    body: html`<h1>${title}</h1>
      <p>${message}</p>`,
  });
}
