/**
 * /docs: an interactive reference rendered in the browser from /openapi.json. Self-contained (no
 * CDN: gateways run on isolated networks): operations grouped by tag, parameters, schemas with
 * $refs resolved, and a "try it" form per operation. Plain JS; no backticks below so the page can
 * live in this template literal.
 */
export const DOCS_PAGE = String.raw`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>接续 Jiexu · API 文档</title>
<style>
*,*::before,*::after{box-sizing:border-box}
body{font:15px/1.5 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1f2328;background:#f6f8fa;overflow-wrap:anywhere}
header{background:#8b1a1a;color:#fff;padding:14px 16px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;opacity:.85}
main{max-width:1100px;margin:0 auto;padding:16px}
.auth{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;margin-bottom:16px}
.auth input{width:100%;max-width:40rem;font-family:monospace}
h2{border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:28px}
details.op{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:8px 0}
details.op>summary{cursor:pointer;padding:8px 12px;list-style:none;display:flex;flex-wrap:wrap;gap:4px 10px;align-items:center}
details.op>summary>span{min-width:0}
.m{font:bold 12px monospace;color:#fff;border-radius:4px;padding:2px 8px;min-width:44px;text-align:center}
.get{background:#1f6feb}.post{background:#1a7f37}.put,.patch{background:#9a6700}.delete{background:#cf222e}
.path{font-family:monospace;font-weight:600;word-break:break-all}.lock{font-size:12px;color:#57606a}
.body{padding:4px 12px 14px;border-top:1px solid #eaeef2}
.body input{width:100%;max-width:24rem}
table{border-collapse:collapse;width:100%;font-size:14px}.scroll{overflow-x:auto}td,th{border-bottom:1px solid #eaeef2;padding:4px 6px;text-align:left;vertical-align:top}
.schema{font-family:monospace;font-size:13px;margin:0;padding-left:12px}.schema li{list-style:none}
.req{color:#cf222e}.t{color:#8250df}.d{color:#57606a;font-family:system-ui,sans-serif}
select{max-width:100%}textarea{width:100%;min-height:120px;font-family:monospace}pre.out{background:#0d1117;color:#e6edf3;padding:10px;overflow:auto;max-height:420px}
button{background:#8b1a1a;color:#fff;border:0;border-radius:4px;padding:6px 16px;cursor:pointer}
</style>
</head>
<body>
<header><h1 id="title">接续 Jiexu</h1><p id="desc">加载中… Loading…</p></header>
<main>
<div class="auth"><label>令牌 Bearer token: <input id="token" placeholder="jx_…" autocomplete="off"></label>
<small>仅保存在本浏览器 Kept in this browser only</small></div>
<div id="ops"></div>
</main>
<script>
"use strict";
var spec, byFile = {};
var tokenInput = document.getElementById("token");
tokenInput.value = localStorage.getItem("jiexu.token") || "";
tokenInput.onchange = function () { localStorage.setItem("jiexu.token", tokenInput.value.trim()); };

function el(tag, attrs, children) {
  var e = document.createElement(tag);
  for (var k in attrs || {}) { if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); }
  (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
  return e;
}

// $refs: "#/components/schemas/X" (the gateway bundles every schemas/ file and its $defs there); file refs
// ("common.schema.json#/$defs/agencyId") and "#/$defs/…" against an $id "base" still resolve, for documents
// that embed the files unbundled.
function resolve(ref, base) {
  var parts = ref.split("#"), file = parts[0], frag = parts[1] || "";
  var root = file ? byFile[file.split("/").pop()] : frag.indexOf("/components/") === 0 ? spec : base || spec;
  var target = root;
  frag.split("/").filter(Boolean).forEach(function (p) { target = target && target[decodeURIComponent(p.replace(/~1/g, "/").replace(/~0/g, "~"))]; });
  return target && { schema: target, base: target.$id ? target : root.$id ? root : base };
}

function typeOf(s, base) {
  var items = s.items && s.items.$ref ? (resolve(s.items.$ref, base) || { schema: {} }).schema : s.items;
  if (s.type) return Array.isArray(s.type) ? s.type.join("|") : s.type + (s.type === "array" && items ? "<" + typeOf(items, base) + ">" : "");
  if (s.enum) return "enum"; if (s.const !== undefined) return "const"; if (s.oneOf || s.anyOf) return "one of";
  return "any";
}

function schemaTree(s, depth, base) {
  var ul = el("ul", { class: "schema" });
  if (!s || depth > 6) return ul;
  if (s.$id) base = s;
  if (s.$ref) { var r = resolve(s.$ref, base); return r ? schemaTree(r.schema, depth + 1, r.base) : ul; }
  if (s.allOf) { s.allOf.forEach(function (x) { ul.appendChild(schemaTree(x, depth + 1, base)); }); return ul; }
  var alts = s.oneOf || s.anyOf;
  if (alts) alts.forEach(function (x, i) { ul.appendChild(el("li", {}, [el("span", { class: "d", text: "选项 option " + (i + 1) + (x.$ref ? " (" + x.$ref.split("/").pop() + ")" : "") }), schemaTree(x, depth + 1, base)])); });
  if (s.enum) ul.appendChild(el("li", { class: "d", text: "= " + s.enum.join(" | ") }));
  var props = s.properties || {}, req = s.required || [];
  Object.keys(props).forEach(function (name) {
    var p = props[name], r = p.$ref ? resolve(p.$ref, base) : null, shown = r ? Object.assign({}, r.schema, p) : p, b = r ? r.base : base;
    var li = el("li", {}, [name, req.indexOf(name) >= 0 ? el("span", { class: "req", text: "*" }) : null, " ", el("span", { class: "t", text: typeOf(shown, b) }), " ", el("span", { class: "d", text: shown.title || shown.description || "" })]);
    if (depth < 5 && (shown.properties || shown.oneOf || shown.anyOf || (shown.items && (shown.items.properties || shown.items.$ref)))) {
      li.appendChild(schemaTree(shown.items && !shown.properties ? shown.items : shown, depth + 1, b));
    }
    ul.appendChild(li);
  });
  return ul;
}

function tryIt(method, path, op) {
  var box = el("div"), inputs = {};
  (op.parameters || []).forEach(function (p) {
    inputs[p.in + ":" + p.name] = el("input", { placeholder: p.name + (p.required ? " *" : "") });
    if (p.example !== undefined) inputs[p.in + ":" + p.name].value = String(p.example);
    box.appendChild(el("label", {}, [p.in + " " + p.name + " ", inputs[p.in + ":" + p.name], " "]));
  });
  var body = op.requestBody ? el("textarea", { placeholder: "JSON 请求体 request body" }) : null;
  // "Try it" starts from the operation's first example (schemas/examples); a list switches between them.
  var examples = (op.requestBody && op.requestBody.content["application/json"].examples) || {};
  var names = Object.keys(examples);
  var show = function (name) { body.value = name ? JSON.stringify(examples[name].value, null, 2) : ""; };
  if (body && names.length) {
    show(names[0]);
    if (names.length > 1) {
      var pick = el("select", {}, names.map(function (n) { return el("option", { value: n, text: n + (examples[n].summary ? " — " + examples[n].summary : "") }); }));
      pick.onchange = function () { show(pick.value); };
      box.appendChild(el("label", {}, ["示例 Example ", pick]));
    }
  }
  var out = el("pre", { class: "out", text: "" });
  var send = el("button", { text: "发送 Send" });
  send.onclick = function () {
    var url = path, q = [];
    (op.parameters || []).forEach(function (p) {
      var v = inputs[p.in + ":" + p.name].value;
      if (p.in === "path") url = url.replace("{" + p.name + "}", encodeURIComponent(v));
      else if (v !== "") q.push(encodeURIComponent(p.name) + "=" + encodeURIComponent(v));
    });
    var headers = { "content-type": "application/json" };
    if (tokenInput.value.trim()) headers.authorization = "Bearer " + tokenInput.value.trim();
    out.textContent = "…";
    fetch(url + (q.length ? "?" + q.join("&") : ""), { method: method.toUpperCase(), headers: headers, body: body ? body.value : undefined })
      .then(function (res) {
        return res.text().then(function (text) {
          var shown = text;
          try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
          out.textContent = res.status + " " + res.statusText + "  X-Request-Id: " + res.headers.get("x-request-id") + "\n\n" + shown;
        });
      }, function (err) { out.textContent = "请求失败 Request failed: " + err; });
  };
  return el("div", {}, [el("h4", { text: "试一试 Try it" }), box, body, el("p", {}, [send]), out]);
}

function operation(method, path, op) {
  var auth = op["x-jiexu-auth"];
  var head = el("summary", {}, [el("span", { class: "m " + method, text: method.toUpperCase() }), el("span", { class: "path", text: path }), el("span", { text: op.summary }),
    el("span", { class: "lock", text: Array.isArray(auth) ? "🔒 " + auth.join("/") : auth === "seal" ? "✍ 签章认证 seal" : "" })]);
  var body = el("div", { class: "body" }, [op.description ? el("p", { text: op.description }) : null]);
  if (op.parameters) {
    var t = el("table", {}, [el("tr", {}, [el("th", { text: "参数 Parameter" }), el("th", { text: "位置 In" }), el("th", { text: "类型 Type" }), el("th", { text: "说明 Description" })])]);
    op.parameters.forEach(function (p) { t.appendChild(el("tr", {}, [el("td", { text: p.name + (p.required ? " *" : "") }), el("td", { text: p.in }), el("td", { text: typeOf(p.schema || {}) }), el("td", { text: p.description || "" })])); });
    body.appendChild(el("h4", { text: "参数 Parameters" })); body.appendChild(el("div", { class: "scroll" }, [t]));
  }
  if (op.requestBody) {
    body.appendChild(el("h4", { text: "请求体 Request body" }));
    body.appendChild(schemaTree(op.requestBody.content["application/json"].schema, 0, null));
  }
  body.appendChild(el("h4", { text: "响应 Responses" }));
  Object.keys(op.responses).forEach(function (status) {
    var r = op.responses[status], content = r.content && r.content[Object.keys(r.content)[0]];
    var d = el("details", {}, [el("summary", { text: status + " — " + r.description })]);
    if (content && content.schema) d.appendChild(schemaTree(content.schema, 0, null));
    body.appendChild(d);
  });
  body.appendChild(tryIt(method, path, op));
  return el("details", { class: "op" }, [head, body]);
}

fetch("/openapi.json").then(function (r) { return r.json(); }).then(function (doc) {
  spec = doc;
  Object.keys(doc.components.schemas).forEach(function (k) { var s = doc.components.schemas[k]; if (s.$id) byFile[s.$id.split("/").pop()] = s; });
  document.getElementById("title").textContent = doc.info.title + " · " + doc.info.version;
  document.getElementById("desc").textContent = doc.info.description;
  var root = document.getElementById("ops");
  (doc.tags || []).forEach(function (tag) {
    var section = el("section", {}, [el("h2", { text: tag.description + " (" + tag.name + ")" })]);
    Object.keys(doc.paths).forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        var op = doc.paths[path][method];
        if ((op.tags || []).indexOf(tag.name) >= 0) section.appendChild(operation(method, path, op));
      });
    });
    root.appendChild(section);
  });
}, function (err) { document.getElementById("desc").textContent = "无法加载 /openapi.json: " + err; });
</script>
</body>
</html>
`;
