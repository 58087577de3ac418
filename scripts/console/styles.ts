import { createHash } from 'node:crypto';
import { Html } from './html';

/**
 * The console's one stylesheet, inlined in every page and allowed by its hash in the CSP (no static
 * route to serve before sign-in, no inline style attributes anywhere). Sized for a laptop: a readable
 * column up to 80rem, tables that scroll sideways rather than squeeze, and a focus ring on everything
 * that takes focus.
 */
export const CONSOLE_CSS = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6474; --line: #d5dae2; --bg: #f6f7f9;
  --accent: #0b57d0; --bad: #b3261e; --ok: #1e7d32; --warn: #8a5a00; --focus: #ffbf47; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; box-shadow: 0 0 0 5px var(--ink); }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; top: .5rem; }
header.top { display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.5rem; background: var(--ink); color: #fff; }
header.top a { color: #fff; text-decoration: none; padding: .25rem .4rem; border-radius: 3px; }
header.top a[aria-current="page"] { background: rgba(255,255,255,.18); }
header.top .brand { font-weight: 700; margin-right: 1rem; }
header.top nav ul { display: flex; gap: .5rem; list-style: none; margin: 0; padding: 0; }
header.top form { margin-left: auto; }
main { max-width: 80rem; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .6rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 1rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; }
.card h2 { margin-top: 0; font-size: 1rem; }
.figure { font-size: 1.6rem; font-weight: 700; }
.scroll { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .7rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef1f5; font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
.state { display: inline-block; padding: 0 .45rem; border-radius: 3px; background: #e8ebf0; font-weight: 600; }
.state-failed, .state-dead { background: #fbe9e7; color: var(--bad); }
.state-active, .state-done { background: #e6f4ea; color: var(--ok); }
.state-released, .state-deleting, .state-expired { background: #fff4e0; color: var(--warn); }
.error { color: var(--bad); }
.notice { background: #fff; border-left: 4px solid var(--accent); padding: .6rem 1rem; margin: 1rem 0; }
.notice.bad { border-color: var(--bad); }
form.filters { display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: end; margin-bottom: 1rem; }
label { display: block; font-weight: 600; font-size: .9rem; margin-bottom: .2rem; }
input, select, button, textarea { font: inherit; }
input[type="search"], input[type="password"], input[type="text"], select { padding: .35rem .5rem; border: 1px solid #8a93a3; border-radius: 4px; background: #fff; min-width: 12rem; }
button { padding: .4rem .9rem; border: 1px solid var(--accent); border-radius: 4px; background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
.actions { display: flex; flex-wrap: wrap; gap: 1rem; align-items: stretch; }
.actions form { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .7rem 1rem; }
.actions p { margin: 0 0 .5rem; color: var(--muted); max-width: 22rem; }
.pager { display: flex; gap: 1rem; align-items: center; margin: .75rem 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.25rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
.muted { color: var(--muted); }
.signin { max-width: 26rem; margin: 4rem auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 1.5rem; }
.signin input { width: 100%; margin-bottom: 1rem; }
`;

export const CONSOLE_CSS_HASH = `sha256-${createHash('sha256').update(CONSOLE_CSS).digest('base64')}`;

/** Built outside the html templates, whose formatting would change the hashed text. */
export const STYLE_ELEMENT = new Html(`<style>${CONSOLE_CSS}</style>`);
