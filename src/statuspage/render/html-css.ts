import { createHash } from "node:crypto";
import type { PageInfo } from "../model.ts";

/**
 * The status page's one stylesheet. Pages carry it in a <style> element and the
 * Content-Security-Policy allows exactly that text by its hash, so no other
 * style (and no script at all) can run on the page. Only the brand colour
 * varies between pages; the link and button colours derived from it are
 * computed here, for the light and the dark theme, so that any brand colour
 * keeps text readable (WCAG AA, 4.5:1).
 */

export const DEFAULT_BRAND_COLOR = "#1f5fbf";

interface Sheet {
  css: string;
  hash: string;
}

const sheets = new Map<string, Sheet>();
/** Pages of one installation share a colour or two; the bound only guards against a misbehaving caller. */
const MAX_SHEETS = 32;

function sheetOf(page: PageInfo): Sheet {
  const brand = /^#[0-9a-f]{6}$/i.test(page.brandColor) ? page.brandColor.toLowerCase() : DEFAULT_BRAND_COLOR;
  let sheet = sheets.get(brand);
  if (sheet === undefined) {
    const css = buildCss(brand);
    sheet = { css, hash: createHash("sha256").update(css, "utf8").digest("base64") };
    if (sheets.size >= MAX_SHEETS) sheets.clear();
    sheets.set(brand, sheet);
  }
  return sheet;
}

/** The exact text of every page's <style> element. */
export function pageCss(page: PageInfo): string {
  return sheetOf(page).css;
}

/** The Content-Security-Policy header value for the status page's HTML. */
export function pageCsp(page: PageInfo): string {
  return cspOf(page, true);
}

/**
 * The same policy for a <meta http-equiv> element, which may not carry
 * frame-ancestors; it protects exported pages on hosts that send no header.
 */
export function metaCsp(page: PageInfo): string {
  return cspOf(page, false);
}

function cspOf(page: PageInfo, header: boolean): string {
  const origin = originOf(page.url);
  return [
    "default-src 'none'",
    `style-src 'sha256-${sheetOf(page).hash}'`,
    "img-src 'self' https: data:",
    `form-action 'self'${origin ? ` ${origin}` : ""}`,
    "base-uri 'none'",
    ...(header ? ["frame-ancestors 'none'"] : []),
  ].join("; ");
}

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.origin : null;
  } catch {
    return null;
  }
}

type Rgb = [number, number, number];

function rgbOf(hex: string): Rgb {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

function hexOf(rgb: Rgb): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
}

function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const la = luminance(rgbOf(a));
  const lb = luminance(rgbOf(b));
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The brand colour, mixed towards `towards` until it reads at 4.6:1 on every one of `backgrounds`. */
export function readableOn(brand: string, towards: string, backgrounds: readonly string[]): string {
  const from = rgbOf(brand);
  const to = rgbOf(towards);
  for (let step = 0; step <= 20; step++) {
    const t = step / 20;
    const mixed = hexOf([0, 1, 2].map((i) => from[i]! + (to[i]! - from[i]!) * t) as Rgb);
    if (backgrounds.every((bg) => contrast(mixed, bg) >= 4.6)) return mixed;
  }
  return towards;
}

// Surfaces text sits on, per theme: links and focus rings must read on all of them.
const LIGHT = { bg: "#f6f8fa", surface: "#ffffff", soft: "#eef1f4" };
const DARK = { bg: "#0d1117", surface: "#151b23", soft: "#212830" };

function buildCss(brand: string): string {
  const onBrand = contrast("#ffffff", brand) >= contrast("#000000", brand) ? "#ffffff" : "#000000";
  const lightLink = readableOn(brand, "#000000", Object.values(LIGHT));
  const darkLink = readableOn(brand, "#ffffff", Object.values(DARK));
  return `:root{--brand:${brand};--on-brand:${onBrand};--link:${lightLink};${BASE_CSS}
@media (prefers-color-scheme:dark){:root{--link:${darkLink};${DARK_CSS}}}
${LAYOUT_CSS}`;
}

