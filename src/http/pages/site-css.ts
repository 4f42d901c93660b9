/**
 * The one stylesheet of the pages (served at /assets/site.css, cached). Mobile first: everything flows in one
 * column at 360 px; tables scroll inside their own box. Colours keep WCAG AA contrast on white (the seal red
 * #9b1c1c is 7.4:1).
 */
export const SITE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.6 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2328;background:#f6f8fa}
a{color:#0b57d0}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px 10px;z-index:10}
header.site{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;background:#9b1c1c;color:#fff;padding:10px 16px}
header.site a{color:#fff;text-decoration:none}header.site a:hover{text-decoration:underline}
header.site .brand{font-weight:700;margin-right:auto}
header.site nav{display:flex;flex-wrap:wrap;gap:4px 14px}
header.site .lang{border:1px solid #fff;border-radius:4px;padding:0 8px}
main{max-width:960px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:8px 0 16px}h2{font-size:1.2rem;margin:24px 0 8px}
footer.site{max-width:960px;margin:24px auto;padding:0 16px;color:#57606a;font-size:.85rem}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:14px 16px;margin:0 0 14px}
form.stack label{display:block;font-weight:600;margin:10px 0 4px}
input,select,textarea{font:inherit;width:100%;max-width:32rem;padding:8px 10px;border:1px solid #8c959f;border-radius:6px;background:#fff;color:#1f2328}
textarea{max-width:none;min-height:8rem;font-family:ui-monospace,monospace;font-size:.9rem}
button,.button{display:inline-block;font:inherit;font-weight:600;background:#9b1c1c;color:#fff;border:0;border-radius:6px;padding:8px 18px;margin-top:12px;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:#9b1c1c;border:1px solid #9b1c1c}
.hint{color:#57606a;font-size:.9rem}
.verdict{font-size:1.2rem;font-weight:700;padding:10px 14px;border-radius:8px;margin:0 0 14px}
.verdict.ok{background:#dafbe1;color:#116329;border:1px solid #4ac26b}
.verdict.bad{background:#ffebe9;color:#82071e;border:1px solid #ff8182}
.verdict.warn{background:#fff8c5;color:#6c4400;border:1px solid #d4a72c}
.badge{display:inline-block;border-radius:999px;padding:0 8px;font-size:.85rem;border:1px solid #8c959f}
.badge.overdue{background:#ffebe9;color:#82071e;border-color:#ff8182}
.badge.priority{background:#fff8c5;color:#6c4400;border-color:#d4a72c}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid #eaeef2}
th{background:#f6f8fa}
dl.facts{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:4px 12px;margin:0}
dl.facts dt{color:#57606a}dl.facts dd{margin:0;overflow-wrap:anywhere}
ol.timeline{list-style:none;padding:0;margin:0;border-left:3px solid #d0d7de}
ol.timeline li{position:relative;padding:0 0 12px 16px}
ol.timeline li::before{content:"";position:absolute;left:-8px;top:6px;width:13px;height:13px;border-radius:50%;background:#d0d7de}
ol.timeline li.done::before{background:#1a7f37}ol.timeline li.current::before{background:#9b1c1c}
ol.timeline li.problem::before{background:#cf222e}
.mono{font-family:ui-monospace,monospace;overflow-wrap:anywhere}
details>summary{cursor:pointer;font-weight:600}
@media (min-width:720px){main{padding:24px}}
/* --- public pages (issue 13: home, /track, /verify) --- */
ul.entries{list-style:none;padding:0;margin:16px 0}ul.entries h2{margin:0 0 4px;font-size:1.1rem}ul.entries p{margin:0}
.verdict .badge{margin-left:8px;font-size:.85rem;font-weight:600;vertical-align:middle}
ol.timeline li.pending{color:#57606a}
.verdict.info{background:#ddf4ff;color:#0a3069;border:1px solid #54aeff}
input[type=file]{padding:6px}
section.card h2{margin-top:0}
a.button{margin-top:0}
table.checks td{min-width:8rem}table.checks td:last-child{min-width:16rem}
/* --- agency console (issue 13 item 4; src/http/pages/console) --- */
header.site form.console-logout{display:inline;margin:0}
header.site form.console-logout button{background:none;border:0;color:#fff;padding:0;margin:0;font-weight:400;text-decoration:none}
header.site form.console-logout button:hover{text-decoration:underline}
form.console-inline{display:inline-block;margin:0 6px 0 0}
form.console-inline button{margin-top:0;padding:4px 12px}
.badge.console-ok{background:#dafbe1;color:#116329;border-color:#4ac26b}
.console-who{margin-top:-8px}
.console-box p{margin:0 0 4px}.console-box ul{margin:4px 0 0;padding-left:1.2rem;font-size:.95rem;font-weight:400}
.console-doc pre{margin:8px 0 0;font-size:.8rem;white-space:pre}
.console-templates a{margin-right:10px}
td .badge,form.console-inline button{white-space:nowrap}
table.console-wide{min-width:46rem}
`;
