/**
 * Styles of the printable plan. The print rules matter most: a row never splits
 * across pages, table headers repeat on each page, a heading stays with what
 * follows it, and short tables (severities, values) are kept whole.
 */
export const PLAN_PAGE_CSS = `
:root { color-scheme: light dark; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  max-width: 64rem; margin: 2rem auto; padding: 0 1rem; color: #111; background: #fff; }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
h1 .org { display: block; font-size: 1.2rem; font-weight: 600; color: #333; }
h2 { font-size: 1.15rem; letter-spacing: .04em; border-bottom: 2px solid currentColor; padding-bottom: .2rem; margin: 2rem 0 .75rem; }
h3 { font-size: 1rem; margin: 1rem 0 .35rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.25rem; }
th, td { border: 1px solid #555; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td ul { margin: 0; padding-left: 1.1rem; }
.template { white-space: pre-wrap; margin: .25rem 0 1rem; padding: .4rem .75rem; border-left: 4px solid #888; background: #f6f6f6; }
.groups { display: flex; flex-wrap: wrap; gap: 0 2.5rem; }
.muted, .rule { color: #555; font-size: .9em; }
a { color: inherit; }
@media screen and (prefers-color-scheme: dark) {
  body { color: #eee; background: #141414; }
  h1 .org { color: #ccc; }
  th { background: #262626; }
  th, td { border-color: #777; }
  .template { background: #1f1f1f; }
  .muted, .rule { color: #aaa; }
}
@media print {
  @page { margin: 14mm 12mm; }
  body { font-size: 10pt; max-width: none; margin: 0; padding: 0; color: #000; background: #fff; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr, li, .phase, .group { break-inside: avoid; page-break-inside: avoid; }
  table.keep { break-inside: avoid; page-break-inside: avoid; }
  th { background: #e6e6e6; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  th, td { border-color: #000; }
  .template { background: none; }
  a[href]::after { content: " (" attr(href) ")"; font-size: .85em; }
}
`;