// Colours: light theme first; -t variants are for text (4.5:1 on the page and on cards),
// the others fill bars and icons; banners use the same solid colours in both themes, under white text.
const BASE_CSS = `color-scheme:light dark;
--bg:${LIGHT.bg};--surface:${LIGHT.surface};--soft:${LIGHT.soft};--text:#1f2328;--muted:#59636e;--border:#d1d9e0;
--ok:#2da44e;--dg:#d4a72c;--po:#e16f24;--mo:#cf222e;--um:#218bff;--nd:#d0d7de;
--ok-t:#1a7f37;--dg-t:#8a5d00;--po-t:#a94500;--mo-t:#c21f2a;--um-t:#0860c7;--nd-t:#59636e;
--tip:#1f2328;--tip-text:#ffffff;--tip-line:#1f2328;--shadow:0 1px 3px rgba(31,35,40,.08),0 6px 16px rgba(31,35,40,.06)}`;

const DARK_CSS = `--bg:${DARK.bg};--surface:${DARK.surface};--soft:${DARK.soft};--text:#f0f6fc;--muted:#9198a1;--border:#3d444d;
--ok:#2ea043;--dg:#bb8009;--po:#db6d28;--mo:#da3633;--um:#1f6feb;--nd:#3d444d;
--ok-t:#3fb950;--dg-t:#d29922;--po-t:#f0883e;--mo-t:#ff7b72;--um-t:#58a6ff;--nd-t:#9198a1;
--tip:#2f3742;--tip-text:#f0f6fc;--tip-line:#59636e;--shadow:0 1px 3px rgba(0,0,0,.4)`;

const LAYOUT_CSS = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:anywhere}
a{color:var(--link);text-underline-offset:.15em}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:2px solid var(--link);outline-offset:2px;border-radius:2px}
h1,h2,h3,h4{line-height:1.25;margin:0}
h1{font-size:1.75rem}
h2{font-size:1.25rem;margin:2.5rem 0 1rem}
h3{font-size:1.05rem}
h4{font-size:1rem}
p{margin:0 0 .5rem}
ul,ol{margin:0;padding:0;list-style:none}
.wrap{max-width:54rem;margin:0 auto;padding:0 1rem}
.sr{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap;border:0}
.skip{position:absolute;left:1rem;top:-4rem;z-index:10;background:var(--surface);color:var(--link);padding:.5rem 1rem;border-radius:.5rem;box-shadow:var(--shadow)}
.skip:focus{top:1rem}
.jump{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.jump:focus{position:static;width:auto;height:auto;overflow:visible;clip-path:none;display:inline-block;margin:0 0 .75rem;font-weight:600}
.sprite{position:absolute;width:0;height:0;overflow:hidden}
.i{width:1.15em;height:1.15em;flex:none;vertical-align:-.2em;fill:var(--nd);stroke:#fff;stroke-width:2.2;stroke-linecap:round;stroke-linejoin:round}
.i.ok{fill:var(--ok)}.i.dg{fill:var(--dg)}.i.po{fill:var(--po)}.i.mo{fill:var(--mo)}.i.um{fill:var(--um)}
.top{background:var(--surface);border-bottom:1px solid var(--border)}
.top .wrap{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem 1.5rem;padding-top:1rem;padding-bottom:1rem}
.brand{margin-right:auto;color:var(--text);font-size:1.375rem;font-weight:700;text-decoration:none;letter-spacing:-.01em}
.brand img{display:block;max-height:2.5rem;max-width:14rem;width:auto;height:auto}
.top nav{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.25rem}
.top nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
.top nav a:not(.btn){color:var(--text);text-decoration:none;font-weight:500}
.top nav a:not(.btn):hover{text-decoration:underline}
.btn{display:inline-block;background:var(--brand);color:var(--on-brand);border:1px solid var(--border);border-radius:.5rem;padding:.5rem 1rem;font:inherit;font-weight:600;line-height:1.25;text-decoration:none;cursor:pointer}
.btn:hover{filter:brightness(1.1)}
main.wrap{display:block;padding-top:2rem;padding-bottom:3rem}
.intro{color:var(--muted);font-size:1.0625rem;margin:0 0 1.25rem}
.stale{display:flex;gap:.75rem;align-items:flex-start;background:var(--surface);border:1px solid var(--border);border-left:6px solid var(--dg);border-radius:.75rem;padding:.875rem 1rem;margin:0 0 1.5rem;font-weight:500}
.banner{--b:#1a7f37;display:flex;align-items:center;gap:.75rem;border-radius:.75rem;padding:1.125rem 1.25rem;margin:0 0 1rem;color:#fff;background:var(--b);font-size:1.25rem;font-weight:650;box-shadow:var(--shadow)}
.banner h2{margin:0;font-size:inherit;font-weight:inherit}
.banner .i{width:1.6em;height:1.6em;fill:#fff;stroke:var(--b)}
.banner.dg{--b:#9a6700}.banner.po{--b:#bc4c00}.banner.mo{--b:#cf222e}.banner.um{--b:#0969da}
.card{background:var(--surface);border:1px solid var(--border);border-radius:.75rem;padding:1rem 1.25rem;margin:0 0 1rem;box-shadow:var(--shadow)}
.notice{border-left:6px solid var(--nd)}
.notice.dg{border-left-color:var(--dg)}.notice.po{border-left-color:var(--po)}.notice.mo{border-left-color:var(--mo)}.notice.um{border-left-color:var(--um)}.notice.ok{border-left-color:var(--ok)}
.notice h3{font-size:1.125rem}
.card>h2:first-child{margin:0 0 .75rem}
.notice h3 a,.past h4 a,.month h3 a{color:var(--text)}
.tags{display:flex;flex-wrap:wrap;align-items:center;gap:.375rem .5rem;margin:.5rem 0 .75rem;font-size:.875rem}
.tag{display:inline-flex;align-items:center;gap:.35em;border:1px solid var(--border);border-radius:999px;padding:.1rem .6rem;font-weight:600;color:var(--text);background:var(--surface)}
.tag .i{width:1em;height:1em}
.ref{color:var(--muted);font-size:.875rem;font-weight:500}
.meta{color:var(--muted);font-size:.875rem}
.st{display:inline-flex;align-items:center;gap:.4em;font-weight:600;font-size:.9375rem;color:var(--nd-t);white-space:nowrap}
.st.ok{color:var(--ok-t)}.st.dg{color:var(--dg-t)}.st.po{color:var(--po-t)}.st.mo{color:var(--mo-t)}.st.um{color:var(--um-t)}
.affects{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0 0 .75rem}
.affects li{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.updates>li{display:grid;grid-template-columns:8.5rem 1fr;gap:.25rem 1rem;padding:.75rem 0;border-top:1px solid var(--border)}
.updates>li>*{grid-column:2}
.updates .phase{grid-column:1;grid-row:1/span 3;font-weight:700}
.updates p{margin:0 0 .35rem}
.updates .meta{margin:0}
.changes{font-size:.875rem;color:var(--muted)}
.group{padding:0;overflow:visible}
.group-head{display:flex;justify-content:space-between;align-items:center;gap:.5rem 1rem;flex-wrap:wrap;padding:.875rem 1.25rem;border-bottom:1px solid var(--border)}
.comps>li{padding:1rem 1.25rem;border-top:1px solid var(--border)}
.comps>li:first-child{border-top:0}
.row{display:flex;justify-content:space-between;align-items:baseline;gap:.25rem 1rem;flex-wrap:wrap}
.name{font-weight:600}
.desc{color:var(--muted);font-size:.875rem;margin:.125rem 0 0}
.bars{display:flex;gap:2px;height:2.125rem;margin:.75rem 0 .375rem}
.bars li{position:relative;flex:1 1 0;min-width:0;border-radius:2px;background:var(--ok)}
.bars .dg{background:var(--dg)}.bars .po{background:var(--po)}.bars .mo{background:var(--mo)}.bars .um{background:var(--um)}
.bars .nd{background:var(--nd)}
.bars .dg,.bars .po,.bars .mo,.bars .um{background-image:repeating-linear-gradient(180deg,transparent 0 3px,rgba(0,0,0,.22) 3px 4px)}
.bars li:hover{box-shadow:0 0 0 2px var(--text)}
.bars li:focus-visible{outline-offset:1px}
.bars li>span{position:absolute;z-index:5;top:100%;left:50%;transform:translateX(-50%);width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.bars li:nth-child(-n+30)>span{left:-2px;transform:none}
.bars li:nth-child(n+61)>span{left:auto;right:-2px;transform:none}
.bars li>span::before{content:"";position:absolute;left:0;right:0;bottom:100%;height:10px}
.bars li:is(:hover,:focus,:focus-within)>span{width:max-content;max-width:min(17rem,78vw);height:auto;margin-top:8px;overflow:visible;clip-path:none;white-space:normal;border:1px solid var(--tip-line);background:var(--tip);color:var(--tip-text);padding:.5rem .75rem;border-radius:.5rem;font-size:.8125rem;line-height:1.45;box-shadow:0 8px 24px rgba(0,0,0,.25)}
.bars b{display:block;margin-bottom:.125rem}
.bars i{display:block;font-style:normal}
.bars a{color:inherit;display:block;margin-top:.25rem}
.axis{display:flex;align-items:center;gap:.75rem;color:var(--muted);font-size:.8125rem;margin:0}
.axis .up{flex:1;display:flex;align-items:center;gap:.75rem;justify-content:center;white-space:nowrap}
.axis .up::before,.axis .up::after{content:"";flex:1;border-top:1px solid var(--border)}
.d30{display:none}
.past-days{display:grid;gap:1.5rem}
.day h3{padding-bottom:.5rem;border-bottom:1px solid var(--border);margin-bottom:.75rem}
.none{color:var(--muted)}
.past{margin:0 0 1rem}
.past p{margin:.25rem 0}
.more{margin:1.5rem 0 0;font-weight:600}
.month h2{margin-top:2rem}
.month .card{margin-bottom:.75rem}
.pages{display:flex;justify-content:space-between;gap:1rem;margin:2rem 0 0;font-weight:600}
.back{margin:0 0 1rem;font-weight:500}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.375rem 1.25rem;margin:1rem 0 0}
.facts dt{color:var(--muted)}
.facts dd{margin:0}
.prose{font-size:1rem}
.prose h1,.prose h2,.prose h3,.prose h4{font-size:1.0625rem;margin:1.25rem 0 .5rem}
.prose p,.prose ul,.prose ol{margin:0 0 .75rem}
.prose ul{list-style:disc;padding-left:1.5rem}
.prose ol{list-style:decimal;padding-left:1.5rem}
.prose blockquote{margin:0 0 .75rem;padding-left:1rem;border-left:3px solid var(--border);color:var(--muted)}
.prose img{max-width:100%;height:auto}
.prose pre{overflow-x:auto;background:var(--soft);padding:.75rem;border-radius:.5rem}
.prose table{border-collapse:collapse;display:block;overflow-x:auto}
.prose th,.prose td{border:1px solid var(--border);padding:.35rem .6rem;text-align:left}
form{display:grid;gap:1rem}
label{font-weight:600}
.field{display:grid;gap:.375rem}
.hint{color:var(--muted);font-size:.875rem;margin:0}
input[type=email],input[type=url]{width:100%;max-width:28rem;font:inherit;color:var(--text);background:var(--bg);border:1px solid var(--muted);border-radius:.5rem;padding:.55rem .75rem}
fieldset{border:1px solid var(--border);border-radius:.5rem;margin:0;padding:.75rem 1rem 1rem;min-width:0}
legend{font-weight:600;padding:0 .375rem}
fieldset fieldset{margin-top:.75rem}
.checks{display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:.375rem 1rem;margin-top:.25rem}
.checks label{display:flex;gap:.5rem;align-items:center;font-weight:400}
input[type=checkbox]{width:1.125rem;height:1.125rem;margin:0;accent-color:var(--link)}
form .btn{justify-self:start}
.feeds{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}
.foot{border-top:1px solid var(--border);color:var(--muted);font-size:.875rem;padding-top:1.5rem;padding-bottom:2.5rem}
.foot ul{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:0 0 .75rem}
.foot p{margin:0 0 .25rem}
.foot a{color:var(--muted)}
.lost{text-align:center;padding:3rem 0}
.lost p{color:var(--muted);margin:1rem 0 1.5rem}
@media (max-width:599.98px){
h1{font-size:1.5rem}
.banner{font-size:1.125rem;padding:1rem}
.card{padding:1rem}
.group{padding:0}
.group-head,.comps>li{padding-left:1rem;padding-right:1rem}
.bars li:nth-child(-n+60){display:none}
.bars li:nth-child(-n+70)>span{left:-2px;right:auto;transform:none}
.bars li:nth-child(n+71):nth-child(-n+80)>span{left:50%;right:auto;transform:translateX(-50%)}
.d90{display:none}
.d30{display:inline}
.updates>li{grid-template-columns:1fr;gap:.125rem}
.updates .phase{grid-row:auto;grid-column:1}
.updates>li>*{grid-column:1}
.facts{grid-template-columns:1fr;gap:0}
.facts dd{margin-bottom:.5rem}
}
@media (forced-colors:active){.bars li,.banner{border:1px solid CanvasText}}
@media print{.top nav,.skip,.bars,.axis{display:none}body{background:#fff}}
`;
